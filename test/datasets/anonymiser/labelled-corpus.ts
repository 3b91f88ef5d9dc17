/**
 * The anonymiser's labelled corpus: business texts (support tickets, CRM notes, emails, chat prompts, ops
 * chat and forms) written for this test, with every piece of PII marked `[[TYPE|value]]`, and hard
 * negatives (version numbers, order ids, dates, numbers failing Luhn or mod 97, "April", "Will", "Bill"…)
 * where nothing is marked. One text per line; `\n` in a line is a line break; `#` starts a comment line.
 *
 * Labelling rules: PERSON is the name without honorific or possessive; ADDRESS runs from the house number
 * or street through unit, postcode, city and country on the same line; COMPANY is the name as written,
 * with a legal form that follows it; URL_CREDENTIALS is the `user:password` of a URL; SECRET is the token,
 * or the value after "password is", "secret access key:"….
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PII_TYPES, type PiiSpan, type PiiType } from '../../../src-main/datasets/anonymiser/anonymiser';

/** The company table the corpus is anonymised with. */
export const CORPUS_COMPANIES: Array<{ slug: string; name: string }> = [
  { slug: 'globex', name: 'Globex Ltd' },
  { slug: 'blue-harbor', name: 'Blue Harbor Logistics' },
  { slug: 'umbrella-health', name: 'Umbrella Health' },
  { slug: 'initech', name: 'Initech' },
  { slug: 'northwind', name: 'Northwind Traders' },
  { slug: 'contoso-pharma', name: 'Contoso Pharma GmbH' },
  { slug: 'tyrell', name: 'Tyrell Systems' },
  { slug: 'hooli', name: 'Hooli' },
  { slug: 'pied-piper', name: 'Pied Piper' },
  { slug: 'vandelay', name: 'Vandelay Industries' },
  { slug: 'soylent', name: 'Soylent Corp' },
  { slug: 'massive-dynamic', name: 'Massive Dynamic' },
];

/** One labelled text and where it came from. */
export interface LabelledText {
  source: string;
  text: string;
  spans: PiiSpan[];
}

const CORPUS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'corpus');
const MARK = /\[\[([A-Z_]+)\|([\s\S]*?)\]\]/g;

/** Parses one marked-up line into its text and gold spans; a mark with an unknown type fails naming it. */
export function parseMarkedLine(marked: string, source: string): LabelledText {
  const line = marked.replaceAll('\\n', '\n');
  let text = '';
  let cursor = 0;
  const spans: PiiSpan[] = [];
  for (const match of line.matchAll(MARK)) {
    const [whole, type = '', value = ''] = match;
    if (!PII_TYPES.includes(type as PiiType)) throw new Error(`${source}: unknown PII type ${type}`);
    text += line.slice(cursor, match.index);
    spans.push({ start: text.length, end: text.length + value.length, type: type as PiiType });
    text += value;
    cursor = match.index + whole.length;
  }
  text += line.slice(cursor);
  if (text.includes('[[') || text.includes(']]')) throw new Error(`${source}: unbalanced [[ ]] mark`);
  return { source, text, spans };
}

/** Every labelled text of the corpus, in file and line order. */
export function loadLabelledCorpus(): LabelledText[] {
  const texts: LabelledText[] = [];
  for (const file of readdirSync(CORPUS_DIR).filter((name) => name.endsWith('.txt')).sort()) {
    readFileSync(join(CORPUS_DIR, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.trim() === '' || line.startsWith('#')) return;
        texts.push(parseMarkedLine(line, `${file}:${index + 1}`));
      });
  }
  return texts;
}
