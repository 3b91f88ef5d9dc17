import { describe, expect, it } from 'vitest';
import { Anonymiser, type PiiType } from '../../../src-main/datasets/anonymiser/anonymiser';
import { companyNameForms } from '../../../src-main/datasets/anonymiser/company-detector';

const anonymiser = new Anonymiser({
  companies: [
    { slug: 'globex', name: 'Globex Ltd' },
    { slug: 'contoso-pharma', name: 'Contoso Pharma GmbH' },
    { slug: 'massive-dynamic', name: 'Massive Dynamic' },
    { slug: 'target', name: 'Target' },
  ],
});

/** The values of one type the anonymiser finds in a text. */
function valuesOf(text: string, type: PiiType): string[] {
  return anonymiser
    .anonymise(text)
    .spans.filter((span) => span.type === type)
    .map((span) => text.slice(span.start, span.end));
}

describe('PERSON', () => {
  it('finds names compromise knows, without the honorific or the possessive', () => {
    expect(valuesOf("Spoke with Dr. Priya Raghunathan about Sarah Connor's renewal.", 'PERSON')).toEqual(['Priya Raghunathan', 'Sarah Connor']);
  });

  it('finds names its lexicon does not know, from context and from runs of unknown proper nouns', () => {
    expect(valuesOf('Please escalate to Kofi Boateng; customer Olumide Adebayo is waiting.', 'PERSON')).toEqual(['Kofi Boateng', 'Olumide Adebayo']);
    expect(valuesOf('Hi Leo, the report is late. Thanks, Bill', 'PERSON')).toEqual(['Leo', 'Bill']);
  });

  it('leaves months, modal verbs and nouns that are also first names alone', () => {
    expect(valuesOf('Will you send the bill by May? April was late. Please grant access and mark it done.', 'PERSON')).toEqual([]);
    expect(valuesOf('Dear Sir or Madam, thanks to the Sales team.', 'PERSON')).toEqual([]);
  });

  it('finds a surname again on its own once the full name was seen', () => {
    expect(valuesOf('Chidi Okafor called. Okafor wants a refund.', 'PERSON')).toEqual(['Chidi Okafor', 'Okafor']);
  });

  it('does not spread a name word that is also an ordinary word ("Will" of Will Turner) over the text', () => {
    expect(valuesOf('Grant Mitchell is out; Will Turner covers. Will you tell Turner?', 'PERSON')).toEqual(['Grant Mitchell', 'Will Turner', 'Turner']);
  });
});

describe('ADDRESS', () => {
  it('finds street addresses in English, German, French and Polish orders with their city and postcode', () => {
    expect(valuesOf('Ship to 1600 Amphitheatre Parkway, Mountain View, CA 94043 please.', 'ADDRESS')).toEqual(['1600 Amphitheatre Parkway, Mountain View, CA 94043']);
    expect(valuesOf('Neue Adresse: Hauptstraße 112, 10115 Berlin.', 'ADDRESS')).toEqual(['Hauptstraße 112, 10115 Berlin']);
    expect(valuesOf('I moved to 12 rue de la Paix, 75002 Paris last week.', 'ADDRESS')).toEqual(['12 rue de la Paix, 75002 Paris']);
    expect(valuesOf('Adres: ul. Marszałkowska 84, 00-514 Warszawa', 'ADDRESS')).toEqual(['ul. Marszałkowska 84, 00-514 Warszawa']);
    expect(valuesOf('Returns: Unit 9, 250 Industrial Way, Reno, NV 89502.', 'ADDRESS')).toEqual(['Unit 9, 250 Industrial Way, Reno, NV 89502']);
  });

  it('leaves room numbers, street-food fairs and place-like product names alone', () => {
    expect(valuesOf('The room number is 1600 and the spot is 221. Street food fair on Baker Day. The Mountain Dew promo ended.', 'ADDRESS')).toEqual([]);
  });
});

describe('COMPANY', () => {
  it('derives the forms a company is written in from its name and slug', () => {
    expect(companyNameForms({ slug: 'contoso-pharma', name: 'Contoso Pharma GmbH' })).toEqual(['Contoso Pharma GmbH', 'Contoso Pharma', 'contoso-pharma', 'contoso pharma', 'Contoso']);
    // "Blue" is an ordinary word: not a form of Blue Harbor on its own.
    expect(companyNameForms({ slug: 'blue-harbor', name: 'Blue Harbor Logistics' })).toEqual(['Blue Harbor Logistics', 'blue-harbor', 'blue harbor']);
  });

  it('finds every form, in any case where the name is not ordinary English, with a legal form after it', () => {
    expect(valuesOf('globex signed; Globex Ltd. pays; Contoso Pharma GmbH and contoso-pharma too; Contoso is late.', 'COMPANY')).toEqual([
      'globex',
      'Globex Ltd.',
      'Contoso Pharma GmbH',
      'contoso-pharma',
      'Contoso',
    ]);
  });

  it('matches short names only capitalised, and does not look for a one-letter name', () => {
    const short = new Anonymiser({ companies: [{ slug: 'pg', name: 'P&G' }, { slug: 'x', name: 'X' }] });
    expect(short.anonymise('See pg 5. PG and P&G signed. X marks the spot.').anonymised).toBe('See pg 5. <COMPANY_1> and <COMPANY_1> signed. X marks the spot.');
  });

  it('matches a name made of ordinary words only as the company writes it', () => {
    expect(valuesOf('We need a massive dynamic range; our target is Q3. Target and Massive Dynamic renewed.', 'COMPANY')).toEqual(['Target', 'Massive Dynamic']);
  });
});
