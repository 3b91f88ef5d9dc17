/**
 * Bradley–Terry maximum-likelihood strengths by the MM algorithm (Hunter 2004, "MM algorithms for generalized
 * Bradley–Terry models", Ann. Statist. 32(1)): P(i beats j) = p_i / (p_i + p_j), and each step sets
 *
 *   p_i ← W_i / Σ_j n_ij / (p_i + p_j)
 *
 * where W_i is i's wins (a tie counting half a win for each side, as Chatbot Arena counts them) and n_ij the
 * pairs i and j met in. Every step raises the likelihood; it is a fixed-point iteration over a small table of
 * counts, with no matrix to invert.
 *
 * The plain maximum-likelihood estimate does not exist when a model never lost (its strength grows without
 * bound) or never won, or when the models fall into groups that never met. So each model also plays
 * `priorGames` imaginary games against a fixed reference player of strength 1 and ties them: a weak prior that
 * keeps every strength finite and the fit unique, and pulls a model with few votes towards the middle. With
 * the default of one game, twenty real votes outweigh it twenty to one.
 *
 * The likelihood does not change when every strength is multiplied by the same factor; only the prior does,
 * and so weakly that MM alone would take thousands of steps to settle the common scale. After each MM step
 * the strengths are therefore rescaled by the factor the prior prefers (a one-dimensional root, found by
 * bisection): both steps raise the objective, and the fit settles in tens of steps.
 */

/** Pairwise results among `size` models, as flat size × size tables. */
export class PairwiseCounts {
  /** `wins[i * size + j]`: wins of i over j, a tie counting half. */
  readonly wins: Float64Array;
  /** `games[i * size + j]` (= games[j * size + i]): the pairs in which i and j met. */
  readonly games: Float64Array;

  constructor(readonly size: number) {
    this.wins = new Float64Array(size * size);
    this.games = new Float64Array(size * size);
  }

  /** One pair: `score` is 1 when i won, 0.5 for a tie, 0 when j won; `weight` repeats it. */
  add(i: number, j: number, score: number, weight = 1): void {
    const n = this.size;
    this.wins[i * n + j]! += score * weight;
    this.wins[j * n + i]! += (1 - score) * weight;
    this.games[i * n + j]! += weight;
    this.games[j * n + i]! += weight;
  }

  /** Whether model i met anyone. */
  played(i: number): boolean {
    for (let j = 0; j < this.size; j++) if (this.games[i * this.size + j]! > 0) return true;
    return false;
  }
}

/**
 * Multiplies the strengths that play by the factor e^t that maximises the prior, Σ_i log(s·p_i) − 2·log(s·p_i + 1)
 * over s: its derivative vanishes where Σ_i tanh((t + log p_i) / 2) = 0, which increases with t and has its
 * root between −max log p and −min log p.
 */
function rescaleForPrior(strength: Float64Array, playing: readonly boolean[]): void {
  const logs: number[] = [];
  strength.forEach((p, i) => {
    if (playing[i]) logs.push(Math.log(p));
  });
  if (logs.length === 0) return;
  let low = -Math.max(...logs);
  let high = -Math.min(...logs);
  for (let k = 0; k < 60 && high - low > 1e-13; k++) {
    const mid = (low + high) / 2;
    let sum = 0;
    for (const l of logs) sum += Math.tanh((mid + l) / 2);
    if (sum < 0) low = mid;
    else high = mid;
  }
  const factor = Math.exp((low + high) / 2);
  strength.forEach((p, i) => {
    if (playing[i]) strength[i] = p * factor;
  });
}

/** Options of {@link fitRatings}. */
export interface FitOptions {
  /** Imaginary tied games of each model against the reference player (see above). */
  priorGames: number;
  /** Stop when no log-strength moves more than this in a step. */
  tolerance?: number;
  maxIterations?: number;
}

export const DEFAULT_PRIOR_GAMES = 1;

/**
 * The strengths of the models in `counts` on the Elo-like scale Chatbot Arena uses: 400·log10(p) + 1000,
 * centred so that the mean rating of the models that played is 1000. A model that met nobody is NaN.
 */
export function fitRatings(counts: PairwiseCounts, options: FitOptions): Float64Array {
  const n = counts.size;
  const tau = options.priorGames;
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 10_000;
  const playing = Array.from({ length: n }, (_, i) => counts.played(i));
  const totalWins = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) totalWins[i]! += counts.wins[i * n + j]!;
    totalWins[i]! += tau / 2;
  }

  let strength = new Float64Array(n).fill(1);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let largestStep = 0;
    for (let i = 0; i < n; i++) {
      if (!playing[i]) continue;
      const pi = strength[i]!;
      let denominator = tau / (pi + 1);
      for (let j = 0; j < n; j++) {
        const games = counts.games[i * n + j]!;
        if (games > 0) denominator += games / (pi + strength[j]!);
      }
      const updated = totalWins[i]! / denominator;
      next[i] = updated;
      largestStep = Math.max(largestStep, Math.abs(Math.log(updated / pi)));
    }
    [strength, next] = [next, strength];
    rescaleForPrior(strength, playing);
    if (largestStep < tolerance) break;
  }

  const ratings = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  let played = 0;
  for (let i = 0; i < n; i++) {
    if (!playing[i]) continue;
    ratings[i] = 400 * Math.log10(strength[i]!);
    sum += ratings[i]!;
    played++;
  }
  const shift = played > 0 ? 1000 - sum / played : 0;
  for (let i = 0; i < n; i++) if (playing[i]) ratings[i]! += shift;
  return ratings;
}
