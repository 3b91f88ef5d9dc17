/**
 * The parts of compromise (https://github.com/spencermountain/compromise) the anonymiser uses: its tagger,
 * which runs offline on the lexicon its npm package ships, and its lexicon, to tell names from common words.
 */
import nlp from 'compromise';

/** A term of a compromise match, with its offset into the parsed text (punctuation around it excluded). */
export interface TaggedTerm {
  text: string;
  /** Punctuation and spaces before and after the term. */
  pre: string;
  post: string;
  tags: string[];
  offset: { start: number; length: number };
}

/** The terms of each match, in order. */
export type TaggedMatch = TaggedTerm[];

function termsOf(view: { json(options: object): unknown }): TaggedMatch[] {
  const matches = view.json({ offset: true, terms: { offset: true } }) as Array<{ terms: TaggedTerm[] }>;
  return matches.map((match) => match.terms);
}

/** One parse of a text; people and places are asked of the same parse. */
export class ParsedText {
  private readonly doc;

  constructor(text: string) {
    this.doc = nlp(text);
  }

  people(): TaggedMatch[] {
    return termsOf(this.doc.people());
  }

  places(): TaggedMatch[] {
    return termsOf(this.doc.places());
  }

  /** Every term of the text, in order. */
  terms(): TaggedTerm[] {
    return termsOf(this.doc.terms()).flat();
  }
}

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one.lexicon;
const NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'ProperNoun', 'Honorific']);

/**
 * True when compromise's lexicon knows `word` as something other than a name: "Bill" (a noun), "May" (a
 * modal), "April" and "June" (months, and names), "Support". Unknown words and words known only as first or
 * last names are not common words.
 */
export function isCommonWord(word: string): boolean {
  const tags = lexicon[word.toLowerCase()];
  if (tags === undefined) return false;
  // "June" is a month and a name: common, so it takes context to be a name.
  return (Array.isArray(tags) ? tags : [tags]).some((tag) => !NAME_TAGS.has(tag));
}

const ORDINARY_TAGS = new Set(['Adjective', 'Comparative', 'Superlative', 'Verb', 'Infinitive', 'PresentTense', 'PastTense', 'Gerund', 'Adverb', 'Preposition', 'Conjunction', 'Determiner']);

/**
 * True for common words and for words compromise's tagger reads as an adjective, verb or adverb when written
 * in lower case ("massive", "dynamic"): words a company name can share with ordinary text.
 */
export function isOrdinaryWord(word: string): boolean {
  if (isCommonWord(word)) return true;
  const terms = (nlp(word.toLowerCase()).json() as Array<{ terms: Array<{ tags: string[] }> }>)[0]?.terms ?? [];
  return terms.length === 1 && (terms[0]?.tags ?? []).some((tag) => ORDINARY_TAGS.has(tag));
}
