/**
 * PERSON: compromise's people(), which reads names from its lexicon and from the words around them, plus the
 * context that gives a name away even when compromise does not know it: an honorific ("Dr. Okonkwo"), an
 * introduction ("my name is …", "spoke with …"), a closing ("Thanks, …"). Not a list of names.
 */
import { isCommonWord, type ParsedText, type TaggedMatch } from './compromise-doc';
import type { PiiSpan } from './pii-span';

// A capitalised name word: "O'Neill", "Jean-Luc", "McAllister", "Ng"; particles may sit between them.
const WORD = "\\p{Lu}[\\p{L}'’\\-]*\\p{L}";
const PARTICLE = "(?:van|von|der|den|de|da|di|du|del|della|dos|le|la|bin|ibn|al|ter|ten)";
const NAME = `${WORD}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)*${WORD}){0,3}`;

const HONORIFIC = '(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Monsieur|Madame|Sr|Sra|Señor|Señora|Fr|Rev)';

/**
 * Phrases as they appear in running text or at the start of a sentence ("customer", "Customer"). The name
 * after them must stay capitalised, so the patterns cannot simply be case-insensitive.
 */
function phrases(list: readonly string[]): string {
  return `(?:${list.map((phrase) => phrase.replace(/^\p{L}/u, (first) => `[${first.toLowerCase()}${first.toUpperCase()}]`)).join('|')})`;
}

const INTRODUCTIONS = phrases(['my name is', "my name's", 'name is', 'name:', 'call me', 'ask for', 'signed', 'signed by']);
const CLOSINGS = phrases(['thanks', 'thank you', 'many thanks', 'regards', 'best regards', 'kind regards', 'warm regards', 'best wishes', 'best', 'cheers', 'sincerely', 'yours', 'br', 'ta', '--', '—', '–']);
const MENTIONS = phrases([
  'I am', "I'm", 'this is', "it's", 'speaking with', 'spoke to', 'spoke with', 'talked to', 'talked with', 'chatted with',
  'met with', 'meeting with', 'call with', 'emailed', 'called', 'contact', 'contact person', 'assigned to', 'reassigned to',
  'handed over to', 'handed to', 'escalated to', 'reported by', 'requested by', 'approved by', 'owner', 'cc', 'attn', 'attn.',
  'attention', 'customer', 'client', 'caller', 'rep', 'agent', 'manager', 'colleague', 'wife', 'husband', 'partner', 'son',
  'daughter', 'ask', 'asked', 'tell', 'told', 'thank', 'ping', 'loop in', 'cc:', 'from:', 'to:',
]);

/** Contexts after which a capitalised word is a name, whatever the lexicon says ("Thanks, Bill"). */
const STRONG_CONTEXTS: readonly RegExp[] = [
  new RegExp(`\\b${HONORIFIC}\\.?[ \\t]+(${NAME})`, 'gu'),
  new RegExp(`\\b${INTRODUCTIONS}[ \\t]+(${NAME})`, 'gu'),
  // Closings and signatures: at the start of a line or sentence, the name alone on its line or before a comma.
  new RegExp(`(?:^|[\\n.!?][ \\t]*)${CLOSINGS}[ \\t]*[,!.]?[ \\t]*\\n?[ \\t]*(${NAME})(?=[ \\t]*(?:$|\\n|[,.;:(]))`, 'gu'),
];

/** Contexts after which a capitalised word is a name unless it is a common word ("spoke with Support"). */
const WEAK_CONTEXTS: readonly RegExp[] = [new RegExp(`\\b${MENTIONS}[:,]?[ \\t]+(${NAME})`, 'gu')];

/** Capitalised words after a context that are never names. */
const NOT_NAMES = new Set(['team', 'all', 'everyone', 'again', 'support', 'guys', 'folks', 'in', 'so', 'much', 'you', 'the', 'a', 'an', 'i', 'we', 'our', 'your', 'hi', 'hello', 'dear', 'ok', 'okay', 'yes', 'no']);

function trimPossessive(text: string, start: number, end: number): number {
  return /['’]s$/.test(text.slice(start, end)) ? end - 2 : end;
}

function fromContexts(text: string, contexts: readonly RegExp[], strong: boolean): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const context of contexts) {
    for (const match of text.matchAll(new RegExp(context.source, `${context.flags.replace('d', '')}d`))) {
      const indices = match.indices?.[1];
      const name = match[1];
      if (!indices || name === undefined) continue;
      // Words of the captured name up to the first that cannot be part of it.
      const words = name.split(/[ \t]+/);
      let kept = 0;
      for (const word of words) {
        if (NOT_NAMES.has(word.toLowerCase())) break;
        if (!strong && isCommonWord(word)) break;
        kept++;
      }
      if (kept === 0) continue;
      const keptText = words.slice(0, kept).join(' ');
      const length = name.indexOf(keptText) === 0 ? keptText.length : name.length;
      const start = indices[0];
      spans.push({ start, end: trimPossessive(text, start, start + length), type: 'PERSON' });
    }
  }
  return spans;
}

function fromCompromise(text: string, parsed: ParsedText): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of parsed.people()) {
    const terms = match.filter((term) => !term.tags.includes('Honorific'));
    const first = terms[0];
    const last = terms.at(-1);
    if (!first || !last) continue;
    // A lone word compromise calls a person but its lexicon knows as something else ("May", "April", "Will")
    // is only a name with context, which the context detectors look for.
    if (terms.length === 1 && isCommonWord(first.text)) continue;
    if (!terms.some((term) => /^\p{Lu}/u.test(term.text)) && !terms.every((term) => isPersonTagged(term))) continue;
    const start = first.offset.start;
    spans.push({ start, end: trimPossessive(text, start, last.offset.start + last.offset.length), type: 'PERSON' });
  }
  return spans;
}

function isPersonTagged(term: TaggedMatch[number]): boolean {
  return term.tags.includes('FirstName') || term.tags.includes('LastName');
}

/** Person names in `text`, from compromise and from context. Spans may overlap; the resolver picks. */
export function findPeople(text: string, parsed: ParsedText): PiiSpan[] {
  return [...fromCompromise(text, parsed), ...fromContexts(text, STRONG_CONTEXTS, true), ...fromContexts(text, WEAK_CONTEXTS, false)];
}

/**
 * Every further occurrence of the words of names already found ("Okafor" alone after "Chidi Okafor"), so a
 * person named once in full is not left half-named elsewhere in the example.
 */
export function findKnownNameWords(text: string, nameWords: ReadonlySet<string>): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}_])${WORD}`, 'gu'))) {
    if (nameWords.has(match[0])) spans.push({ start: match.index, end: match.index + match[0].length, type: 'PERSON' });
  }
  return spans;
}
