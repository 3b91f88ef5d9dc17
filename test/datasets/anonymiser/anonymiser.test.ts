import { describe, expect, it } from 'vitest';
import { ANONYMISER_VERSION, Anonymiser, measuredQuality, PII_TYPES } from '../../../src-main/datasets/anonymiser/anonymiser';

const anonymiser = new Anonymiser({ companies: [{ slug: 'globex', name: 'Globex Ltd' }] });

describe('Anonymiser.anonymise', () => {
  it('replaces each piece of PII with a numbered placeholder and reports its offsets into the input', () => {
    const text = 'Hi, I am Chidi Okafor from Globex, mail chidi@globex.co.uk or call +44 20 7946 0958.';
    const result = anonymiser.anonymise(text);
    expect(result.anonymised).toBe('Hi, I am <PERSON_1> from <COMPANY_1>, mail <EMAIL_1> or call <PHONE_1>.');
    expect(result.spans.map((span) => [text.slice(span.start, span.end), span.type])).toEqual([
      ['Chidi Okafor', 'PERSON'],
      ['Globex', 'COMPANY'],
      ['chidi@globex.co.uk', 'EMAIL'],
      ['+44 20 7946 0958', 'PHONE'],
    ]);
  });

  it('counts offsets in UTF-16 code units, so emoji and accents before a span do not shift it', () => {
    const text = '🎉 Ça marche! Write to zoë@example.com';
    const [span] = anonymiser.anonymise(text).spans;
    expect(span && text.slice(span.start, span.end)).toBe('zoë@example.com');
  });

  it('gives a structured value priority over a name inside it, and keeps the guessed span that runs into one clipped', () => {
    const text = 'Write to maria.lopez@globex.com. Deliver to 3 Harbour View, Cork T12 X8N2, IBAN IE29 AIBK 9311 5212 3456 78.';
    const types = anonymiser.anonymise(text).spans.map((span) => [text.slice(span.start, span.end), span.type]);
    expect(types).toEqual([
      ['maria.lopez@globex.com', 'EMAIL'],
      ['3 Harbour View, Cork T12 X8N2', 'ADDRESS'],
      ['IE29 AIBK 9311 5212 3456 78', 'IBAN'],
    ]);
  });

  it('returns text without PII unchanged, and an empty text as empty', () => {
    expect(anonymiser.anonymise('Version 10.2.0.1 shipped on 2024-03-15, order ORD-118834.')).toEqual({
      anonymised: 'Version 10.2.0.1 shipped on 2024-03-15, order ORD-118834.',
      spans: [],
    });
    expect(anonymiser.anonymise('')).toEqual({ anonymised: '', spans: [] });
  });
});

describe('Anonymiser.anonymiseAll', () => {
  it('keeps one placeholder per person, company and value across the texts of one example', () => {
    const [prompt, answer, correction] = anonymiser.anonymiseAll([
      'Customer Chidi Okafor of Globex Ltd asks about card 4111 1111 1111 1111.',
      'Dear Mr. Okafor, the card 4111-1111-1111-1111 was charged once. Maria Lopez from Globex will call.',
      'Chidi, Maria Lopez will call you today.',
    ]);
    expect(prompt?.anonymised).toBe('Customer <PERSON_1> of <COMPANY_1> asks about card <CREDIT_CARD_1>.');
    expect(answer?.anonymised).toBe('Dear Mr. <PERSON_1>, the card <CREDIT_CARD_1> was charged once. <PERSON_2> from <COMPANY_1> will call.');
    expect(correction?.anonymised).toBe('<PERSON_1>, <PERSON_2> will call you today.');
  });

  it('numbers two different people sharing a first name apart', () => {
    const [result] = anonymiser.anonymiseAll(['Maria Lopez and Maria Chen both called.']);
    expect(result?.anonymised).toBe('<PERSON_1> and <PERSON_2> both called.');
  });

  it('numbers new finds after placeholders already in the texts, so they do not collide', () => {
    const [result] = anonymiser.anonymiseAll(['<PERSON_1> asked; Maria Lopez answered from maria@example.com.']);
    expect(result?.anonymised).toBe('<PERSON_1> asked; <PERSON_2> answered from <EMAIL_1>.');
  });

  it('starts numbering again for each example', () => {
    expect(anonymiser.anonymiseAll(['Email bob@example.com'])[0]?.anonymised).toBe('Email <EMAIL_1>');
    expect(anonymiser.anonymiseAll(['Email alice@example.com'])[0]?.anonymised).toBe('Email <EMAIL_1>');
  });

  it('refuses a text that is not a string, naming which one', () => {
    expect(() => anonymiser.anonymiseAll(['fine', 42 as unknown as string])).toThrow('anonymiseAll: text 1 is number, not a string');
  });
});

describe('measuredQuality', () => {
  it('is the benchmark measurement of this anonymiser version, for every type', () => {
    const quality = measuredQuality();
    // A changed anonymiser with an old measurement fails here: run `npm run bench:anonymiser`.
    expect(quality.version).toBe(ANONYMISER_VERSION);
    expect(Object.keys(quality.recall).sort()).toEqual([...PII_TYPES].sort());
    expect(Object.keys(quality.precision).sort()).toEqual([...PII_TYPES].sort());
    expect(Number.isNaN(Date.parse(quality.measuredAt))).toBe(false);
  });
});
