import type { ReviewLabelValue } from '../../../src-shared/review-contract';

/** What a key does on the Review page. */
export type ReviewKeyAction =
  | { kind: 'move'; delta: number }
  | { kind: 'label'; label: ReviewLabelValue }
  | { kind: 'edit-correction' }
  | { kind: 'toggle-selected' }
  | { kind: 'search' }
  | { kind: 'cheatsheet' }
  | { kind: 'close' };

/** The cheatsheet: every key, in the order shown. */
export const REVIEW_KEYS: Array<{ keys: string[]; does: string }> = [
  { keys: ['j', '↓'], does: 'next answer' },
  { keys: ['k', '↑'], does: 'previous answer' },
  { keys: ['a'], does: 'label accepted, then next' },
  { keys: ['r'], does: 'label rejected, then next' },
  { keys: ['f'], does: 'label needs fix, then next' },
  { keys: ['e'], does: 'edit the corrected answer' },
  { keys: ['x'], does: 'select or unselect the answer' },
  { keys: ['/'], does: 'search prompts and answers' },
  { keys: ['?'], does: 'show or hide this cheatsheet' },
  { keys: ['Esc'], does: 'close the cheatsheet, leave a field' },
];

/**
 * The action of a key press, or null when it is not a Review key. Keys typed into a field are the field's
 * (only Escape leaves it), and a key with Ctrl, Alt or Meta belongs to the browser.
 */
export function reviewKeyAction(event: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean }, inField: boolean): ReviewKeyAction | null {
  if (event.key === 'Escape') return { kind: 'close' };
  if (inField || event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (event.key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'k':
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'a':
      return { kind: 'label', label: 'accepted' };
    case 'r':
      return { kind: 'label', label: 'rejected' };
    case 'f':
      return { kind: 'label', label: 'needs_fix' };
    case 'e':
      return { kind: 'edit-correction' };
    case 'x':
      return { kind: 'toggle-selected' };
    case '/':
      return { kind: 'search' };
    case '?':
      return { kind: 'cheatsheet' };
    default:
      return null;
  }
}
