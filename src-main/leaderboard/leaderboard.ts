import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { quantileSorted } from 'simple-statistics';
import { TriadError } from '../../src-shared/errors';
import { LEADERBOARD_DEFAULTS, type Leaderboard, type LeaderboardEntry, type WinMatrix } from '../../src-shared/leaderboard-contract';
import { DEFAULT_PRIOR_GAMES, fitRatings, PairwiseCounts } from './bradley-terry';
import { pairOutcomes, type BothBadRule, type PairOutcome } from './pair-outcomes';
import { canonicalOrder, type RatedVote } from './rated-vote';
import { ratingsOverTime } from './ratings-over-time';

/** Options of {@link buildLeaderboard}; every one has a default. */
export interface LeaderboardOptions {
  /** Bootstrap resamples over votes, at least 200 unless 0 (no intervals: a quick look). */
  resamples?: number;
  /** Seed of the resampling. */
  seed?: number;
  /** Fewer votes than this marks a model preliminary. */
  preliminaryBelow?: number;
  bothBad?: BothBadRule;
  /** Imaginary tied games against the reference player, per model (see bradley-terry.ts). */
  priorGames?: number;
  /** The company the votes were filtered to, recorded in the result. */
  company?: string | null;
  /** Votes that were read but could not be rated (their answers are no longer logged), for the counts. */
  unrated?: number;
  /** Called after each resample, for progress. */
  onProgress?: (done: number, total: number) => void;
}

/** The fewest resamples that give a 95% interval worth printing (issue 8 asks for ≥ 200). */
export const MIN_RESAMPLES = 200;

function checkOptions(options: LeaderboardOptions): Required<Pick<LeaderboardOptions, 'resamples' | 'seed' | 'preliminaryBelow' | 'bothBad' | 'priorGames'>> {
  const resamples = options.resamples ?? LEADERBOARD_DEFAULTS.resamples;
  const seed = options.seed ?? LEADERBOARD_DEFAULTS.seed;
  const preliminaryBelow = options.preliminaryBelow ?? LEADERBOARD_DEFAULTS.preliminaryBelow;
  const priorGames = options.priorGames ?? DEFAULT_PRIOR_GAMES;
  const invalid = (message: string) => new TriadError({ code: 'validation_failed', message });
  if (!Number.isInteger(resamples) || (resamples !== 0 && resamples < MIN_RESAMPLES) || resamples > 100_000) {
    throw invalid(`resamples must be 0 or a whole number from ${MIN_RESAMPLES} to 100000, got ${resamples}`);
  }
  if (!Number.isSafeInteger(seed)) throw invalid(`seed must be a whole number, got ${seed}`);
  if (!Number.isInteger(preliminaryBelow) || preliminaryBelow < 0) throw invalid(`the preliminary threshold must be a whole number ≥ 0, got ${preliminaryBelow}`);
  if (!(priorGames > 0) || !Number.isFinite(priorGames)) throw invalid(`prior games must be a positive number, got ${priorGames}`);
  return { resamples, seed, preliminaryBelow, bothBad: options.bothBad ?? 'tie', priorGames };
}

/**
 * The leaderboard of `votes`: Bradley–Terry ratings fitted on all of them, bootstrap 95% intervals from
 * resampling whole votes with replacement (seeded, over the votes in canonical order, so the same votes in any
 * order give the same numbers), ranks from interval overlap, the win matrix and the ratings over time.
 */
export function buildLeaderboard(input: readonly RatedVote[], options: LeaderboardOptions = {}): Leaderboard {
  const steps = leaderboardSteps(input, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Resamples between two returns to the event loop in {@link buildLeaderboardInSlices}. */
const RESAMPLES_PER_SLICE = 10;

/**
 * {@link buildLeaderboard}, giving the event loop a turn every few resamples: in the main process a large
 * leaderboard takes a second or more, and streaming answers must not stall meanwhile. Same numbers.
 */
export async function buildLeaderboardInSlices(input: readonly RatedVote[], options: LeaderboardOptions = {}): Promise<Leaderboard> {
  const steps = leaderboardSteps(input, options);
  for (let k = 1; ; k++) {
    const step = steps.next();
    if (step.done) return step.value;
    if (k % RESAMPLES_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The leaderboard's computation, pausing (yielding) after each bootstrap resample. */
function* leaderboardSteps(input: readonly RatedVote[], options: LeaderboardOptions): Generator<void, Leaderboard> {
  const { resamples, seed, preliminaryBelow, bothBad, priorGames } = checkOptions(options);
  const unrated = options.unrated ?? 0;
  const votes = canonicalOrder(input).filter((vote) => pairOutcomes(vote, indexOf(vote.models), bothBad).length > 0);
  const models = [...new Set(votes.flatMap((vote) => vote.models))].sort();
  const index = indexOf(models);
  const pairsOfVote = votes.map((vote) => pairOutcomes(vote, index, bothBad));
  const method = { resamples, seed, preliminaryBelow, bothBad };
  const totalVotes = input.length + unrated;
  const base = { company: options.company ?? null, totalVotes, ratedVotes: votes.length, method };
  const omittedBothBad = input.length - votes.length;

  if (votes.length === 0) {
    const reasons = [
      unrated > 0 ? `${unrated} compared answers that are no longer in the log` : '',
      omittedBothBad > 0 ? `${omittedBothBad} "all bad" votes, which are left out` : '',
    ].filter(Boolean);
    const notice =
      totalVotes === 0
        ? `No Compare votes yet${options.company ? ` for company '${options.company}'` : ''}: vote in Compare to rank the tiers.`
        : `None of the ${totalVotes} votes can be rated (${reasons.join('; ')}).`;
    return { ...base, entries: [], winMatrix: { models: [], cells: [] }, history: { step: 'day', points: [] }, notice };
  }

  const counts = countAll(models.length, pairsOfVote);
  const ratings = fitRatings(counts, { priorGames });
  const intervals = yield* bootstrapIntervals(models.length, pairsOfVote, { resamples, seed, priorGames, onProgress: options.onProgress });

  const voteCounts = new Array<number>(models.length).fill(0);
  for (const pairs of pairsOfVote) for (const i of new Set(pairs.flatMap((p) => [p.a, p.b]))) voteCounts[i]!++;

  const unranked = models.map((model, i) => {
    let wins = 0;
    let losses = 0;
    for (let j = 0; j < models.length; j++) {
      wins += counts.wins[i * models.length + j]!;
      losses += counts.wins[j * models.length + i]!;
    }
    const rating = ratings[i]!;
    const interval = intervals?.[i];
    const ci: [number, number] = interval && !Number.isNaN(interval[0]) ? interval : [rating, rating];
    return { model, rating, ci, votes: voteCounts[i]!, wins, losses, preliminary: voteCounts[i]! < preliminaryBelow };
  });
  const entries: LeaderboardEntry[] = unranked
    .map((entry) => ({ ...entry, rank: 1 + unranked.filter((other) => other.ci[0] > entry.ci[1]).length }))
    // Ties in rating by name, in code-unit order: the same on every machine, whatever its locale.
    .sort((a, b) => b.rating - a.rating || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));

  const notices: string[] = [];
  if (unrated > 0) notices.push(`${unrated} of ${totalVotes} votes are left out: fewer than two of their answers are still in the log.`);
  if (omittedBothBad > 0) notices.push(`${omittedBothBad} "all bad" votes are left out.`);
  if (entries.some((entry) => entry.preliminary)) notices.push(`Ratings marked preliminary rest on fewer than ${preliminaryBelow} votes.`);
  if (resamples === 0) notices.push('No resampling: the intervals are not computed.');

  return {
    ...base,
    entries,
    winMatrix: winMatrixOf(entries.map((entry) => entry.model), index, counts),
    history: ratingsOverTime(votes, pairsOfVote, models, { priorGames }),
    notice: notices.length > 0 ? notices.join(' ') : null,
  };
}

function indexOf(models: readonly string[]): Map<string, number> {
  return new Map(models.map((model, i) => [model, i]));
}

function countAll(size: number, pairsOfVote: readonly PairOutcome[][]): PairwiseCounts {
  const counts = new PairwiseCounts(size);
  for (const pairs of pairsOfVote) for (const pair of pairs) counts.add(pair.a, pair.b, pair.score);
  return counts;
}

/**
 * The 2.5th and 97.5th percentiles of each model's rating over `resamples` fits, each on N votes drawn with
 * replacement from the N votes. A resample in which a model took no part says nothing about it and is left
 * out of that model's interval. Undefined when `resamples` is 0.
 */
function* bootstrapIntervals(
  size: number,
  pairsOfVote: readonly PairOutcome[][],
  options: { resamples: number; seed: number; priorGames: number; onProgress?: ((done: number, total: number) => void) | undefined },
): Generator<void, Array<[number, number]> | undefined> {
  if (options.resamples === 0) return undefined;
  const rng = xoroshiro128plus(options.seed);
  const samples = Array.from({ length: size }, () => [] as number[]);
  const drawn = new Uint32Array(pairsOfVote.length);
  for (let r = 0; r < options.resamples; r++) {
    drawn.fill(0);
    for (let k = 0; k < pairsOfVote.length; k++) drawn[uniformInt(rng, 0, pairsOfVote.length - 1)]!++;
    const counts = new PairwiseCounts(size);
    for (let v = 0; v < pairsOfVote.length; v++) {
      if (drawn[v] === 0) continue;
      for (const pair of pairsOfVote[v]!) counts.add(pair.a, pair.b, pair.score, drawn[v]);
    }
    const ratings = fitRatings(counts, { priorGames: options.priorGames });
    ratings.forEach((rating, i) => {
      if (!Number.isNaN(rating)) samples[i]!.push(rating);
    });
    options.onProgress?.(r + 1, options.resamples);
    yield;
  }
  return samples.map((values) => {
    const sorted = values.sort((a, b) => a - b);
    return sorted.length === 0 ? [Number.NaN, Number.NaN] : [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
  });
}

function winMatrixOf(order: readonly string[], index: ReadonlyMap<string, number>, counts: PairwiseCounts): WinMatrix {
  const n = counts.size;
  return {
    models: [...order],
    cells: order.map((row) =>
      order.map((column) => {
        const i = index.get(row)!;
        const j = index.get(column)!;
        const wins = counts.wins[i * n + j]!;
        const battles = counts.games[i * n + j]!;
        return { wins, battles, share: battles > 0 ? wins / battles : null };
      }),
    ),
  };
}
