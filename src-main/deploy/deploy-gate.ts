import type { GateVerdict } from '../../src-shared/deploy-contract';
import type { Tier } from '../../src-shared/domain';
import { EvaluationReportSchema } from '../../src-shared/evaluation-contract';
import type { DeployGateSettings } from '../../src-shared/settings';
import type { EvaluationRun } from '../store/repositories';

/**
 * The deploy gate (issue 9 §3): promoting a version to a live tier needs its newest completed evaluation against
 * the serving version (issue 10 §2) to meet the thresholds of the `deploy.gate` setting: the operator's win rate,
 * the lower bound of its 95% interval, and enough verdicts. Otherwise only an override reason promotes it.
 */

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** `owner/name@0123456` from `owner/name@<40 hex>`. */
const shortVersion = (modelVersion: string) => {
  const at = modelVersion.lastIndexOf('@');
  return at === -1 ? modelVersion : modelVersion.slice(0, at + 8);
};

/** What the gate says of `run`, the version's newest completed evaluation for `tier` (undefined: none). */
export function judgeAtGate(run: EvaluationRun | undefined, thresholds: DeployGateSettings, subject: { modelVersion: string; tier: Tier }): GateVerdict {
  const needs = `needs ≥ ${percent(thresholds.minWinRate)} and a lower bound ≥ ${percent(thresholds.minIntervalLow)} over at least ${thresholds.minJudged} verdicts`;
  const none = { evaluationRunId: null, winRate: null, intervalLow: null, intervalHigh: null, judged: null, thresholds };
  const evaluate = `triad eval run --model ${subject.modelVersion}`;
  if (!run) {
    return {
      ...none,
      status: 'missing',
      message: `${shortVersion(subject.modelVersion)} has no completed evaluation against the serving version of the ${subject.tier} tier (the gate ${needs})`,
      advice: `evaluate it first (${evaluate}, then judge the pairs), or give an override reason (recorded)`,
    };
  }
  const name = `evaluation ${run.id.slice(0, 8)}…`;
  const report = EvaluationReportSchema.safeParse(run.report);
  if (!report.success) {
    return {
      ...none,
      evaluationRunId: run.id,
      status: 'missing',
      message: `${name} of ${shortVersion(subject.modelVersion)} completed without a readable report (the gate ${needs})`,
      advice: `evaluate it again (${evaluate}), or give an override reason (recorded)`,
    };
  }
  const { winRate, interval, judged } = report.data.overall;
  const figures = { evaluationRunId: run.id, winRate, intervalLow: interval?.low ?? null, intervalHigh: interval?.high ?? null, judged, thresholds };
  const shortfalls: string[] = [];
  if (judged < thresholds.minJudged) shortfalls.push(`${judged} verdicts, fewer than the ${thresholds.minJudged} needed`);
  if (winRate === null || winRate < thresholds.minWinRate) shortfalls.push(`win rate below ${percent(thresholds.minWinRate)}`);
  if (!interval || interval.low < thresholds.minIntervalLow) shortfalls.push(`lower bound below ${percent(thresholds.minIntervalLow)}`);
  const measured =
    winRate === null
      ? `${name}: no verdicts`
      : `${name}: win rate ${percent(winRate)}${interval ? ` (95% CI ${Math.round(interval.low * 100)}–${percent(interval.high)})` : ''} over ${judged} verdict${judged === 1 ? '' : 's'}`;
  const shortNeeds = `needs ≥ ${percent(thresholds.minWinRate)} and a lower bound ≥ ${percent(thresholds.minIntervalLow)}`;
  if (shortfalls.length === 0) return { ...figures, status: 'passed', message: `${measured}, ${shortNeeds}: passed`, advice: null };
  return {
    ...figures,
    status: 'failed',
    message: `${measured}, ${shortNeeds}: failed (${shortfalls.join('; ')})`,
    advice:
      judged < thresholds.minJudged
        ? `evaluate it on more examples (${evaluate}), or give an override reason (recorded)`
        : `promote a version that does better (evaluate it with triad eval run --model …), or give an override reason (recorded)`,
  };
}

/** The key of {@link latestCompletedRuns}' map. */
export const latestRunKey = (candidateModelId: string, tier: Tier) => `${candidateModelId}\u0000${tier}`;

/**
 * The newest completed run per candidate and tier among `runs` (as `EvaluationRepository.latestCompleted` picks
 * it, by when it finished), for telling the deploy form every version's verdict from one read of the runs.
 */
export function latestCompletedRuns(runs: readonly EvaluationRun[]): Map<string, EvaluationRun> {
  const latest = new Map<string, EvaluationRun>();
  for (const run of runs) {
    if (run.status !== 'completed') continue;
    const key = latestRunKey(run.candidateModelId, run.tier);
    const known = latest.get(key);
    if (!known || (run.finishedAt?.getTime() ?? 0) > (known.finishedAt?.getTime() ?? 0)) latest.set(key, run);
  }
  return latest;
}

