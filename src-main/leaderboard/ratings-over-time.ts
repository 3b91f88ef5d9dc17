import type { Leaderboard, RatingsAt } from '../../src-shared/leaderboard-contract';
import { fitRatings, PairwiseCounts } from './bradley-terry';
import type { PairOutcome } from './pair-outcomes';
import type { RatedVote } from './rated-vote';

const DAY_MS = 86_400_000;
/** Beyond this span the plot steps by week: a point a day would crowd it. */
const DAILY_UP_TO_DAYS = 90;
/** The most points a plot gets; more are thinned evenly, keeping the last. */
export const MAX_POINTS = 100;

/** The end of the UTC day, or of the ISO week (Monday to Sunday), that `at` falls in. */
function boundaryAfter(at: Date, step: 'day' | 'week'): number {
  const dayStart = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (step === 'day') return dayStart + DAY_MS;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return dayStart + (7 - weekday) * DAY_MS;
}

/**
 * The ratings as they stood at the end of each day (or week) that had votes: a fit on every vote cast before
 * that boundary, so a point never changes once its day is over. Only the point estimate, without resampling:
 * the plot shows the trend, the table the intervals. Votes without a time are left out.
 *
 * `votes` must be in canonical order (by time) with `pairsOfVote` their pairs as the leaderboard indexes them.
 */
export function ratingsOverTime(
  votes: readonly RatedVote[],
  pairsOfVote: readonly PairOutcome[][],
  models: readonly string[],
  options: { priorGames: number },
): Leaderboard['history'] {
  const timed = votes.map((vote, v) => ({ at: vote.at, pairs: pairsOfVote[v]! })).filter((vote): vote is { at: Date; pairs: PairOutcome[] } => vote.at !== null);
  if (timed.length === 0) return { step: 'day', points: [] };
  const span = timed.at(-1)!.at.getTime() - timed[0]!.at.getTime();
  const step = span <= DAILY_UP_TO_DAYS * DAY_MS ? 'day' : 'week';

  const boundaries = [...new Set(timed.map((vote) => boundaryAfter(vote.at, step)))];
  const kept = boundaries.length <= MAX_POINTS ? boundaries : thin(boundaries, MAX_POINTS);

  const counts = new PairwiseCounts(models.length);
  const points: RatingsAt[] = [];
  let next = 0;
  for (const boundary of kept) {
    while (next < timed.length && timed[next]!.at.getTime() < boundary) {
      for (const pair of timed[next]!.pairs) counts.add(pair.a, pair.b, pair.score);
      next++;
    }
    const fitted = fitRatings(counts, options);
    const ratings: Record<string, number> = {};
    fitted.forEach((rating, i) => {
      if (!Number.isNaN(rating)) ratings[models[i]!] = rating;
    });
    points.push({ at: new Date(boundary).toISOString(), votes: next, ratings });
  }
  return { step, points };
}

/** `count` of `values`, evenly spaced, the last one always among them. */
function thin(values: readonly number[], count: number): number[] {
  const last = values.length - 1;
  return Array.from({ length: count }, (_, k) => values[Math.round((k * last) / (count - 1))]!);
}
