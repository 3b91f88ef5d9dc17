/**
 * How close two prompts are, for deduplication and for the Abstraction dataset's "pattern" (docs/datasets.md):
 * sets of shingles or content words, their Jaccard similarity, and MinHash with locality-sensitive hashing
 * (LSH) to find the candidate pairs without comparing every prompt with every other. Candidates are then checked
 * with the exact Jaccard similarity, so LSH can only miss a pair (rarely), never invent one.
 */

/** Lowercase, accents and punctuation gone, whitespace collapsed: two prompts equal here are exact duplicates. */
export function normalisePrompt(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}<>_]+/gu, ' ')
    .trim();
}

/** Character n-grams of the normalised text (the whole text when shorter): the set near-duplicates share. */
export function characterShingles(text: string, size = 5): Set<string> {
  const normal = normalisePrompt(text);
  const shingles = new Set<string>();
  if (normal.length <= size) {
    if (normal !== '') shingles.add(normal);
    return shingles;
  }
  for (let i = 0; i + size <= normal.length; i++) shingles.add(normal.slice(i, i + size));
  return shingles;
}

/** Words that carry no topic; the rest of a prompt's words are its content words. */
const STOPWORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers herself him himself his how
  i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out
  over own please same she should so some such than that the their theirs them themselves then there these they this those
  through to too under until up very was we were what when where which while who whom why will with would you your yours
  yourself yourselves tell give show explain let us get got make like also may might must shall one two much many`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * The content words of a text: letters only, lowercased, without stopwords, placeholders (`<PERSON_1>`) or
 * numbers, and with a plural "s" cut, so "What do similar retailers pay for delivery?" and "what are retailer
 * delivery costs" share `retailer` and `delivery`.
 */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  const withoutPlaceholders = text.replace(/<[A-Z_]+_\d+>/g, ' ');
  for (const match of normalisePrompt(withoutPlaceholders).matchAll(/\p{L}+/gu)) {
    let word = match[0];
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    if (word.length > 4 && word.endsWith('ies')) word = `${word.slice(0, -3)}y`;
    else if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);
    words.add(word);
  }
  return words;
}

/** |a ∩ b| / |a ∪ b|; two empty sets are identical (1). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** FNV-1a over the UTF-16 code units, 32 bits. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: mixes a 32-bit value so that each seed acts as an independent hash function. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The LSH layout: `bands × rows` MinHash values; a pair is a candidate when all rows of one band agree. */
export interface LshLayout {
  bands: number;
  rows: number;
}

/** The MinHash signature of a set: for each of `count` hash functions, the smallest hash of any member. */
export function minHash(set: ReadonlySet<string>, count: number): Uint32Array {
  const signature = new Uint32Array(count).fill(0xffffffff);
  for (const item of set) {
    const base = fnv1a(item);
    for (let i = 0; i < count; i++) {
      const value = mix(base ^ mix(i + 0x9e3779b9));
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return signature;
}

/**
 * Groups the sets whose Jaccard similarity is at least `threshold`, transitively (a ~ b and b ~ c put a, b
 * and c in one group). Returns each item's group as the index of its group's first item.
 */
export function similarGroups(sets: ReadonlyArray<ReadonlySet<string>>, threshold: number, layout: LshLayout): number[] {
  const parent = sets.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const signatures = sets.map((set) => minHash(set, layout.bands * layout.rows));
  const checked = new Set<string>();
  for (let band = 0; band < layout.bands; band++) {
    const buckets = new Map<string, number[]>();
    signatures.forEach((signature, index) => {
      if (sets[index]!.size === 0) return;
      const key = Array.from(signature.subarray(band * layout.rows, (band + 1) * layout.rows)).join(',');
      const bucket = buckets.get(key);
      if (bucket) bucket.push(index);
      else buckets.set(key, [index]);
    });
    for (const bucket of buckets.values()) {
      for (let i = 0; i < bucket.length; i++) {
        for (let j = i + 1; j < bucket.length; j++) {
          const a = bucket[i]!;
          const b = bucket[j]!;
          if (find(a) === find(b)) continue;
          const pair = `${a}:${b}`;
          if (checked.has(pair)) continue;
          checked.add(pair);
          if (jaccard(sets[a]!, sets[b]!) >= threshold) union(a, b);
        }
      }
    }
  }
  // Empty sets (a prompt of stopwords only) are alike only when equal: grouped with each other.
  const empties = sets.map((set, i) => (set.size === 0 ? i : -1)).filter((i) => i >= 0);
  for (const i of empties.slice(1)) union(empties[0]!, i);
  return sets.map((_, i) => find(i));
}
