import { TriadError } from '../../src-shared/errors';
import { ROUTER_DEFAULTS, type RouterMetrics } from '../../src-shared/router-contract';
import type { RouterTrainingSources, TierRouterRecord } from '../store/repositories';
import { calibrateThreshold } from './calibration';
import { DEFAULT_LOGISTIC_OPTIONS, fitLogistic, type LogisticOptions } from './logistic-regression';
import { DEFAULT_FEATURE_SPACE, fitIdf, termCounts, weigh, type FeatureSpace } from './prompt-features';
import { evaluateRouter } from './router-evaluation';
import { COMPANY_PAIR, routerExamples, type ExampleCounts, type RouterExample, type TierPair } from './router-examples';
import { scorerOf, toStoredModel, type PromptScorer, type StoredRouterModel } from './tier-router-model';

/** What a training is asked for. */
export interface RouterTrainingOptions {
  company: string;
  /** The largest share of requests the router may send to the strong tier. */
  maxShare?: number;
  seed?: number;
  pair?: TierPair;
  space?: FeatureSpace;
  logistic?: LogisticOptions;
}

/** A trained router, ready to store, with its offline evaluation. */
export interface TrainedRouter {
  record: Omit<TierRouterRecord, 'id' | 'trainedAt' | 'trainedBy'>;
  scorer: PromptScorer;
  counts: ExampleCounts;
  metrics: RouterMetrics;
}

/** Fits the features and the scorer on `examples`. */
export function fitRouter(
  examples: readonly RouterExample[],
  space: FeatureSpace,
  logistic: LogisticOptions,
  unsureMargin: number,
): { stored: StoredRouterModel; scorer: PromptScorer } {
  const counts = examples.map((e) => termCounts(e.prompt, space));
  const idf = fitIdf(counts);
  const model = fitLogistic(
    examples.map((e, i) => ({ x: weigh(counts[i]!, idf), y: e.strongWins, weight: e.weight })),
    logistic,
  );
  // Scored through the stored (rounded) form, so the threshold is calibrated on exactly what will serve.
  const stored = toStoredModel(space, idf, model, unsureMargin);
  return { stored, scorer: scorerOf(stored) };
}

/** A vote's place in the seeded split: the same vote lands on the same side whatever order the votes come in. */
function heldOutByHash(id: string, seed: number, share: number): boolean {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32 < share;
}

function refuse(message: string): never {
  throw new TriadError({ code: 'validation_failed', message });
}

/** The checks before a training: enough votes between the two tiers, and both outcomes among them. */
export function checkEnoughVotes(counts: ExampleCounts, company: string, pair: TierPair): void {
  const between = `between ${pair.strong} and ${pair.weak}`;
  if (counts.votes < ROUTER_DEFAULTS.minVotes) {
    const left = [counts.bothBad > 0 && `${counts.bothBad} both bad`, counts.otherVotes > 0 && `${counts.otherVotes} on other tiers`].filter(Boolean);
    refuse(`needs at least ${ROUTER_DEFAULTS.minVotes} votes ${between} for ${company}, has ${counts.votes}${left.length > 0 ? ` (not counted: ${left.join(', ')})` : ''}`);
  }
  const weakOrTie = counts.weakWins + counts.ties;
  if (counts.strongWins < ROUTER_DEFAULTS.minEachOutcome || weakOrTie < ROUTER_DEFAULTS.minEachOutcome) {
    refuse(
      `the ${counts.votes} votes ${between} for ${company} are nearly all one way (${pair.strong} won ${counts.strongWins}, ${pair.weak} won or tied ${weakOrTie}): ` +
        `a router needs at least ${ROUTER_DEFAULTS.minEachOutcome} of each to learn which questions need the ${pair.strong} tier`,
    );
  }
}

/**
 * Trains a company's router: the offline evaluation first (fit on the votes outside a seeded held-out share,
 * scored on the held-out votes), then the router that serves, fit on every vote and thumb, with the threshold
 * that sends at most `maxShare` of the training prompts to the strong tier. Deterministic for the same votes.
 */
export function trainRouter(sources: RouterTrainingSources, options: RouterTrainingOptions): TrainedRouter {
  const pair = options.pair ?? COMPANY_PAIR;
  const maxShare = options.maxShare ?? ROUTER_DEFAULTS.maxShare;
  const seed = options.seed ?? ROUTER_DEFAULTS.seed;
  const space = options.space ?? DEFAULT_FEATURE_SPACE;
  const logistic = options.logistic ?? DEFAULT_LOGISTIC_OPTIONS;
  if (!(maxShare >= 0 && maxShare <= 1)) refuse(`max share must be between 0 and 1, got ${maxShare}`);
  const { examples: unordered, counts } = routerExamples(sources, pair);
  // In a canonical order, so that the fit's sums (and so its last digits) do not depend on the order the store read.
  const examples = [...unordered].sort((a, b) => (a.source === b.source ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.source === 'vote' ? -1 : 1));
  checkEnoughVotes(counts, options.company, pair);

  const heldOut = examples.filter((e) => e.source === 'vote' && heldOutByHash(e.id, seed, ROUTER_DEFAULTS.heldOutShare));
  const held = new Set(heldOut);
  const training = examples.filter((e) => !held.has(e));
  const unsureMargin = unsureMarginFor(counts.votes);
  const evaluation = fitRouter(training, space, logistic, unsureMargin);
  const metrics = evaluateRouter({
    scorer: evaluation.scorer,
    trainingPrompts: distinctPrompts(training),
    heldOut,
    company: options.company,
    pair,
    shares: [...ROUTER_DEFAULTS.evaluationShares, maxShare],
    seed,
    trainVotes: training.filter((e) => e.source === 'vote').length,
    trainThumbs: training.filter((e) => e.source === 'thumbs').length,
  });

  const serving = fitRouter(examples, space, logistic, unsureMargin);
  const threshold = calibrateThreshold(distinctPrompts(examples).map((p) => serving.scorer.score(p)), maxShare);
  return {
    record: {
      companySlug: options.company,
      strongTier: pair.strong,
      weakTier: pair.weak,
      model: serving.stored,
      threshold,
      targetShare: maxShare,
      voteCounts: { ...counts },
      metrics,
    },
    scorer: serving.scorer,
    counts,
    metrics,
  };
}

/** How close to the threshold a score is unsure, for a router of this many votes (see ROUTER_DEFAULTS). */
export function unsureMarginFor(votes: number): number {
  return Math.min(ROUTER_DEFAULTS.maxUnsureMargin, ROUTER_DEFAULTS.unsureMarginVotes / Math.max(votes, 1));
}

/** Each prompt once: a prompt voted on twice is one request's worth of traffic, not two. */
function distinctPrompts(examples: readonly RouterExample[]): string[] {
  return [...new Set(examples.map((e) => e.prompt))];
}
