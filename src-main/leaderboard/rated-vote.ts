import type { ComparedVote, PreferenceVerdict } from '../store/repositories';

/**
 * A vote as the leaderboard rates it: the models shown (2 or 3, distinct), the verdict, and, for a winner, the
 * winning model. Built from the store's votes or from a file of `triad leaderboard --votes`.
 */
export interface RatedVote {
  models: readonly string[];
  verdict: PreferenceVerdict;
  /** The winning model when the verdict is `winner`, else null. */
  winner: string | null;
  /** The company the compared requests named, if any. */
  company: string | null;
  /** When it was cast; null when unknown (a file without times), which leaves it out of the ratings over time. */
  at: Date | null;
}

/** The leaderboard's name of a model: `${tier}@${modelVersion ?? modelId}`. */
export function modelName(tier: string, modelId: string | null, modelVersion: string | null): string {
  return `${tier}@${modelVersion ?? modelId ?? 'unknown'}`;
}

/** The store's votes as rated votes, and how many of them cannot be rated. */
export interface RatedVotes {
  votes: RatedVote[];
  /** Votes left out: fewer than two of their answers are still in the log, or the winner's is gone. */
  unrated: number;
}

/**
 * Turns stored votes into rated votes. An answer whose request is no longer logged (or hidden from the reader)
 * has no model; the vote keeps the answers that do, as long as two distinct models remain and a winner is
 * among them. Two answers of the same model say nothing about it, so a model counts once per vote.
 */
export function ratedVotesFrom(stored: readonly ComparedVote[]): RatedVotes {
  const votes: RatedVote[] = [];
  let unrated = 0;
  for (const vote of stored) {
    const byRequest = new Map<string, string>();
    for (const answer of vote.answers) {
      if (answer.tier !== null) byRequest.set(answer.requestId, modelName(answer.tier, answer.modelId, answer.modelVersion));
    }
    const models = [...new Set(byRequest.values())];
    const winner = vote.verdict === 'winner' ? (byRequest.get(vote.winnerRequestId ?? '') ?? null) : null;
    if (models.length < 2 || (vote.verdict === 'winner' && winner === null)) {
      unrated++;
      continue;
    }
    const company = vote.answers.find((answer) => answer.companySlug !== null)?.companySlug ?? null;
    votes.push({ models, verdict: vote.verdict, winner, company, at: vote.createdAt });
  }
  return { votes, unrated };
}

/** A key that orders votes by what they say, so the order they arrived in changes nothing. */
function canonicalKey(vote: RatedVote): string {
  return JSON.stringify([vote.at?.toISOString() ?? '', [...vote.models].sort(), vote.verdict, vote.winner ?? '', vote.company ?? '']);
}

/**
 * The votes in a canonical order (by time, then content), with each vote's models sorted. Votes that compare
 * equal are identical, so any input order gives the same sequence: the fit and the seeded resampling then
 * give the same numbers for the same votes, however they were shuffled.
 */
export function canonicalOrder(votes: readonly RatedVote[]): RatedVote[] {
  return votes
    .map((vote) => ({ vote: { ...vote, models: [...vote.models].sort() }, key: canonicalKey(vote) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ vote }) => vote);
}

/** The votes on one company's requests; every vote when `company` is null or undefined. */
export function votesOfCompany(votes: readonly RatedVote[], company: string | null | undefined): RatedVote[] {
  return company == null ? [...votes] : votes.filter((vote) => vote.company === company);
}
