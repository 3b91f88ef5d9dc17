/**
 * PERSON: compromise's people(), which reads names from its lexicon and from the words around them, plus
 * what gives a name away when compromise does not know it (its lexicon is thin on African, South Asian and
 * many European names): an honorific ("Dr. Okonkwo"), a greeting or closing ("Hi Leo,", "Thanks, Bill"), an
 * introduction or mention ("my name is …", "spoke with …", "account holder …"), and runs of capitalised
 * words compromise tags as unknown proper nouns ("Kofi Boateng"). Not a list of names.
 */
import { isCommonWord, type ParsedText, type TaggedTerm } from './compromise-doc';
import type { PiiSpan } from './pii-span';

// A capitalised name word: "O'Neill", "Jean-Luc", "McAllister", "Ng"; particles may sit between them.
const WORD = "\\p{Lu}[\\p{L}'’\\-]*\\p{L}";
const PARTICLE = '(?:van|von|der|den|de|da|di|du|del|della|dos|le|la|bin|ibn|al|ter|ten)';
const NAME = `${WORD}(?:[ \\t]+(?:${PARTICLE}[ \\t]+)*${WORD}){0,3}`;

const HONORIFIC = '(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Herr|Frau|Mme|Mlle|Monsieur|Madame|Sr|Sra|Señor|Señora|Fr|Rev)';
const HONORIFIC_WORD = new RegExp(`^${HONORIFIC}\\.?$`, 'u');

/**
 * Phrases as they appear in running text or at the start of a sentence ("customer", "Customer"). The name
 * after them must stay capitalised, so the patterns cannot simply be case-insensitive.
 */
function phrases(list: readonly string[]): string {
  return `(?:${list.map((phrase) => phrase.replace(/^\p{L}/u, (first) => `[${first.toLowerCase()}${first.toUpperCase()}]`)).join('|')})`;
}

const INTRODUCTIONS = phrases(['my name is', "my name's", 'name is', 'name:', 'call me', 'ask for', 'signed', 'signed by']);
const GREETINGS = phrases(['hi', 'hello', 'hey', 'dear', 'morning', 'good morning', 'good afternoon', 'good evening', 'welcome']);
const CLOSINGS = phrases(['thanks', 'thank you', 'many thanks', 'merci', 'regards', 'best regards', 'kind regards', 'warm regards', 'best wishes', 'best', 'cheers', 'sincerely', 'yours', 'br', 'ta', '--', '—', '–']);
const MENTIONS = phrases([
  'I am', "I'm", 'this is', "it's", 'speaking with', 'spoke to', 'spoke with', 'talked to', 'talked with', 'chatted with',
  'met', 'met with', 'meeting with', 'call with', 'lunch with', 'emailed', 'called', 'contact', 'contact person', 'assigned to',
  'reassigned to', 'handed over to', 'handed to', 'escalate to', 'escalated to', 'reported by', 'requested by', 'approved by',
  'owner', 'cc', 'attn', 'attention', 'customer', 'client', 'caller', 'rep', 'agent', 'manager', 'colleague', 'assistant',
  'wife', 'husband', 'partner', 'son', 'daughter', 'ask', 'asked', 'tell', 'told', 'thank', 'ping', 'loop in', 'keep',
  'cc:', 'from:', 'to:', 'holder', 'account holder', 'cardholder', 'tenant', 'recipient', 'employee', 'applicant', 'candidate',
  'patient', 'guest', 'passenger', 'prospect', 'champion', 'introduced us to', 'bring', 'covers for', 'for', 'reservation for',
  'booking for', 'booking:', 'signup:', 'name', 'user', 'admin is', 'lead is', 'contact is', 'reply to', 'note from', 'via',
  'call', 'email', 'message', 'text', 'invite', 'remind', 'meet', 'visit', 'pay',
]);

/** Contexts after which a capitalised word is a name, whatever the lexicon says ("Thanks, Bill"). */
const STRONG_CONTEXTS: readonly RegExp[] = [
  new RegExp(`\\b${HONORIFIC}\\.?[ \\t]+(${NAME})`, 'gu'),
  new RegExp(`\\b${INTRODUCTIONS}[ \\t]+(${NAME})`, 'gu'),
  new RegExp(`(?:^|[\\n.!?][ \\t]*)${GREETINGS}[ \\t,]+(${NAME})(?=[ \\t]*(?:[,!:\\n]|$))`, 'gu'),
  // Closings and signatures: at the start of a line or sentence, the name alone on its line or before a comma.
  new RegExp(`(?:^|[\\n.!?][ \\t]*)${CLOSINGS}[ \\t]*[,!.]?[ \\t]*\\n?[ \\t]*(${NAME})(?=[ \\t]*(?:$|\\n|[,.;:(]))`, 'gu'),
];

/** Contexts after which capitalised words are a name unless they are all common words ("spoke with Support"). */
const WEAK_CONTEXTS: readonly RegExp[] = [
  new RegExp(`\\b${MENTIONS}[:,]?[ \\t]+(${NAME})`, 'gu'),
  // A name signed alone at the very end of a text ("… Don't forward this. Kenji").
  new RegExp(`(?:^|[\\n.!?][ \\t]*)(${NAME})[ \\t]*[.!]?$`, 'gu'),
];

/** Capitalised words that are never names, even after a strong context ("Dear Sir", "Thanks, Team"). */
const NOT_NAMES = new Set([
  'team', 'all', 'everyone', 'again', 'support', 'guys', 'folks', 'in', 'so', 'much', 'you', 'the', 'a', 'an', 'i', 'we', 'our',
  'your', 'hi', 'hello', 'dear', 'ok', 'okay', 'yes', 'no', 'sir', 'madam', 'sirs', 'customer', 'customers', 'accounts',
  'billing', 'finance', 'sales', 'marketing', 'hr', 'it', 'ops', 'legal', 'admin', 'management', 'care', 'service', 'there',
  'both', 'from', 'for', 'this', 'that', 'please', 'thanks', 'regards',
]);

/** A run of words compromise tags as a person, or as a proper noun its lexicon does not know at all. */
const PERSON_TAGS = ['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName'];
const NOT_A_NAME_TAGS = ['Place', 'City', 'Country', 'Region', 'Organization', 'Date', 'Month', 'WeekDay', 'Acronym', 'Singular', 'Plural', 'Verb', 'Adjective', 'Adverb', 'Demonym', 'Value', 'Expression', 'Pronoun', 'Determiner'];

const PLACE_OR_ORGANISATION_TAGS = ['Place', 'City', 'Country', 'Region', 'Organization', 'Date', 'Month', 'WeekDay', 'Acronym'];

function isPersonTerm(term: TaggedTerm): boolean {
  return term.tags.some((tag) => PERSON_TAGS.includes(tag));
}

function isUnknownProperNoun(term: TaggedTerm): boolean {
  return term.tags.includes('ProperNoun') && !term.tags.some((tag) => NOT_A_NAME_TAGS.includes(tag)) && !isCommonWord(term.text);
}

/**
 * compromise does not tag the first word of a sentence as a proper noun, so "Chidi" in "Chidi Okafor
 * called." looks like any noun: it counts when the lexicon does not know it and a name-like word follows.
 */
function isSentenceInitialUnknown(term: TaggedTerm, next: TaggedTerm | undefined): boolean {
  if (!next || isCommonWord(term.text) || !(isUnknownProperNoun(next) || isPersonTerm(next))) return false;
  return term.tags.every((tag) => ['Noun', 'Singular', 'Plural', 'ProperNoun'].includes(tag));
}

function endOfName(text: string, start: number, end: number): number {
  // A term can carry punctuation compromise does not split on ("Demir;NL64"); the name ends before it.
  const value = text.slice(start, end);
  const cut = value.search(/[^\p{L}'’\-. \t]/u);
  let kept = cut === -1 ? value : value.slice(0, cut);
  kept = kept.replace(/['’]s$/u, '').replace(/[ \t.'’-]+$/u, '');
  return start + kept.length;
}

function fromContexts(text: string, contexts: readonly RegExp[], strong: boolean): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const context of contexts) {
    for (const match of text.matchAll(new RegExp(context.source, `${context.flags}d`))) {
      const indices = match.indices?.[1];
      const name = match[1];
      if (!indices || name === undefined) continue;
      const words = name.split(/[ \t]+/);
      // Keep the words up to one that cannot be part of a name.
      // An honorific or an all-capitals word ("NDA", "NOK") is not part of a name found from context.
      let kept = words.findIndex((word) => NOT_NAMES.has(word.toLowerCase()) || HONORIFIC_WORD.test(word) || /^\p{Lu}+$/u.test(word));
      if (kept === -1) kept = words.length;
      const keptWords = words.slice(0, kept);
      if (keptWords.length === 0) continue;
      if (!strong && keptWords.every((word) => isCommonWord(word))) continue;
      const start = indices[0];
      const keptLength = keptWords.join(' ').length <= name.length ? name.indexOf(keptWords.at(-1) ?? '', 0) + (keptWords.at(-1) ?? '').length : name.length;
      spans.push({ start, end: endOfName(text, start, start + keptLength), type: 'PERSON' });
    }
  }
  return spans;
}

/** compromise's matches, split where punctuation separates their words ("June; Will Turner"). */
function peopleMatches(parsed: ParsedText): TaggedTerm[][] {
  const groups: TaggedTerm[][] = [];
  for (const match of parsed.people()) {
    let group: TaggedTerm[] = [];
    for (const term of match) {
      group.push(term);
      if (/[^\s]/.test(term.post) && !term.tags.includes('Honorific')) {
        groups.push(group);
        group = [];
      }
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

function fromCompromise(text: string, parsed: ParsedText): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of peopleMatches(parsed)) {
    const hasHonorific = match.some((term) => term.tags.includes('Honorific'));
    const terms = match.filter((term) => !term.tags.includes('Honorific'));
    const first = terms[0];
    const last = terms.at(-1);
    if (!first || !last) continue;
    if (terms.length === 1 && !hasHonorific) {
      // A lone word is a name when it is a capitalised first name ("Greg"); a lone surname ("Jenkins") or
      // a word the lexicon knows as something else ("May", "April", "Will") needs context, which the
      // context detectors look for.
      if (!/^\p{Lu}\p{Ll}/u.test(first.text) || isCommonWord(first.text)) continue;
      if (!first.tags.some((tag) => tag === 'FirstName' || tag === 'MaleName' || tag === 'FemaleName')) continue;
    }
    if (!terms.some((term) => /^\p{Lu}/u.test(term.text)) && !terms.every((term) => term.tags.includes('FirstName') || term.tags.includes('LastName'))) continue;
    if (terms.every((term) => /^\p{Lu}+$/u.test(term.text))) continue;
    // "April Fools": a month and a plural, no word of a name.
    if (terms.length > 1 && terms.every((term) => isCommonWord(term.text) || term.tags.includes('Plural'))) continue;
    const start = first.offset.start;
    const end = endOfName(text, start, last.offset.start + last.offset.length);
    if (end > start) spans.push({ start, end, type: 'PERSON' });
  }
  return spans;
}

/** Two or three adjacent capitalised words that are each a known name or an unknown proper noun. */
function fromProperNounRuns(text: string, parsed: ParsedText): PiiSpan[] {
  const spans: PiiSpan[] = [];
  const terms = parsed.terms();
  let run: TaggedTerm[] = [];
  const flush = () => {
    // Every word a name or an unknown proper noun ("Kofi Boateng"), or one word a known name and the others
    // words the lexicon does not know, whatever the tagger guessed for them ("Dimitrios Papadopoulos").
    const allNameLike = run.every(
      (term, index) => isPersonTerm(term) || isUnknownProperNoun(term) || (index === 0 && isSentenceInitialUnknown(term, run[1])),
    );
    // A first name that is also a place ("Victoria Chen") counts when a surname follows it.
    const anchoredByName =
      run.some(isPersonTerm) &&
      run.every(
        (term, index) =>
          isPersonTerm(term) ||
          (!isCommonWord(term.text) && !term.tags.some((tag) => PLACE_OR_ORGANISATION_TAGS.includes(tag))) ||
          (term.tags.includes('Place') && run[index + 1]?.tags.includes('LastName') === true),
      );
    if (run.length >= 2 && run.length <= 3 && (allNameLike || anchoredByName) && run.some((term) => !isCommonWord(term.text))) {
      const first = run[0];
      const last = run.at(-1);
      if (first && last) {
        const start = first.offset.start;
        const end = endOfName(text, start, last.offset.start + last.offset.length);
        if (end > start) spans.push({ start, end, type: 'PERSON' });
      }
    }
    run = [];
  };
  for (const term of terms) {
    const capitalised = /^\p{Lu}\p{Ll}[\p{L}'’-]*$/u.test(term.text.replace(/[^\p{L}'’-].*$/u, ''));
    const previous = run.at(-1);
    // Words of one name are separated by spaces only, not by punctuation.
    const joined = previous === undefined || /^[ \t]+$/.test(previous.post);
    if (capitalised && joined) run.push(term);
    else {
      flush();
      if (capitalised) run.push(term);
    }
    if (/[^\s]/.test(term.post) || /[^\p{L}'’-]/u.test(term.text)) flush();
  }
  flush();
  return spans;
}

/** Person names in `text`, from compromise and from context. Spans may overlap; the resolver picks. */
export function findPeople(text: string, parsed: ParsedText): PiiSpan[] {
  return [
    ...fromCompromise(text, parsed),
    ...fromProperNounRuns(text, parsed),
    ...fromContexts(text, STRONG_CONTEXTS, true),
    ...fromContexts(text, WEAK_CONTEXTS, false),
  ];
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
