import type { VersionFeedback } from '../../src-shared/deploy-contract';
import type { Tier } from '../../src-shared/domain';
import type { ComparedVote, FeedbackOnAnswer } from '../store/repositories';

/**
 * What operators said of each tier's model versions (issue 9 §4, the dashboard's feedback per version): thumbs and
 * stars on their answers, and how they fared in Compare votes. Versions are named as the request stats name them
 * (the model version, else the model id), so a version's feedback sits beside its requests and latency.
 */

type Tally = Omit<VersionFeedback, 'meanRating'> & { ratingSum: number };

const versionName = (answer: { modelVersion: string | null; modelId: string | null }) => answer.modelVersion ?? answer.modelId ?? 'unknown model';
const keyOf = (tier: Tier, version: string) => `${tier}\u0000${version}`;

/**
 * Per tier and version: thumbs up and down, the stars' count and mean, and Compare votes.
 * A vote counts once for each version it showed beside another: a win for the winner's, a loss for each other
 * one; a tie or "all bad" (no answer better than another, as the leaderboard counts it by default) is a tie for
 * each. Answers a reader may not see (no tier) and votes that showed one version only say nothing of a version.
 */
export function versionFeedback(feedback: readonly FeedbackOnAnswer[], votes: readonly ComparedVote[]): VersionFeedback[] {
  const tallies = new Map<string, Tally>();
  const tally = (tier: Tier, modelVersion: string): Tally => {
    const key = keyOf(tier, modelVersion);
    let found = tallies.get(key);
    if (!found) {
      found = { tier, modelVersion, thumbsUp: 0, thumbsDown: 0, ratings: 0, ratingSum: 0, compareWins: 0, compareLosses: 0, compareTies: 0 };
      tallies.set(key, found);
    }
    return found;
  };

  for (const { thumbs, rating, answer } of feedback) {
    if (answer.tier === null || (thumbs === null && rating === null)) continue;
    const entry = tally(answer.tier, versionName(answer));
    if (thumbs === 1) entry.thumbsUp += 1;
    if (thumbs === -1) entry.thumbsDown += 1;
    if (rating !== null) {
      entry.ratings += 1;
      entry.ratingSum += rating;
    }
  }

  for (const vote of votes) {
    const shown = new Map<string, { tier: Tier; version: string; requestIds: string[] }>();
    for (const answer of vote.answers) {
      if (answer.tier === null) continue;
      const version = versionName(answer);
      const key = keyOf(answer.tier, version);
      const seen = shown.get(key) ?? { tier: answer.tier, version, requestIds: [] };
      seen.requestIds.push(answer.requestId);
      shown.set(key, seen);
    }
    if (shown.size < 2) continue;
    for (const { tier, version, requestIds } of shown.values()) {
      const entry = tally(tier, version);
      if (vote.verdict !== 'winner') entry.compareTies += 1;
      else if (vote.winnerRequestId !== null && requestIds.includes(vote.winnerRequestId)) entry.compareWins += 1;
      else entry.compareLosses += 1;
    }
  }

  return [...tallies.values()]
    .map(({ ratingSum, ...entry }) => ({ ...entry, meanRating: entry.ratings === 0 ? null : ratingSum / entry.ratings }))
    .sort((a, b) => a.tier.localeCompare(b.tier) || a.modelVersion.localeCompare(b.modelVersion));
}
