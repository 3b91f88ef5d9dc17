import type { Tier } from '../../src-shared/domain';
import type { RouterTrainingSources } from '../store/repositories';

/** The two tiers a router decides between: the expensive one and the cheaper one it is compared with. */
export interface TierPair {
  strong: Tier;
  weak: Tier;
}

/** The pair every company router is trained for: the company's tuned tier against the general one. */
export const COMPANY_PAIR: TierPair = { strong: 'company', weak: 'base' };

/** How much a thumbs up or down counts against a Compare vote: it judges one answer alone, not the two side by side. */
export const THUMBS_WEIGHT = 0.25;

/** A labelled prompt: `strongWins` 1 when the strong tier's answer was needed, 0 when the cheaper one sufficed. */
export interface RouterExample {
  prompt: string;
  strongWins: 0 | 1;
  weight: number;
  source: 'vote' | 'thumbs';
  /** The vote's id, or the thumbed request's: what the held-out split is drawn by. */
  id: string;
  /** The vote's verdict as the evaluation reads it: which tier's answer won, or a tie. */
  outcome: 'strong' | 'weak' | 'tie';
}

/** How many of the company's votes and thumbs could be used, and why the others were not. */
export interface ExampleCounts {
  /** Votes that showed an answer of each of the two tiers and named a winner or a tie. */
  votes: number;
  strongWins: number;
  weakWins: number;
  ties: number;
  /** Votes where both answers were bad: neither tier helps, so they teach the router nothing. */
  bothBad: number;
  /** Votes that did not compare the two tiers (other tiers, or answers no longer logged). */
  otherVotes: number;
  thumbs: number;
}

/**
 * RouteLLM's labels from the votes: a vote between the two tiers says whether the strong tier's answer was
 * needed (it won) or the cheaper one sufficed (it won, or the two tied: an equal answer for less). Thumbs say it
 * more weakly: up on the strong tier's answer or down on the cheaper one's count for the strong tier.
 */
export function routerExamples(sources: RouterTrainingSources, pair: TierPair = COMPANY_PAIR): { examples: RouterExample[]; counts: ExampleCounts } {
  const counts: ExampleCounts = { votes: 0, strongWins: 0, weakWins: 0, ties: 0, bothBad: 0, otherVotes: 0, thumbs: 0 };
  const examples: RouterExample[] = [];
  for (const vote of sources.votes) {
    const strong = vote.answers.find((a) => a.tier === pair.strong);
    const weak = vote.answers.find((a) => a.tier === pair.weak);
    if (!strong || !weak || vote.prompt.trim() === '') {
      counts.otherVotes++;
      continue;
    }
    if (vote.verdict === 'both_bad') {
      counts.bothBad++;
      continue;
    }
    let outcome: RouterExample['outcome'];
    if (vote.verdict === 'tie') outcome = 'tie';
    else if (vote.winnerRequestId === strong.requestId) outcome = 'strong';
    else if (vote.winnerRequestId === weak.requestId) outcome = 'weak';
    else {
      // The winner was a third answer (a Compare of three tiers): it says nothing about these two.
      counts.otherVotes++;
      continue;
    }
    counts.votes++;
    if (outcome === 'strong') counts.strongWins++;
    else if (outcome === 'weak') counts.weakWins++;
    else counts.ties++;
    examples.push({ prompt: vote.prompt, strongWins: outcome === 'strong' ? 1 : 0, weight: 1, source: 'vote', id: vote.id, outcome });
  }
  for (const thumb of sources.thumbs) {
    if (thumb.prompt === null || thumb.prompt.trim() === '' || (thumb.tier !== pair.strong && thumb.tier !== pair.weak)) continue;
    const strongWins = (thumb.tier === pair.strong) === (thumb.thumbs === 1) ? 1 : 0;
    counts.thumbs++;
    examples.push({ prompt: thumb.prompt, strongWins, weight: THUMBS_WEIGHT, source: 'thumbs', id: thumb.requestId, outcome: strongWins ? 'strong' : 'weak' });
  }
  return { examples, counts };
}
