import { diffWords } from 'diff';

/** One run of the diff: text both have, text only the answer had, or text only the correction has. */
export interface DiffRun {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** The answer against its corrected answer, word by word (plain text: the UI renders it as text, never as HTML). */
export function answerDiff(answer: string, corrected: string): DiffRun[] {
  return diffWords(answer, corrected).map((change) => ({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value }));
}
