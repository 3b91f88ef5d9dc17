/**
 * The targets of issue 8 §4 on the labelled corpus: recall ≥ 0.99 on every structured type, ≥ 0.9 on PERSON,
 * ADDRESS and COMPANY, precision ≥ 0.9 overall. Scoring as in corpus-scoring.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Anonymiser, PII_TYPES, STRUCTURED_PII_TYPES } from '../../../src-main/datasets/anonymiser/anonymiser';
import { scoreCorpus, type CorpusScore } from './corpus-scoring';
import { CORPUS_COMPANIES, loadLabelledCorpus, parseMarkedLine } from './labelled-corpus';

const corpus = loadLabelledCorpus();
let score: CorpusScore;

beforeAll(() => {
  const anonymiser = new Anonymiser({ companies: CORPUS_COMPANIES });
  score = scoreCorpus(
    corpus,
    corpus.map((item) => anonymiser.anonymise(item.text).spans),
  );
});

/** What went wrong for a type, so a failing target says which values were missed. */
function errorsOf(type: string): string {
  return score.errors
    .filter((error) => error.type === type)
    .map((error) => `${error.kind} ${JSON.stringify(error.value)} (${error.source})`)
    .join('\n');
}

describe('the labelled corpus', () => {
  it('holds at least 400 labelled spans across all ten types, and hard negatives', () => {
    const spans = corpus.flatMap((item) => item.spans);
    expect(spans.length).toBeGreaterThanOrEqual(400);
    for (const type of PII_TYPES) expect(spans.filter((span) => span.type === type).length, type).toBeGreaterThanOrEqual(10);
    expect(corpus.filter((item) => item.source.startsWith('hard-negatives') && item.spans.length === 0).length).toBeGreaterThanOrEqual(40);
  });

  it('parses marks into offsets of the unmarked text', () => {
    const parsed = parseMarkedLine('Hi [[PERSON|Ana]],\\ncall [[PHONE|+44 20 7946 0958]]', 'inline');
    expect(parsed.text).toBe('Hi Ana,\ncall +44 20 7946 0958');
    expect(parsed.spans).toEqual([
      { start: 3, end: 6, type: 'PERSON' },
      { start: 13, end: 29, type: 'PHONE' },
    ]);
    expect(() => parseMarkedLine('[[NAME|Ana]]', 'inline')).toThrow('inline: unknown PII type NAME');
  });
});

describe('anonymiser quality on the corpus', () => {
  it.each(STRUCTURED_PII_TYPES)('finds at least 99%% of %s', (type) => {
    expect(score.perType[type].recall, errorsOf(type)).toBeGreaterThanOrEqual(0.99);
  });

  it.each(['PERSON', 'ADDRESS', 'COMPANY'] as const)('finds at least 90%% of %s', (type) => {
    expect(score.perType[type].recall, errorsOf(type)).toBeGreaterThanOrEqual(0.9);
  });

  it('is right at least 90% of the times it flags something', () => {
    expect(score.overallPrecision, score.errors.filter((error) => error.kind === 'false_positive').map((error) => `${error.type} ${JSON.stringify(error.value)}`).join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('flags nothing in most hard negatives: version numbers, order ids, dates, failed checksums, "April", "Will"', () => {
    const negatives = corpus.filter((item) => item.source.startsWith('hard-negatives') && item.spans.length === 0);
    const anonymiser = new Anonymiser({ companies: CORPUS_COMPANIES });
    const flagged = negatives.filter((item) => anonymiser.anonymise(item.text).spans.length > 0);
    expect(flagged.length / negatives.length, flagged.map((item) => item.text).join('\n')).toBeLessThanOrEqual(0.05);
  });
});
