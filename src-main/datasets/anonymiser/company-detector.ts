/**
 * COMPANY from the company table: each company's name and slug, the name without its legal form
 * ("Globex" for "Globex Ltd"), the slug written with spaces, and the name's first word when it is
 * distinctive ("Contoso" for "Contoso Pharma"). People type company names in lower case ("hooli says…"),
 * so forms match in any case, except forms made only of words compromise knows as ordinary English
 * ("Target", "Massive Dynamic"), forms shorter than four characters ("PG"), and first words, which match only
 * capitalised or in capitals. A form with fewer than two letters or digits ("X") is not looked for.
 */
import { isCommonWord, isOrdinaryWord } from './compromise-doc';
import type { Candidate } from './span-resolution';

const LEGAL_FORM =
  'Inc\\.?|Incorporated|Ltd\\.?|Limited|LLC|L\\.L\\.C\\.|LLP|GmbH|AG|S\\.?A\\.?|SAS|SARL|B\\.?V\\.?|N\\.?V\\.?|PLC|plc|Corp\\.?|Corporation|Co\\.?|Company|Group|Holdings|Pty\\.?(?: Ltd\\.?)?|Oy|AB|S\\.?p\\.?A\\.?|S\\.?r\\.?l\\.?|KG|SE';
const TRAILING_LEGAL_FORM = new RegExp(`[\\s,]+(?:${LEGAL_FORM})$`, 'i');

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A form of a company's name, and whether it may match in lower case too. */
interface NameForm {
  form: string;
  anyCase: boolean;
}

/** The ways a company is written: its name, without legal form, its slug, its slug with spaces. */
export function companyNameForms(company: { slug: string; name: string }): string[] {
  return nameForms(company).map(({ form }) => form);
}

function nameForms(company: { slug: string; name: string }): NameForm[] {
  const forms = new Set<string>();
  const name = company.name.trim().replace(/\s+/g, ' ');
  if (name !== '') forms.add(name);
  const bare = name.replace(TRAILING_LEGAL_FORM, '').trim();
  if (bare.length >= 2) forms.add(bare);
  const slug = company.slug.trim();
  if (slug.length >= 2) {
    forms.add(slug);
    if (slug.includes('-')) forms.add(slug.replaceAll('-', ' '));
  }
  // A short form ("pg", "att") would match ordinary text in lower case; it matches as capitalised or upper only.
  const result: NameForm[] = [...forms]
    .filter((form) => (form.match(/[\p{L}\p{N}]/gu) ?? []).length >= 2)
    .map((form) => ({ form, anyCase: form.length >= 4 && !form.split(/[\s-]+/).every((word) => isOrdinaryWord(word)) }));
  const firstWord = bare.split(' ')[0] ?? '';
  if (bare.includes(' ') && firstWord.length >= 4 && /^\p{Lu}/u.test(firstWord) && !isCommonWord(firstWord) && !forms.has(firstWord)) {
    result.push({ form: firstWord, anyCase: false });
  }
  return result;
}

/** Finds the given companies wherever they are named, with a legal form that follows them. */
export class CompanyDetector {
  private readonly patterns: Array<{ pattern: RegExp; slug: string }>;

  constructor(companies: ReadonlyArray<{ slug: string; name: string }>) {
    const forms = companies.flatMap((company) => nameForms(company).map((form) => ({ ...form, slug: company.slug })));
    forms.sort((a, b) => b.form.length - a.form.length);
    this.patterns = forms.flatMap(({ form, anyCase, slug }) => {
      // Case-sensitive forms: as registered, Capitalised and UPPER CASE ("Target", "TARGET", not "target").
      const capitalised = form.replace(/(^|[\s-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
      const written = anyCase ? [form] : [...new Set([form, capitalised, form.toUpperCase()])].filter((variant) => variant !== variant.toLowerCase());
      return written.map((variant) => {
        const body = escapeRegExp(variant).replace(/\s+/g, '[\\s-]+');
        const source = `(?<![\\p{L}\\p{N}_-])${body}(?:[\\s,]+(?:${LEGAL_FORM}))?(?![\\p{L}\\p{N}_]|-[\\p{L}\\p{N}])`;
        return { pattern: new RegExp(source, anyCase ? 'giu' : 'gu'), slug };
      });
    });
  }

  /** Each mention, keyed by the company's slug so every form of one company gets one placeholder. */
  find(text: string): Candidate[] {
    const spans: Candidate[] = [];
    for (const { pattern, slug } of this.patterns) {
      for (const match of text.matchAll(pattern)) spans.push({ start: match.index, end: match.index + match[0].length, type: 'COMPANY', key: slug });
    }
    return spans;
  }
}
