import { useShallow } from 'zustand/react/shallow';
import { TIER_LABELS } from '../../common/tier-labels';
import { StatusBadge } from '../../common/status-badge';
import { shortVersion, STATUS_LABELS } from './evaluation-format';
import { acceptsVerdicts, isRunFinished } from './evaluation-items';
import { JudgingView } from './judging-view';
import { ReportView } from './report-view';
import { useEvaluation } from './use-evaluation';

/** The open run: what it compares, its answering progress, the judging view (for those who judge) and the report. */
export function RunDetail({ canEvaluate }: { canEvaluate: boolean }) {
  const { detail, detailError, report, reportError, cancelling, cancelError, cancel } = useEvaluation(
    useShallow((s) => ({ detail: s.detail, detailError: s.detailError, report: s.report, reportError: s.reportError, cancelling: s.cancelling, cancelError: s.cancelError, cancel: s.cancel })),
  );
  if (detailError) {
    return (
      <p className="inline-error" role="alert">
        The evaluation could not be read: {detailError}
      </p>
    );
  }
  if (!detail) return null;
  const finished = isRunFinished(detail);
  // While this operator may still judge, the figures so far stay hidden: they would unblind the next pairs.
  const judgingOpen = canEvaluate && acceptsVerdicts(detail);
  return (
    <>
      <section className="page-card evaluation-detail" aria-label="Evaluation detail">
        <header className="evaluation-detail-header">
          <h2>
            {shortVersion(detail.candidateVersion)} vs {shortVersion(detail.servingVersion)}
          </h2>
          <StatusBadge {...STATUS_LABELS[detail.status]} testId="evaluation-status" />
          {canEvaluate && !finished && (
            <button type="button" className="button button-danger" onClick={() => void cancel()} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel evaluation'}
            </button>
          )}
        </header>
        <dl className="evaluation-facts">
          <dt>Tier</dt>
          <dd>{TIER_LABELS[detail.tier]}</dd>
          <dt>Candidate answers from</dt>
          <dd>{detail.candidateSource === 'local' ? 'this machine (its GGUF)' : 'the staging Space'}</dd>
          <dt>Eval split</dt>
          <dd>{shortVersion(detail.datasetVersion)}</dd>
          <dt>Answered</dt>
          <dd data-testid="run-answered">
            {detail.answered} of {detail.itemCount}
            {detail.status === 'generating' && (
              <progress className="evaluation-answering" max={Math.max(detail.itemCount, 1)} value={detail.answered} aria-label="Answered" />
            )}
          </dd>
        </dl>
        {detail.failureReason && (
          <p className="inline-error" role="alert" data-testid="evaluation-failure">
            {detail.failureReason}
          </p>
        )}
        {cancelError && (
          <p className="inline-error" role="alert">
            Not cancelled: {cancelError}
          </p>
        )}
      </section>
      {canEvaluate && detail.status !== 'failed' && <JudgingView />}
      {reportError && (
        <p className="inline-error" role="alert">
          The report could not be read: {reportError}
        </p>
      )}
      {report && !judgingOpen && <ReportView report={report} final={detail.status === 'completed'} />}
      {judgingOpen && (
        <p className="muted" data-testid="report-after-judging">
          The report appears once every answered prompt is judged: its win rate and each side’s length and speed would tell which answer is the candidate’s.
        </p>
      )}
    </>
  );
}
