/**
 * The anonymiser every dataset goes through before it leaves the machine (issue 8, §4), layered like
 * Presidio: checksummed and exactly-shaped patterns, compromise's NER with context words for people and
 * places, and the company table for companies. Each detection becomes a numbered placeholder (`<PERSON_1>`),
 * the same number for the same person, company or value across all texts of one example.
 */
import { CompanyDetector } from './company-detector';
import { isCommonWord, ParsedText } from './compromise-doc';
import { findAddresses } from './address-detector';
import { findCreditCards, findEmails, findIbans, findIpAddresses, findPhones, findUrlCredentials } from './pattern-detectors';
import { findKnownNameWords, findPeople } from './person-detector';
import { findSecrets } from './secret-detectors';
import { resolveOverlaps, type Candidate } from './span-resolution';
import { PII_TYPES, type PiiSpan, type PiiType } from './pii-span';

export type { PiiSpan, PiiType } from './pii-span';
export { PII_TYPES, STRUCTURED_PII_TYPES } from './pii-span';
export { measuredQuality, type MeasuredQuality } from './measured-quality';

/** Changes whenever detection changes, so a dataset card can say which anonymiser made it. */
export const ANONYMISER_VERSION = '1.0.0';

/** One text with its PII replaced, and where the PII was in the input. */
export interface AnonymisedText {
  anonymised: string;
  /** Offsets into the input text (UTF-16 code units), in text order, not overlapping. */
  spans: PiiSpan[];
}

const STRUCTURED_DETECTORS = [findSecrets, findUrlCredentials, findEmails, findIbans, findCreditCards, findIpAddresses, findPhones];

/** Words of a found name (not initials) that identify the person when they appear alone ("Okafor"). */
function nameWords(name: string): string[] {
  return name.split(/[\s]+/).filter((word) => /^\p{Lu}[\p{L}'’-]*\p{L}$/u.test(word) && word.length >= 3);
}

/**
 * The words of found names to look for elsewhere in the example: not words that are also ordinary English
 * ("Will" of "Will Turner", "Park" of "Seo-yeon Park"), which alone would mostly not be the person.
 */
function wordsToPropagate(name: string): string[] {
  return nameWords(name).filter((word) => !isCommonWord(word));
}

const PLACEHOLDER = new RegExp(`<(${PII_TYPES.join('|')})_(\\d+)>`, 'g');

/** Hands out placeholder numbers: one per distinct value of a type, shared by its later mentions. */
class PlaceholderNumbers {
  private readonly numbers = new Map<string, number>();
  private readonly counts = new Map<PiiType, number>();
  private readonly people: Array<{ words: string[]; number: number }> = [];

  /** Texts that already hold placeholders (a reviewer's correction of an anonymised answer) keep theirs apart. */
  constructor(texts: readonly string[]) {
    for (const text of texts) {
      for (const [, type, number] of text.matchAll(PLACEHOLDER)) {
        const used = Number(number);
        if (used > (this.counts.get(type as PiiType) ?? 0)) this.counts.set(type as PiiType, used);
      }
    }
  }

  placeholder(type: PiiType, value: string, key: string | undefined): string {
    const number = type === 'PERSON' ? this.personNumber(value) : this.numberFor(`${type}:${key ?? normalise(type, value)}`, type);
    return `<${type}_${number}>`;
  }

  private numberFor(id: string, type: PiiType): number {
    const known = this.numbers.get(id);
    if (known !== undefined) return known;
    const next = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, next);
    this.numbers.set(id, next);
    return next;
  }

  /** "Chidi Okafor", later "Okafor" or "Chidi": one person, unless the word is shared by two known people. */
  private personNumber(name: string): number {
    const words = nameWords(name);
    const id = `PERSON:${words.join(' ').toLowerCase() || name.toLowerCase()}`;
    if (this.numbers.has(id)) return this.numberFor(id, 'PERSON');
    const sharing = this.people.filter((person) => words.length > 0 && (words.length === 1 || person.words.length === 1) && words.some((word) => person.words.includes(word)));
    const number = sharing.length === 1 && sharing[0] ? sharing[0].number : this.numberFor(id, 'PERSON');
    this.numbers.set(id, number);
    this.people.push({ words, number });
    return number;
  }
}

function normalise(type: PiiType, value: string): string {
  if (type === 'PHONE' || type === 'CREDIT_CARD') return value.replace(/\D/g, '');
  if (type === 'IBAN') return value.replace(/\s/g, '').toUpperCase();
  return value.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Finds and replaces PII; one instance per company list, safe to reuse for many examples. */
export class Anonymiser {
  private readonly companies: CompanyDetector;

  constructor(options: { companies: Array<{ slug: string; name: string }> }) {
    this.companies = new CompanyDetector(options.companies);
  }

  /** One text on its own. */
  anonymise(text: string): AnonymisedText {
    const [result] = this.anonymiseAll([text]);
    if (!result) throw new Error('anonymise: no result for the text');
    return result;
  }

  /**
   * The texts of one example (prompt, answer, correction…): a person or company named in one gets the same
   * placeholder in all, and a name found in one is looked for in the others.
   */
  anonymiseAll(texts: readonly string[]): AnonymisedText[] {
    texts.forEach((text, index) => {
      if (typeof text !== 'string') throw new TypeError(`anonymiseAll: text ${index} is ${text === null ? 'null' : typeof text}, not a string`);
    });
    const detected = texts.map((text) => this.detect(text));
    const known = new Set(detected.flatMap((spans, index) => spans.filter((span) => span.type === 'PERSON').flatMap((span) => wordsToPropagate((texts[index] ?? '').slice(span.start, span.end)))));
    const resolved = texts.map((text, index) => resolveOverlaps([...(detected[index] ?? []), ...findKnownNameWords(text, known)], text));
    const numbers = new PlaceholderNumbers(texts);
    return texts.map((text, index) => {
      const spans = resolved[index] ?? [];
      let anonymised = '';
      let cursor = 0;
      for (const span of spans) {
        anonymised += text.slice(cursor, span.start) + numbers.placeholder(span.type, text.slice(span.start, span.end), span.key);
        cursor = span.end;
      }
      anonymised += text.slice(cursor);
      return { anonymised, spans: spans.map(({ start, end, type }) => ({ start, end, type })) };
    });
  }

  /** Every detector's candidates for one text, overlaps resolved. */
  private detect(text: string): Candidate[] {
    if (text === '') return [];
    const parsed = new ParsedText(text);
    const candidates: Candidate[] = [
      ...STRUCTURED_DETECTORS.flatMap((detector) => detector(text)),
      ...this.companies.find(text),
      ...findAddresses(text, parsed),
      ...findPeople(text, parsed),
    ];
    return resolveOverlaps(candidates, text);
  }
}
