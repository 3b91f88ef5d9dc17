import { ChatRequestSchema } from '../../src-shared/chat';
import type { FeatureFlags } from '../../src-shared/feature-flags';
import type { RouterMetrics, RouterOperatingPoint } from '../../src-shared/router-contract';
import { chooseTier } from '../llm/model-selector';
import { calibrateThreshold } from './calibration';
import type { RouterExample, TierPair } from './router-examples';
import type { PromptScorer } from './tier-router-model';

const EVALUATION_USER = '00000000-0000-4000-8000-000000000000';
const ALL_TIERS_ON: FeatureFlags = { provider: 'local', openaiEnabled: false, tiers: { base: true, company: true, abstraction: true }, learnedRouter: false };

/** Whether sending the prompt to `strong` (or not) gave an answer at least as good as the other: the winner's, or a tie. */
function agrees(sentToStrong: boolean, outcome: RouterExample['outcome']): boolean {
  return outcome === 'tie' || (outcome === 'strong') === sentToStrong;
}

/** Area under the ROC curve of `scores` for the decisive votes (ties count half, as the Mann–Whitney U does). */
export function areaUnderCurve(scored: ReadonlyArray<{ score: number; positive: boolean }>): number | null {
  const positives = scored.filter((s) => s.positive).map((s) => s.score);
  const negatives = scored.filter((s) => !s.positive).map((s) => s.score);
  if (positives.length === 0 || negatives.length === 0) return null;
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

/**
 * The router against the votes it was not trained on, and the rule-based selector against the same votes: at
 * each target share, the threshold calibrated on the training prompts, how often the tier it picks gave the
 * winning answer (or a tie), and the share it actually sent to the strong tier.
 */
export function evaluateRouter(input: {
  scorer: PromptScorer;
  trainingPrompts: readonly string[];
  heldOut: readonly RouterExample[];
  company: string;
  pair: TierPair;
  shares: readonly number[];
  seed: number;
  trainVotes: number;
  trainThumbs: number;
}): RouterMetrics {
  const { scorer, heldOut, company, pair } = input;
  const trainingScores = input.trainingPrompts.map((p) => scorer.score(p));
  const scored = heldOut.map((example) => ({ example, score: scorer.score(example.prompt) }));
  const n = Math.max(scored.length, 1);
  const strongOrTie = scored.filter((s) => s.example.outcome !== 'weak').length / n;
  const weakOrTie = scored.filter((s) => s.example.outcome !== 'strong').length / n;

  const points = [...new Set(input.shares)]
    .sort((a, b) => a - b)
    .map((targetShare): RouterOperatingPoint => {
      const threshold = calibrateThreshold(trainingScores, targetShare);
      const picks = scored.map((s) => ({ strong: s.score >= threshold, outcome: s.example.outcome }));
      const strongShare = picks.filter((p) => p.strong).length / n;
      return {
        targetShare,
        threshold,
        agreement: picks.filter((p) => agrees(p.strong, p.outcome)).length / n,
        strongShare,
        randomAgreement: strongShare * strongOrTie + (1 - strongShare) * weakOrTie,
      };
    });

  // The rules see the same request a user with access to the company would send: the prompt, the company context.
  const rulePicks = heldOut.map((example) => {
    const request = ChatRequestSchema.parse({ messages: [{ role: 'user', content: example.prompt }], context: { userId: EVALUATION_USER, company } });
    const { tier } = chooseTier({ request, user: { id: EVALUATION_USER, displayName: 'evaluation', role: 'analyst', companySlugs: [company] }, flags: ALL_TIERS_ON });
    // A cross-business question goes to the Abstraction tier: neither answer of the vote, so not agreeing with it.
    return { tier, outcome: example.outcome };
  });
  const ruleAgreement = rulePicks.filter((p) => (p.tier === pair.strong || p.tier === pair.weak) && agrees(p.tier === pair.strong, p.outcome)).length / n;

  return {
    seed: input.seed,
    trainVotes: input.trainVotes,
    trainThumbs: input.trainThumbs,
    heldOutVotes: heldOut.length,
    auc: areaUnderCurve(scored.filter((s) => s.example.outcome !== 'tie').map((s) => ({ score: s.score, positive: s.example.outcome === 'strong' }))),
    rules: { agreement: ruleAgreement, strongShare: rulePicks.filter((p) => p.tier === pair.strong).length / n },
    points,
  };
}
