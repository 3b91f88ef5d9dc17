import { z } from 'zod';
import { RequestContextSchema } from './chat';
import { TIERS } from './domain';

/**
 * The learned tier router (issue 10 §3): per company, a scorer trained on Compare votes and thumbs predicting
 * whether the company tier's answer beats the base tier's, calibrated to send at most a chosen share of
 * requests to the company tier. Trained and scored in the main process (src-main/router/); these schemas are
 * what crosses to the renderer and what `triad router … --json` prints.
 */

/** The defaults, shared by the app, the `triad router` command and the docs. */
export const ROUTER_DEFAULTS = {
  /** The share of requests the router may send to the expensive tier unless the operator says otherwise. */
  maxShare: 0.3,
  /** Votes between the two tiers a router needs before it is trained. */
  minVotes: 40,
  /** Votes each outcome (strong tier won / cheaper tier won or tied) needs: a router of one outcome learns nothing. */
  minEachOutcome: 5,
  /** The share of votes held out (seeded, by vote) for the offline evaluation. */
  heldOutShare: 0.2,
  seed: 1,
  /**
   * A score closer to the threshold than min(maxUnsureMargin, unsureMarginVotes / votes) is "unsure" and the
   * rules decide: about the 95th percentile of how far one vote more or less moves a prompt's score (measured in
   * docs/benchmarks.md: 0.043 at 41 votes, 0.014 at 200, 0.002 at 1,000), so a call the next vote could flip is
   * not taken on the router's word, and a router of many votes is not second-guessed for nothing.
   */
  unsureMarginVotes: 2,
  maxUnsureMargin: 0.05,
  /** The target shares the offline evaluation reports, besides the chosen one. */
  evaluationShares: [0.1, 0.2, 0.3, 0.5, 0.7],
} as const;

const Share = z.number().min(0).max(1);

/** How the router and the rules did at one target share, on the held-out votes. */
export const RouterOperatingPointSchema = z.object({
  targetShare: Share,
  threshold: z.number(),
  /** Held-out votes where the router's tier gave the winning answer, or the answers tied. */
  agreement: Share,
  /** Share of the held-out prompts the router sent to the strong tier. */
  strongShare: Share,
  /** What a random router sending the same share would agree on, expected. */
  randomAgreement: Share,
});
export type RouterOperatingPoint = z.output<typeof RouterOperatingPointSchema>;

/** The offline evaluation of one training. */
export const RouterMetricsSchema = z.object({
  seed: z.number().int(),
  trainVotes: z.number().int().nonnegative(),
  trainThumbs: z.number().int().nonnegative(),
  heldOutVotes: z.number().int().nonnegative(),
  /** Area under the ROC curve of the score on held-out decisive votes (null with one outcome only). */
  auc: z.number().min(0).max(1).nullable(),
  /** The rule-based selector (`chooseTier`) on the same held-out votes. */
  rules: z.object({ agreement: Share, strongShare: Share }),
  points: z.array(RouterOperatingPointSchema),
});
export type RouterMetrics = z.output<typeof RouterMetricsSchema>;

/** Votes and thumbs the training could use, and what it left out. */
export const RouterVoteCountsSchema = z.object({
  votes: z.number().int().nonnegative(),
  strongWins: z.number().int().nonnegative(),
  weakWins: z.number().int().nonnegative(),
  ties: z.number().int().nonnegative(),
  bothBad: z.number().int().nonnegative(),
  otherVotes: z.number().int().nonnegative(),
  thumbs: z.number().int().nonnegative(),
});

/** A company's current router as the Settings page and `triad router status` show it. */
export const TierRouterViewSchema = z.object({
  id: z.string(),
  company: z.string(),
  strongTier: z.enum(TIERS),
  weakTier: z.enum(TIERS),
  threshold: z.number(),
  targetShare: Share,
  voteCounts: RouterVoteCountsSchema,
  metrics: RouterMetricsSchema.nullable(),
  trainedBy: z.string(),
  trainedAt: z.iso.datetime(),
});
export type TierRouterView = z.output<typeof TierRouterViewSchema>;

/** Everything the Settings section shows. */
export const RouterStatusSchema = z.object({
  /** Whether the `router.learned` flag is on, and where its value came from. */
  flag: z.object({ on: z.boolean(), source: z.enum(['default', 'database', 'environment']) }),
  /** The companies the operator may see, each with its current router (null when none is trained). */
  companies: z.array(z.object({ slug: z.string(), name: z.string(), router: TierRouterViewSchema.nullable() })),
  /** Whether the operator may train (ML lead or admin). */
  canTrain: z.boolean(),
});
export type RouterStatus = z.output<typeof RouterStatusSchema>;

const CompanySlug = RequestContextSchema.shape.company.unwrap();

/** The router's channels. */
export const ROUTER_CHANNELS = {
  'router.status': { input: z.strictObject({}), output: RouterStatusSchema },
  /** Trains and stores the company's router from the votes the operator may see. */
  'router.train': {
    input: z.strictObject({ company: CompanySlug, maxShare: Share.optional() }),
    output: TierRouterViewSchema,
  },
  /** The offline evaluation on the current votes, without storing a router. */
  'router.evaluate': {
    input: z.strictObject({ company: CompanySlug, maxShare: Share.optional() }),
    output: z.object({ company: z.string(), voteCounts: RouterVoteCountsSchema, metrics: RouterMetricsSchema }),
  },
} as const;
