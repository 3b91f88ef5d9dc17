/**
 * The parts of compromise (https://github.com/spencermountain/compromise) the anonymiser uses: its tagger,
 * which runs offline on the lexicon its npm package ships, and its lexicon, to tell names from common words.
 */
import nlp from 'compromise';

/** A term of a compromise match, with its offset into the parsed text (punctuation around it excluded). */
export interface TaggedTerm {
  text: string;
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
}

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one.lexicon;
const NAME_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName', 'LastName', 'Person', 'ProperNoun', 'Honorific']);

/**
 * True when compromise's lexicon knows `word` as something other than a name: "Bill" (a noun), "May" (a
 * modal), "April" (a month), "Support". Unknown words and known first or last names are not common words.
 */
export function isCommonWord(word: string): boolean {
  const tags = lexicon[word.toLowerCase()];
  if (tags === undefined) return false;
  return (Array.isArray(tags) ? tags : [tags]).every((tag) => !NAME_TAGS.has(tag));
}
