import { z } from 'zod';
import { RequestContextSchema } from './chat';

/**
 * The leaderboard (issue 8 §2): Bradley–Terry ratings of each "tier @ model version" from Compare votes, with
 * bootstrap intervals, ranks from interval overlap, the win matrix and the ratings over time. The numbers are
 * computed in the main process (src-main/leaderboard/); these schemas are what crosses to the renderer.
 */

/** The defaults, shared by the app, the `triad leaderboard` command and the docs. */
export const LEADERBOARD_DEFAULTS = {
  /** Bootstrap resamples over votes (issue 8 asks for at least 200). */
  resamples: 200,
  /** The seed of the resampling: the same votes give the same intervals. */
  seed: 1,
  /** A model with fewer votes than this is marked preliminary. */
  preliminaryBelow: 20,
} as const;

/** One rated model. */
export const LeaderboardEntrySchema = z.object({
  /** `${tier}@${modelVersion ?? modelId}`, e.g. `company@acme-v3`. */
  model: z.string(),
  /** Elo-like: 400·log10(strength) + 1000, where the mean rating of the models is 1000. */
  rating: z.number(),
  /** The bootstrap 95% interval: the 2.5th and 97.5th percentiles of the resampled ratings. */
  ci: z.tuple([z.number(), z.number()]),
  /** Votes the model took part in. */
  votes: z.number().int().nonnegative(),
  /** Pairwise results, ties counting half a win each way. */
  wins: z.number().nonnegative(),
  losses: z.number().nonnegative(),
  /** 1 + the number of models whose interval lies wholly above this one's (Chatbot Arena's rule). */
  rank: z.number().int().positive(),
  /** Fewer votes than the threshold: the rating may still move a lot. */
  preliminary: z.boolean(),
});
export type LeaderboardEntry = z.output<typeof LeaderboardEntrySchema>;

/** Row model against column model, over the pairs they met in. */
export const WinCellSchema = z.object({
  /** Wins of the row model over the column model, a tie counting half. */
  wins: z.number().nonnegative(),
  /** Pairs in which the two met. */
  battles: z.number().int().nonnegative(),
  /** wins / battles; null when they never met. */
  share: z.number().min(0).max(1).nullable(),
});

/** The win matrix: `cells[i][j]` is `models[i]` against `models[j]`; models in leaderboard order. */
export const WinMatrixSchema = z.object({
  models: z.array(z.string()),
  cells: z.array(z.array(WinCellSchema)),
});
export type WinMatrix = z.output<typeof WinMatrixSchema>;

/** The ratings fitted on every vote cast before `at` (the end of a day or week), for a plot. */
export const RatingsAtSchema = z.object({
  at: z.iso.datetime(),
  votes: z.number().int().nonnegative(),
  ratings: z.record(z.string(), z.number()),
});
export type RatingsAt = z.output<typeof RatingsAtSchema>;

/** Everything the leaderboard page shows. */
export const LeaderboardSchema = z.object({
  /** The company the votes are filtered to; null for every vote. */
  company: z.string().nullable(),
  /** Votes read, and of those the votes rated (a vote whose answers are no longer logged cannot be). */
  totalVotes: z.number().int().nonnegative(),
  ratedVotes: z.number().int().nonnegative(),
  /** Best first. */
  entries: z.array(LeaderboardEntrySchema),
  winMatrix: WinMatrixSchema,
  history: z.object({ step: z.enum(['day', 'week']), points: z.array(RatingsAtSchema) }),
  /** How the numbers were made, for the page's footnote and scripts. */
  method: z.object({ resamples: z.number().int(), seed: z.number().int(), preliminaryBelow: z.number().int(), bothBad: z.enum(['tie', 'omit']) }),
  /** Why there is nothing (or little) to rank, in words, e.g. "no Compare votes yet". */
  notice: z.string().nullable(),
});
export type Leaderboard = z.output<typeof LeaderboardSchema>;

/** The leaderboard's channels. */
export const LEADERBOARD_CHANNELS = {
  /** Ratings from the store's Compare votes, for every company or one. */
  'leaderboard.get': {
    input: z.strictObject({ company: RequestContextSchema.shape.company.unwrap().nullable().optional() }),
    output: LeaderboardSchema.extend({
      /** The companies the viewer may filter by. */
      companies: z.array(z.object({ slug: z.string(), name: z.string() })),
    }),
  },
} as const;
