/**
 * Overlapping detections become one answer per character. Spans of one type that overlap are merged (two
 * phone shapes matching the same number leave nothing of it out). Between types, a structured value
 * (checksummed or exactly shaped) always wins over a name, address or company guessed from words
 * ("maria.lopez@globex.com" is an EMAIL, not a PERSON inside one); among structured values the higher
 * priority wins (credentials in a URL hold the token inside them); among the guessed ones the longer span
 * wins ("Eldon Tyrell" is a person even though "Tyrell" is also a company), then the higher priority.
 */
import { STRUCTURED_PII_TYPES, type PiiType } from './pii-span';

/** A detection on its way to the output; `key` groups spans that name the same thing (a company's slug). */
export interface Candidate {
  start: number;
  end: number;
  type: PiiType;
  key?: string;
}

const PRIORITY: Readonly<Record<PiiType, number>> = {
  URL_CREDENTIALS: 11,
  SECRET: 10,
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
export function resolveOverlaps(candidates: readonly Candidate[], text: string): Candidate[] {
  const structured = (candidate: Candidate) => (STRUCTURED_PII_TYPES.includes(candidate.type) ? 1 : 0);
  const length = (candidate: Candidate) => candidate.end - candidate.start;
  const ranked = mergeSameType(candidates).sort(
    (a, b) =>
      structured(b) - structured(a) ||
      (structured(a) === 1 ? PRIORITY[b.type] - PRIORITY[a.type] || length(b) - length(a) : length(b) - length(a) || PRIORITY[b.type] - PRIORITY[a.type]) ||
      a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const candidate of ranked) {
    const clipped = structured(candidate) === 1 ? candidate : clipAround(candidate, kept, text);
    if (clipped && kept.every((other) => clipped.end <= other.start || clipped.start >= other.end)) kept.push(clipped);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * A guessed span that runs into a structured value keeps its part before the value ("3 Harbour View, Cork"
 * before an IBAN the address pattern ran on into), so the address is not lost with the overrun.
 */
function clipAround(candidate: Candidate, kept: readonly Candidate[], text: string): Candidate | undefined {
  const blocking = kept.filter((other) => STRUCTURED_PII_TYPES.includes(other.type) && other.start < candidate.end && candidate.start < other.end);
  if (blocking.length === 0) return candidate;
  const firstStart = Math.min(...blocking.map((other) => other.start));
  const before = text.slice(candidate.start, firstStart).replace(/[\s,;:(<-]+$/u, '');
  if (!/[\p{L}\p{N}]/u.test(before)) return undefined;
  return { ...candidate, end: candidate.start + before.length };
}
