/**
 * Overlapping detections become one answer per character. Spans of one type that overlap are merged (two
 * phone shapes matching the same number leave nothing of it out); between types, the higher-priority type
 * wins and, within a priority, the longer span: a checksummed or exactly-shaped value outranks a name
 * guessed from context ("maria.lopez@globex.com" is an EMAIL, not a PERSON inside one).
 */
import type { PiiType } from './pii-span';

/** A detection on its way to the output; `key` groups spans that name the same thing (a company's slug). */
export interface Candidate {
  start: number;
  end: number;
  type: PiiType;
  key?: string;
}

const PRIORITY: Readonly<Record<PiiType, number>> = {
  SECRET: 10,
  URL_CREDENTIALS: 9,
  EMAIL: 8,
  IBAN: 7,
  CREDIT_CARD: 7,
  IP_ADDRESS: 6,
  PHONE: 5,
  ADDRESS: 4,
  COMPANY: 3,
  PERSON: 2,
};

function mergeSameType(candidates: readonly Candidate[]): Candidate[] {
  const merged: Candidate[] = [];
  const sorted = [...candidates].filter((candidate) => candidate.end > candidate.start).sort((a, b) => a.type.localeCompare(b.type) || a.start - b.start || b.end - a.end);
  for (const candidate of sorted) {
    const last = merged.at(-1);
    if (last && last.type === candidate.type && candidate.start < last.end) {
      if (candidate.end > last.end) merged[merged.length - 1] = { ...last, end: candidate.end, key: last.key ?? candidate.key };
    } else {
      merged.push({ ...candidate });
    }
  }
  return merged;
}

/** Non-overlapping spans, in text order. */
export function resolveOverlaps(candidates: readonly Candidate[]): Candidate[] {
  const ranked = mergeSameType(candidates).sort(
    (a, b) => PRIORITY[b.type] - PRIORITY[a.type] || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const candidate of ranked) {
    if (kept.every((other) => candidate.end <= other.start || candidate.start >= other.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
