import { z } from 'zod';
import { TIERS, type Tier } from '../../src-shared/domain';
import type { TierRouterRecord } from '../store/repositories';
import { sigmoid, type LogisticModel } from './logistic-regression';
import { termCounts, weigh, type FeatureSpace, type IdfTable } from './prompt-features';

/** A fitted router as stored in `tier_routers.model`: the feature space, and per seen bucket its IDF and weight. */
export const StoredRouterModelSchema = z.object({
  format: z.literal('hashed-tfidf-logistic-v1'),
  space: z.object({ buckets: z.number().int().positive(), maxTokens: z.number().int().positive() }),
  unseenIdf: z.number().finite(),
  bias: z.number().finite(),
  /** Scores closer to the threshold than this defer to the rules (ROUTER_DEFAULTS.unsureMarginVotes). */
  unsureMargin: z.number().min(0).max(0.5),
  buckets: z.array(z.number().int().nonnegative()),
  idf: z.array(z.number().finite()),
  weights: z.array(z.number().finite()),
});
export type StoredRouterModel = z.output<typeof StoredRouterModelSchema>;

/** Six significant digits: a few tens of kB of JSON per router, and scores that move by far less than any margin. */
function rounded(value: number): number {
  return Number(value.toPrecision(6));
}

export function toStoredModel(space: FeatureSpace, idf: IdfTable, model: LogisticModel, unsureMargin: number): StoredRouterModel {
  const buckets = [...idf.weights.keys()].sort((a, b) => a - b);
  return {
    format: 'hashed-tfidf-logistic-v1',
    space,
    unseenIdf: rounded(idf.unseen),
    bias: rounded(model.bias),
    unsureMargin: rounded(unsureMargin),
    buckets,
    idf: buckets.map((b) => rounded(idf.weights.get(b)!)),
    weights: buckets.map((b) => rounded(model.weights.get(b) ?? 0)),
  };
}

/** A router ready to score prompts synchronously: what the selector's `learned` rule holds in memory. */
export interface PromptScorer {
  /** P(the strong tier's answer beats the weak tier's) for this prompt. */
  score(prompt: string): number;
}

export function scorerOf(stored: StoredRouterModel): PromptScorer {
  const idf: IdfTable = { weights: new Map(), unseen: stored.unseenIdf };
  const weights = new Map<number, number>();
  stored.buckets.forEach((bucket, i) => {
    idf.weights.set(bucket, stored.idf[i]!);
    weights.set(bucket, stored.weights[i]!);
  });
  return {
    score(prompt) {
      const x = weigh(termCounts(prompt, stored.space), idf);
      let z = stored.bias;
      for (let k = 0; k < x.indices.length; k++) z += (weights.get(x.indices[k]!) ?? 0) * x.values[k]!;
      return sigmoid(z);
    },
  };
}

/** A company's current router, loaded. */
export interface LoadedRouter extends PromptScorer {
  companySlug: string;
  strongTier: Tier;
  weakTier: Tier;
  threshold: number;
  /** A score closer to the threshold than this is unsure: the rules decide. */
  unsureMargin: number;
  targetShare: number;
  trainedAt: Date;
}

/** Loads a stored router; a row this version cannot read (another format, bad numbers) is refused, naming it. */
export function loadRouter(record: TierRouterRecord): LoadedRouter | { error: string } {
  const parsed = StoredRouterModelSchema.safeParse(record.model);
  if (!parsed.success) return { error: `router of '${record.companySlug}' (${record.id}) cannot be read: ${parsed.error.issues[0]?.message ?? 'invalid model'}` };
  const { buckets, idf, weights } = parsed.data;
  if (idf.length !== buckets.length || weights.length !== buckets.length) return { error: `router of '${record.companySlug}' (${record.id}) cannot be read: buckets, idf and weights differ in length` };
  if (!TIERS.includes(record.strongTier) || !TIERS.includes(record.weakTier)) return { error: `router of '${record.companySlug}' names an unknown tier` };
  return {
    ...scorerOf(parsed.data),
    companySlug: record.companySlug,
    strongTier: record.strongTier,
    weakTier: record.weakTier,
    threshold: record.threshold,
    unsureMargin: parsed.data.unsureMargin,
    targetShare: record.targetShare,
    trainedAt: record.trainedAt,
  };
}
