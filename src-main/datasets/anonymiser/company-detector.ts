/**
 * COMPANY from the company table: each company's name and slug, the name without its legal form
 * ("Globex" for "Globex Ltd"), and the slug written with spaces. A one-word form may also be an ordinary word
 * ("Umbrella", "Target"), so it matches only capitalised; longer forms match in any case.
 */
import type { Candidate } from './span-resolution';

const LEGAL_FORM =
  'Inc\\.?|Incorporated|Ltd\\.?|Limited|LLC|L\\.L\\.C\\.|LLP|GmbH|AG|S\\.?A\\.?|SAS|SARL|B\\.?V\\.?|N\\.?V\\.?|PLC|plc|Corp\\.?|Corporation|Co\\.?|Company|Group|Holdings|Pty\\.?(?: Ltd\\.?)?|Oy|AB|S\\.?p\\.?A\\.?|S\\.?r\\.?l\\.?|KG|SE';
const TRAILING_LEGAL_FORM = new RegExp(`[\\s,]+(?:${LEGAL_FORM})$`, 'i');

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The ways a company is written: its name, without legal form, its slug, its slug with spaces. */
export function companyNameForms(company: { slug: string; name: string }): string[] {
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
  return [...forms];
}

/** Finds the given companies wherever they are named, with a legal form that follows them. */
export class CompanyDetector {
  private readonly patterns: Array<{ pattern: RegExp; slug: string }>;

  constructor(companies: ReadonlyArray<{ slug: string; name: string }>) {
    const forms = companies.flatMap((company) => companyNameForms(company).map((form) => ({ form, slug: company.slug })));
    forms.sort((a, b) => b.form.length - a.form.length);
    this.patterns = forms.flatMap(({ form, slug }) => {
      const oneWord = !/[\s\-\d&.]/.test(form);
      // "Umbrella" and "UMBRELLA" (and a name registered in mixed case, say "iRobot"), not "umbrella".
      const capitalised = (form[0] ?? '').toUpperCase() + form.slice(1);
      const asRegistered = form === form.toLowerCase() ? [] : [form];
      const written = oneWord ? [...new Set([...asRegistered, capitalised, form.toUpperCase()])] : [form];
      return written.map((variant) => {
        const body = escapeRegExp(variant).replace(/\s+/g, '[\\s-]+');
        const source = `(?<![\\p{L}\\p{N}_-])${body}(?:[\\s,]+(?:${LEGAL_FORM}))?(?![\\p{L}\\p{N}_]|-[\\p{L}\\p{N}])`;
        return { pattern: new RegExp(source, oneWord ? 'gu' : 'giu'), slug };
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
