/**
 * Span-level scoring of the anonymiser against the labelled corpus, as the corpus test and the benchmark
 * report it.
 *
 * - A gold span is **recalled** when predicted spans of its type cover every letter and digit of it: nothing
 *   of the value is left in the anonymised text. A longer prediction ("Dr. Chidi Okafor" for "Chidi Okafor")
 *   still recalls it.
 * - A predicted span is **precise** when it overlaps a gold span of its type. A prediction of the wrong type
 *   counts against the type it claims.
 * Exact matches (same start, end and type) are counted too, for the boundaries.
 */
import { PII_TYPES, type PiiSpan, type PiiType } from '../../../src-main/datasets/anonymiser/anonymiser';
import type { LabelledText } from './labelled-corpus';

/** Counts and rates for one type. */
export interface TypeScore {
  gold: number;
  recalled: number;
  predicted: number;
  precise: number;
  exact: number;
  recall: number;
  precision: number;
}

/** A miss or a false alarm, for reading what went wrong. */
export interface ScoringError {
  kind: 'missed' | 'false_positive';
  source: string;
  type: PiiType;
  value: string;
}

export interface CorpusScore {
  perType: Record<PiiType, TypeScore>;
  overallPrecision: number;
  goldSpans: number;
  errors: ScoringError[];
}

function isCovered(gold: PiiSpan, predicted: readonly PiiSpan[], text: string): boolean {
  for (let i = gold.start; i < gold.end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i] ?? '')) continue;
    if (!predicted.some((span) => span.type === gold.type && span.start <= i && i < span.end)) return false;
  }
  return true;
}

function overlaps(a: PiiSpan, b: PiiSpan): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Scores predictions (one list per corpus text, in corpus order). */
export function scoreCorpus(corpus: readonly LabelledText[], predictions: ReadonlyArray<readonly PiiSpan[]>): CorpusScore {
  const counts = Object.fromEntries(PII_TYPES.map((type) => [type, { gold: 0, recalled: 0, predicted: 0, precise: 0, exact: 0 }])) as Record<
    PiiType,
    Omit<TypeScore, 'recall' | 'precision'>
  >;
  const errors: ScoringError[] = [];
  corpus.forEach((item, index) => {
    const predicted = predictions[index] ?? [];
    for (const gold of item.spans) {
      counts[gold.type].gold++;
      if (isCovered(gold, predicted, item.text)) counts[gold.type].recalled++;
      else errors.push({ kind: 'missed', source: item.source, type: gold.type, value: item.text.slice(gold.start, gold.end) });
      if (predicted.some((span) => span.type === gold.type && span.start === gold.start && span.end === gold.end)) counts[gold.type].exact++;
    }
    for (const span of predicted) {
      counts[span.type].predicted++;
      if (item.spans.some((gold) => gold.type === span.type && overlaps(gold, span))) counts[span.type].precise++;
      else errors.push({ kind: 'false_positive', source: item.source, type: span.type, value: item.text.slice(span.start, span.end) });
    }
  });
  const perType = Object.fromEntries(
    PII_TYPES.map((type) => {
      const c = counts[type];
      return [type, { ...c, recall: c.gold === 0 ? 1 : c.recalled / c.gold, precision: c.predicted === 0 ? 1 : c.precise / c.predicted }];
    }),
  ) as Record<PiiType, TypeScore>;
  const predicted = PII_TYPES.reduce((sum, type) => sum + counts[type].predicted, 0);
  const precise = PII_TYPES.reduce((sum, type) => sum + counts[type].precise, 0);
  return {
    perType,
    overallPrecision: predicted === 0 ? 1 : precise / predicted,
    goldSpans: PII_TYPES.reduce((sum, type) => sum + counts[type].gold, 0),
    errors,
  };
}
