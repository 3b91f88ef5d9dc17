/**
 * The prompt's features for the tier router: hashed word unigrams and bigrams (plus a length bucket), weighted
 * by sublinear TF × IDF and scaled to unit length.
 *
 * Why this and not an embedding: the router scores every `auto` request inside the facade, whose own CPU budget
 * is ≤ 0.05 ms per answer (issue 11 §4). Hashing a prompt's words and a sparse dot product take microseconds;
 * embedding the prompt with the local 0.5B model takes tens of milliseconds of CPU per request. RouteLLM found
 * matrix factorisation and a BERT classifier the strongest routers on Chatbot Arena votes, but its data was
 * ~80k votes over open-domain prompts; a company here has tens to a few thousand votes on its own domain, where
 * which words a question uses (a product name, "contract", "refund") carry most of the signal, and a linear
 * model over them is what that many votes can fit without overfitting.
 */

/** How prompts are turned into features; stored with each router so that scoring matches its training. */
export interface FeatureSpace {
  /** Number of hash buckets (a power of two). */
  buckets: number;
  /** Only the first this many word tokens count: bounds the cost of a very long prompt. */
  maxTokens: number;
}

export const DEFAULT_FEATURE_SPACE: FeatureSpace = { buckets: 1 << 18, maxTokens: 64 };

/** A sparse vector: parallel arrays of bucket indices (distinct) and values. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a, 32 bits: cheap, deterministic across platforms, and good enough to spread words over buckets. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The bucket counts of a prompt's unigrams, bigrams and length bucket (term frequencies, before weighting). */
export function termCounts(prompt: string, space: FeatureSpace): Map<number, number> {
  const mask = space.buckets - 1;
  const counts = new Map<number, number>();
  const add = (bucket: number) => counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  let previous: string | undefined;
  let tokens = 0;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(prompt); match !== null && tokens < space.maxTokens; match = WORD.exec(prompt)) {
    const word = match[0].toLowerCase();
    add(fnv1a(word) & mask);
    if (previous !== undefined) add(fnv1a(word, fnv1a(previous) ^ 0x5bd1e995) & mask);
    previous = word;
    tokens++;
  }
  // Long and short questions differ in what they need; log2 buckets of the word count say which this is.
  add(fnv1a(`\u0000len:${Math.floor(Math.log2(tokens + 1))}`) & mask);
  return counts;
}

/** Document frequencies over the training prompts, turned into smoothed IDF weights (as scikit-learn's `smooth_idf`). */
export interface IdfTable {
  /** IDF of the buckets seen in training. */
  weights: Map<number, number>;
  /** IDF of a bucket never seen in training (a df of 0). */
  unseen: number;
}

export function fitIdf(documents: ReadonlyArray<Map<number, number>>): IdfTable {
  const df = new Map<number, number>();
  for (const counts of documents) for (const bucket of counts.keys()) df.set(bucket, (df.get(bucket) ?? 0) + 1);
  const n = documents.length;
  const weights = new Map<number, number>();
  for (const [bucket, count] of df) weights.set(bucket, Math.log((1 + n) / (1 + count)) + 1);
  return { weights, unseen: Math.log(1 + n) + 1 };
}

/** Sublinear TF × IDF, scaled to unit L2 length. */
export function weigh(counts: Map<number, number>, idf: IdfTable): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [bucket, count] of counts) {
    const value = (1 + Math.log(count)) * (idf.weights.get(bucket) ?? idf.unseen);
    indices.push(bucket);
    values.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return { indices, values };
}
