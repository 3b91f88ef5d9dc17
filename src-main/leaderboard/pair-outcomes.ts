import type { RatedVote } from './rated-vote';

/**
 * What "all bad" means for the ratings. `tie` (the default) counts it as a tie, as Chatbot Arena counts
 * "tie (bothbad)": the voter found no answer better than another, which is exactly what a tie says, and the
 * vote still shows that the models are close. `omit` leaves such votes out, for those who read "all bad" as
 * no judgement at all.
 */
export type BothBadRule = 'tie' | 'omit';

/** One pair of models from a vote: `score` 1 when `a` won, 0.5 for a tie. */
export interface PairOutcome {
  a: number;
  b: number;
  score: number;
}

/**
 * The pairs a vote says something about, with models as indexes into `index`:
 * - a winner beats each other answer shown (with three answers, the two losers are not compared to each other);
 * - a tie is half a win each way for every pair;
 * - "all bad" follows `bothBad`.
 */
export function pairOutcomes(vote: RatedVote, index: ReadonlyMap<string, number>, bothBad: BothBadRule): PairOutcome[] {
  const at = (model: string) => index.get(model)!;
  if (vote.verdict === 'winner') {
    const winner = vote.winner!;
    return vote.models.filter((model) => model !== winner).map((loser) => ({ a: at(winner), b: at(loser), score: 1 }));
  }
  if (vote.verdict === 'both_bad' && bothBad === 'omit') return [];
  const pairs: PairOutcome[] = [];
  for (let i = 0; i < vote.models.length; i++) {
    for (let j = i + 1; j < vote.models.length; j++) pairs.push({ a: at(vote.models[i]!), b: at(vote.models[j]!), score: 0.5 });
  }
  return pairs;
}
