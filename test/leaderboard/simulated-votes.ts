import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RatedVote } from '../../src-main/leaderboard/rated-vote';

/** The chance that a model rated `a` beats one rated `b` under Bradley–Terry on the Elo-like scale. */
export function winChance(a: number, b: number): number {
  return 1 / (1 + 10 ** ((b - a) / 400));
}

/**
 * `count` two-answer votes between random pairs of `truth`'s models, each outcome drawn from the Bradley–Terry
 * model with those ratings (seeded): with `tieShare` of the votes a tie instead.
 */
export function simulateVotes(
  truth: Record<string, number>,
  count: number,
  options: { seed: number; tieShare?: number; company?: string | null; start?: Date },
): RatedVote[] {
  const rng = xoroshiro128plus(options.seed);
  const models = Object.keys(truth);
  const start = options.start?.getTime() ?? Date.UTC(2026, 10, 1);
  return Array.from({ length: count }, (_, k): RatedVote => {
    const i = uniformInt(rng, 0, models.length - 1);
    let j = uniformInt(rng, 0, models.length - 2);
    if (j >= i) j++;
    const a = models[i]!;
    const b = models[j]!;
    const at = new Date(start + Math.floor((k * 30 * 86_400_000) / count));
    const company = options.company ?? null;
    if (uniformFloat64(rng) < (options.tieShare ?? 0)) return { models: [a, b], verdict: 'tie', winner: null, company, at };
    const winner = uniformFloat64(rng) < winChance(truth[a]!, truth[b]!) ? a : b;
    return { models: [a, b], verdict: 'winner', winner, company, at };
  });
}

/** `votes` in a seeded random order. */
export function shuffled<T>(values: readonly T[], seed: number): T[] {
  const rng = xoroshiro128plus(seed);
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A vote between two models at a given time. */
export function vote(a: string, b: string, outcome: 'a' | 'b' | 'tie' | 'both_bad', at: Date | null = null, company: string | null = null): RatedVote {
  if (outcome === 'tie' || outcome === 'both_bad') return { models: [a, b], verdict: outcome, winner: null, company, at };
  return { models: [a, b], verdict: 'winner', winner: outcome === 'a' ? a : b, company, at };
}

/** `n` copies of a vote. */
export function times(n: number, make: () => RatedVote): RatedVote[] {
  return Array.from({ length: n }, make);
}
