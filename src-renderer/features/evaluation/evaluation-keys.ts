import type { BlindVerdict } from '../../../src-shared/evaluation-contract';

/** What a key does in the judging view. */
export type EvaluationKeyAction = { kind: 'verdict'; verdict: BlindVerdict } | { kind: 'move'; delta: number };

/** The keys, in the order the judging view lists them. */
export const EVALUATION_KEYS: Array<{ keys: string[]; does: string }> = [
  { keys: ['a'], does: 'answer A is better, then next' },
  { keys: ['b'], does: 'answer B is better, then next' },
  { keys: ['t'], does: 'tie, then next' },
  { keys: ['j', '↓', '→'], does: 'next prompt' },
  { keys: ['k', '↑', '←'], does: 'previous prompt' },
];

/**
 * The action of a key press in the judging view, or null when it is not one of its keys. Keys typed into a
 * field (the start form's) are the field's, and a key with Ctrl, Alt or Meta belongs to the browser.
 */
export function evaluationKeyAction(event: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean }, inField: boolean): EvaluationKeyAction | null {
  if (inField || event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (event.key) {
    case 'a':
    case 'A':
      return { kind: 'verdict', verdict: 'a' };
    case 'b':
    case 'B':
      return { kind: 'verdict', verdict: 'b' };
    case 't':
    case 'T':
      return { kind: 'verdict', verdict: 'tie' };
    case 'j':
    case 'ArrowDown':
    case 'ArrowRight':
      return { kind: 'move', delta: 1 };
    case 'k':
    case 'ArrowUp':
    case 'ArrowLeft':
      return { kind: 'move', delta: -1 };
    default:
      return null;
  }
}
