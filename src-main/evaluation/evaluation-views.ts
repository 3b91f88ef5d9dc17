import { EvaluationReportSchema, type EvaluationItemView, type EvaluationReport, type EvaluationRunView } from '../../src-shared/evaluation-contract';
import type { EvaluationItem, EvaluationRun, EvaluationSide, EvaluationVerdict } from '../store/repositories';

/**
 * Runs and items as they leave the main process. Items are blind: answers `a` and `b` in the order drawn for the
 * item, verdicts as letters; which side was the candidate is in the report only.
 */
export function toRunView(run: EvaluationRun): EvaluationRunView {
  const report = run.report ? EvaluationReportSchema.safeParse(run.report) : undefined;
  return {
    id: run.id,
    candidateModelId: run.candidateModelId,
    candidateVersion: run.candidateVersion,
    candidateSource: run.candidateSource,
    tier: run.tier,
    servingVersion: run.servingVersion,
    datasetVersion: run.datasetVersion,
    status: run.status,
    itemCount: run.itemCount,
    answered: run.answered,
    judged: run.judged,
    failureReason: run.failureReason,
    report: report?.success ? (report.data as EvaluationReport) : null,
    createdBy: run.createdBy,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Which blind letter a side is on an item. */
export function blindLetter(item: Pick<EvaluationItem, 'candidateFirst'>, side: EvaluationSide): 'a' | 'b' {
  return (side === 'candidate') === item.candidateFirst ? 'a' : 'b';
}

/** A verdict as the blind letter the operator saw. */
export function toBlindVerdict(item: Pick<EvaluationItem, 'candidateFirst'>, verdict: EvaluationVerdict | null): 'a' | 'b' | 'tie' | null {
  if (verdict === null || verdict === 'tie') return verdict;
  return (verdict === 'candidate') === item.candidateFirst ? 'a' : 'b';
}

/** A blind letter as the side it stands for. */
export function fromBlindVerdict(item: Pick<EvaluationItem, 'candidateFirst'>, verdict: 'a' | 'b' | 'tie'): EvaluationVerdict {
  if (verdict === 'tie') return 'tie';
  return (verdict === 'a') === item.candidateFirst ? 'candidate' : 'serving';
}

export function toItemView(item: EvaluationItem): EvaluationItemView {
  const [a, b] = item.candidateFirst ? [item.candidate, item.serving] : [item.serving, item.candidate];
  return {
    id: item.id,
    position: item.position,
    companySlug: item.companySlug,
    messages: item.messages,
    a,
    b,
    verdict: toBlindVerdict(item, item.verdict),
    judgeVerdict: toBlindVerdict(item, item.judgeVerdict),
  };
}
