import type { EvaluationRun, EvaluationVerdict, RegisteredModel, TriadStore } from '../../src-main/store/repositories';
import type { Tier } from '../../src-shared/domain';
import { EvaluationReportSchema } from '../../src-shared/evaluation-contract';

/** The 95% Wilson score interval of a share of `n`. */
function wilson(share: number, n: number): { low: number; high: number } {
  const z = 1.96;
  const centre = (share + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const spread = (z / (1 + (z * z) / n)) * Math.sqrt((share * (1 - share)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, centre - spread), high: Math.min(1, centre + spread) };
}

/**
 * Records a completed evaluation of `model` against the tier's serving version through the real store, as an
 * evaluation run leaves it: one eval prompt per verdict, both sides answered, each pair judged by `judgedBy`, and
 * the report (EvaluationReportSchema) computed from those verdicts and stored with the run.
 */
export async function recordCompletedEvaluation(
  store: Pick<TriadStore, 'evaluations'>,
  options: { model: RegisteredModel; tier: Tier; servingVersion: string; judgedBy: string; wins: number; losses: number; ties: number },
): Promise<EvaluationRun> {
  const { model, tier, wins, losses, ties } = options;
  const verdicts: EvaluationVerdict[] = [...Array<EvaluationVerdict>(wins).fill('candidate'), ...Array<EvaluationVerdict>(losses).fill('serving'), ...Array<EvaluationVerdict>(ties).fill('tie')];
  const candidateVersion = `${model.name}@${model.version}`;
  const run = await store.evaluations.create(
    { candidateModelId: model.id, candidateVersion, candidateSource: 'staging', tier, servingVersion: options.servingVersion, datasetVersion: `triad-ml/triad-${tier}-sft-data@${'d'.repeat(40)}`, judgeModel: null, createdBy: options.judgedBy },
    verdicts.map((_, position) => ({ position, companySlug: null, messages: [{ role: 'user' as const, content: `Eval prompt ${position + 1}` }], reference: null, candidateFirst: position % 2 === 0 })),
  );
  const items = await store.evaluations.items(run.id);
  for (const [i, item] of items.entries()) {
    await store.evaluations.recordAnswer(item.id, 'candidate', { text: `candidate answer ${i}`, error: null, timeToFirstTokenMs: 40, latencyMs: 300 });
    await store.evaluations.recordAnswer(item.id, 'serving', { text: `serving answer ${i}`, error: null, timeToFirstTokenMs: 50, latencyMs: 400 });
    await store.evaluations.judge(item.id, verdicts[i]!, { userId: options.judgedBy });
  }
  const judged = verdicts.length;
  const winRate = judged === 0 ? null : (wins + ties / 2) / judged;
  const side = (modelVersion: string, latencyMs: number) => ({ modelVersion, meanAnswerChars: 17, p50TimeToFirstTokenMs: 45, p50LatencyMs: latencyMs, p95LatencyMs: latencyMs, errors: 0 });
  const overall = { judged, wins, losses, ties, winRate, interval: winRate === null ? null : wilson(winRate, judged) };
  const report = EvaluationReportSchema.parse({
    runId: run.id,
    candidateModelId: model.id,
    tier,
    candidate: side(candidateVersion, 300),
    serving: side(options.servingVersion, 400),
    overall,
    perCompany: [{ ...overall, companySlug: null }],
    judgeModel: null,
    unanswered: 0,
    computedAt: new Date().toISOString(),
  });
  return store.evaluations.update(run.id, { status: 'completed', report, finishedAt: new Date() });
}
