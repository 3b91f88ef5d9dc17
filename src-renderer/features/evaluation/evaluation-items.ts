import { type EvaluationAnswer, type EvaluationItemView, type EvaluationRunView, type EvaluationStatus } from '../../../src-shared/evaluation-contract';

/** Text streamed so far for each side of an item still answering, by item id. */
export type StreamedText = Record<string, { a: string; b: string }>;

/** One side of an item as the judging view shows it: the finished answer, or the text streamed so far. */
export type SideView = { state: 'answering'; text: string } | { state: 'done'; text: string } | { state: 'failed'; text: string; error: string };

/** Whether a run can still change. */
export const isRunFinished = (run: Pick<EvaluationRunView, 'status'>) => run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled';

/** Whether verdicts can still be given (or replaced) on a run. */
export const acceptsVerdicts = (run: Pick<EvaluationRunView, 'status'>) => run.status === 'generating' || run.status === 'judging';

/** Both sides answered without an error: the operator can judge it. */
export const isJudgeable = (item: Pick<EvaluationItemView, 'a' | 'b'>) => item.a !== null && item.b !== null && item.a.error === null && item.b.error === null;

/** A side that failed: the item cannot be judged and the report leaves it out. */
export const hasFailedSide = (item: Pick<EvaluationItemView, 'a' | 'b'>) => item.a?.error != null || item.b?.error != null;

export function sideView(answer: EvaluationAnswer | null, streamed: string | undefined): SideView {
  if (answer === null) return { state: 'answering', text: streamed ?? '' };
  if (answer.error !== null) return { state: 'failed', text: answer.text, error: answer.error };
  return { state: 'done', text: answer.text };
}

/** Adds one delta to the side it belongs to. */
export function withDelta(streamed: StreamedText, itemId: string, side: 'a' | 'b', textDelta: string): StreamedText {
  const known = streamed[itemId] ?? { a: '', b: '' };
  return { ...streamed, [itemId]: { ...known, [side]: known[side] + textDelta } };
}

/** "judged N of M": M counts the items that can be judged or may still become so (a failed side never can). */
export function judgingProgress(items: EvaluationItemView[]): { judged: number; of: number } {
  const possible = items.filter((item) => !hasFailedSide(item));
  return { judged: possible.filter((item) => item.verdict !== null).length, of: possible.length };
}

/**
 * Where the view goes after a verdict on item `from`: the next answered item without a verdict (wrapping round),
 * else the next one still being answered (so the operator watches it arrive), else it stays.
 */
export function nextToJudge(items: EvaluationItemView[], from: number): number {
  const after = Array.from({ length: items.length - 1 }, (_, step) => (from + step + 1) % items.length);
  const open = after.filter((index) => items[index]!.verdict === null && !hasFailedSide(items[index]!));
  return open.find((index) => isJudgeable(items[index]!)) ?? open[0] ?? from;
}

/** Where judging starts when a run opens: the first answered item without a verdict, else the first item. */
export function firstToJudge(items: EvaluationItemView[]): number {
  const index = items.findIndex((item) => isJudgeable(item) && item.verdict === null);
  return index === -1 ? 0 : index;
}

const STATUS_RANK: Record<EvaluationStatus, number> = { generating: 0, judging: 1, completed: 2, failed: 2, cancelled: 2 };

/** Keeps the later of two views of one run: an answer can arrive after the events that followed it. */
export function laterRun<T extends EvaluationRunView>(known: T | undefined, incoming: T): T {
  if (!known) return incoming;
  const rank = (run: EvaluationRunView) => [STATUS_RANK[run.status], run.answered, run.judged] as const;
  const [ks, ka, kj] = rank(known);
  const [is, ia, ij] = rank(incoming);
  if (is !== ks) return is > ks ? incoming : known;
  if (ia !== ka) return ia > ka ? incoming : known;
  return ij >= kj ? incoming : known;
}
