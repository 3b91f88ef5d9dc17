/**
 * The report of an evaluation run, computed from its items: verdicts counted from the candidate's side, the win
 * rate with its 95% interval overall and per company, and each side's answer length, time to first token and
 * latency. Items where a side failed to answer are left out of the tallies and counted as unanswered.
 */
import type { EvaluationReport, EvaluationTally } from '../../src-shared/evaluation-contract';
import type { EvaluationAnswerRecord, EvaluationItem, EvaluationRun, EvaluationVerdict } from '../store/repositories';

/** The normal quantile of a two-sided 95% interval. */
const Z95 = 1.959964;

/**
 * The Wilson score interval of a proportion. Chosen over the textbook normal ("Wald") interval because an
 * evaluation judges tens of items, not thousands: with small n and a win rate near 0 or 1, Wald's interval leaves
 * [0, 1] and shrinks to zero width at 0 and 1 (claiming certainty after 5 wins out of 5), while Wilson's stays inside
 * [0, 1] and keeps close to its nominal 95% coverage (Brown, Cai & DasGupta 2001). A tie counts as half a win, so
 * `successes` may be fractional.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): { low: number; high: number } | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: clamp(center - half), high: clamp(center + half) };
}

const clamp = (x: number) => Math.min(1, Math.max(0, x));

/** Tallies verdicts from the candidate's side. */
export function tally(verdicts: EvaluationVerdict[]): EvaluationTally {
  const wins = verdicts.filter((v) => v === 'candidate').length;
  const losses = verdicts.filter((v) => v === 'serving').length;
  const ties = verdicts.filter((v) => v === 'tie').length;
  const judged = verdicts.length;
  const score = wins + ties / 2;
  return { judged, wins, losses, ties, winRate: judged === 0 ? null : score / judged, interval: wilsonInterval(score, judged) };
}

/** The value below which `q` of the sorted values lie (nearest rank). */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length);

/** An item both sides answered without error: the only kind that can be judged. */
export function isJudgeable(item: EvaluationItem): boolean {
  return item.candidate !== null && item.serving !== null && item.candidate.error === null && item.serving.error === null;
}

function sideStats(modelVersion: string, answers: Array<EvaluationAnswerRecord | null>) {
  const given = answers.filter((a): a is EvaluationAnswerRecord => a !== null);
  const ok = given.filter((a) => a.error === null);
  const latencies = ok.map((a) => a.latencyMs).filter((v): v is number => v !== null);
  return {
    modelVersion,
    meanAnswerChars: mean(ok.map((a) => a.text.length)),
    p50TimeToFirstTokenMs: percentile(ok.map((a) => a.timeToFirstTokenMs).filter((v): v is number => v !== null), 0.5),
    p50LatencyMs: percentile(latencies, 0.5),
    p95LatencyMs: percentile(latencies, 0.95),
    errors: given.length - ok.length,
  };
}

/** Agreement of two verdict lists over the items both judged. */
function agreement(pairs: Array<[EvaluationVerdict | null, EvaluationVerdict | null]>): number | null {
  const both = pairs.filter(([a, b]) => a !== null && b !== null);
  return both.length === 0 ? null : both.filter(([a, b]) => a === b).length / both.length;
}

/** The run's report as its items stand now. */
export function computeReport(run: EvaluationRun, items: EvaluationItem[], now = new Date()): EvaluationReport {
  const judgeable = items.filter(isJudgeable);
  const judged = judgeable.filter((i) => i.verdict !== null);
  const companies = [...new Set(judged.map((i) => i.companySlug))].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  const byModel = judgeable.filter((i) => i.judgeVerdict !== null);
  return {
    runId: run.id,
    candidateModelId: run.candidateModelId,
    tier: run.tier,
    candidate: sideStats(run.candidateVersion, items.map((i) => i.candidate)),
    serving: sideStats(run.servingVersion, items.map((i) => i.serving)),
    overall: tally(judged.map((i) => i.verdict!)),
    perCompany: companies.map((companySlug) => ({ companySlug, ...tally(judged.filter((i) => i.companySlug === companySlug).map((i) => i.verdict!)) })),
    judgeModel:
      run.judgeModel && byModel.length > 0
        ? { model: run.judgeModel, overall: tally(byModel.map((i) => i.judgeVerdict!)), agreementWithOperator: agreement(judgeable.map((i) => [i.verdict, i.judgeVerdict])) }
        : null,
    unanswered: items.length - judgeable.length,
    computedAt: now.toISOString(),
  };
}
