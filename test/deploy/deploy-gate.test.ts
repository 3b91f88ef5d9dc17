import { describe, expect, it } from 'vitest';
import { judgeAtGate, latestCompletedRuns, latestRunKey } from '../../src-main/deploy/deploy-gate';
import type { EvaluationRun } from '../../src-main/store/repositories';

/** The gate's verdict on evaluation runs as the store returns them (the deploy tests read them from PostgreSQL). */
const thresholds = { minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 20 };
const subject = { modelVersion: `triad-ml/triad-base-sft@${'7'.repeat(40)}`, tier: 'base' as const };
const MODEL = '77777777-7777-4777-8777-777777777777';

function run(change: Partial<EvaluationRun> & { overall?: Record<string, unknown> }): EvaluationRun {
  const { overall, ...rest } = change;
  const side = { modelVersion: subject.modelVersion, meanAnswerChars: 10, p50TimeToFirstTokenMs: 1, p50LatencyMs: 1, p95LatencyMs: 1, errors: 0 };
  const id = rest.id ?? '12345678-1234-4234-8234-123456789abc';
  return {
    id, candidateModelId: MODEL, candidateVersion: subject.modelVersion, candidateSource: 'staging', tier: 'base', servingVersion: 'qwen', datasetVersion: 'd@1',
    status: 'completed', itemCount: 10, answered: 10, judged: 10, failureReason: null, judgeModel: null, createdBy: MODEL, createdAt: new Date(), finishedAt: new Date(),
    report: { runId: id, candidateModelId: MODEL, tier: 'base', candidate: side, serving: side, overall, perCompany: [], judgeModel: null, unanswered: 0, computedAt: new Date().toISOString() },
    ...rest,
  };
}

describe('the deploy gate', () => {
  it('fails a clear win on too few verdicts, saying how many are needed', () => {
    const verdict = judgeAtGate(run({ overall: { judged: 10, wins: 10, losses: 0, ties: 0, winRate: 1, interval: { low: 0.72, high: 1 } } }), thresholds, subject);
    expect(verdict).toMatchObject({ status: 'failed', judged: 10, winRate: 1, intervalLow: 0.72 });
    expect(verdict.message).toBe('evaluation 12345678…: win rate 100% (95% CI 72–100%) over 10 verdicts, needs ≥ 50% and a lower bound ≥ 40%: failed (10 verdicts, fewer than the 20 needed)');
    expect(verdict.advice).toBe(`evaluate it on more examples (triad eval run --model ${subject.modelVersion}), or give an override reason (recorded)`);
  });

  it('takes a completed run whose report does not read as one for missing, naming the run', () => {
    const verdict = judgeAtGate(run({ report: { overall: 'lots' } }), thresholds, subject);
    expect(verdict).toMatchObject({ status: 'missing', evaluationRunId: '12345678-1234-4234-8234-123456789abc', winRate: null });
    expect(verdict.message).toMatch(/^evaluation 12345678… of triad-ml\/triad-base-sft@7777777 completed without a readable report/);
  });

  it('passes on the thresholds exactly, and picks the newest completed run per version and tier', () => {
    expect(judgeAtGate(run({ overall: { judged: 20, wins: 10, losses: 10, ties: 0, winRate: 0.5, interval: { low: 0.4, high: 0.6 } } }), thresholds, subject).status).toBe('passed');
    const older = run({ id: '00000000-0000-4000-8000-000000000001', finishedAt: new Date('2031-01-01T00:00:00Z') });
    const newer = run({ id: '00000000-0000-4000-8000-000000000002', finishedAt: new Date('2031-01-02T00:00:00Z') });
    const judging = run({ id: '00000000-0000-4000-8000-000000000003', status: 'judging', finishedAt: null });
    const latest = latestCompletedRuns([judging, older, newer]);
    expect(latest.get(latestRunKey(MODEL, 'base'))!.id).toBe(newer.id);
    expect(latest.get(latestRunKey(MODEL, 'company'))).toBeUndefined();
  });
});
