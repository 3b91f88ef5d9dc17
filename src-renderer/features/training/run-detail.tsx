import { useShallow } from 'zustand/react/shallow';
import { TIER_LABELS } from '../../common/tier-labels';
import { GpuChart, LossChart } from './training-charts';
import { StatusBadge } from '../../common/status-badge';
import { formatElapsed, formatTime, formatUsd, STAGE_LABELS } from './training-format';
import { costSoFarUsd, elapsedMs, isRunFinished } from './training-store';
import { useTraining } from './use-training';

/**
 * One run: stage history, loss and GPU plots, the last log lines, why it failed or the model it registered, and
 * Cancel. Log lines and reasons come from the job: they are shown as text (React escapes them), never as HTML.
 */
export function RunDetail({ now, canTrain }: { now: number; canTrain: boolean }) {
  const { detail, detailError, cancelling, cancelError, cancel } = useTraining(
    useShallow((s) => ({ detail: s.detail, detailError: s.detailError, cancelling: s.cancelling, cancelError: s.cancelError, cancel: s.cancel })),
  );
  if (detailError) {
    return (
      <p className="inline-error" role="alert">
        The run could not be read: {detailError}
      </p>
    );
  }
  if (!detail) return null;
  const finished = isRunFinished(detail);
  const cost = costSoFarUsd(detail, now);
  const last = detail.progress.at(-1);
  return (
    <section className="page-card training-detail" aria-label="Run detail">
      <header className="training-detail-header">
        <h2>
          {detail.kind.toUpperCase()} {detail.baseModel}
        </h2>
        <StatusBadge {...STAGE_LABELS[detail.stage]} testId="stage-badge" />
        {canTrain && !finished && (
          <button type="button" className="button button-danger" onClick={() => void cancel()} disabled={cancelling || !detail.jobId} title={detail.jobId ? undefined : 'the Hub has not accepted the job yet'}>
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </header>
      <dl className="training-facts">
        <dt>Dataset</dt>
        <dd>
          {detail.datasetRepo}@{detail.datasetRevision}
        </dd>
        <dt>Tier</dt>
        <dd>{detail.tier ? TIER_LABELS[detail.tier] : '–'}</dd>
        <dt>Pushes to</dt>
        <dd>{detail.outputRepo}</dd>
        <dt>Hardware</dt>
        <dd>
          {detail.flavor}
          {detail.priceUsdPerHour !== null && ` · ${formatUsd(detail.priceUsdPerHour)}/h`} · timeout {formatElapsed(detail.timeoutSeconds * 1000)}
        </dd>
        <dt>Job</dt>
        <dd>{detail.jobId ?? 'not accepted yet'}</dd>
        <dt>Elapsed</dt>
        <dd data-testid="run-elapsed">{detail.startedAt ? formatElapsed(elapsedMs(detail, now)) : 'not started'}</dd>
        <dt>Cost so far</dt>
        <dd data-testid="run-cost">{cost === null ? '–' : formatUsd(cost)}</dd>
        {last && (
          <>
            <dt>Progress</dt>
            <dd data-testid="run-progress">
              step {last.step}
              {last.maxSteps ? ` of ${last.maxSteps}` : ''} · loss {last.loss ?? '–'}
            </dd>
          </>
        )}
      </dl>

      {detail.model && (
        <p className="training-registered" data-testid="registered-model">
          Registered model {detail.model.name}@{detail.model.version}
        </p>
      )}
      {detail.failureReason && (
        <p className="inline-error" role="alert" data-testid="failure-reason">
          {detail.failureReason}
        </p>
      )}
      {cancelError && (
        <p className="inline-error" role="alert">
          Not cancelled: {cancelError}
        </p>
      )}

      <div className="training-detail-grid">
        <section aria-label="Loss">
          <h3>Loss</h3>
          {detail.progress.length > 0 ? <LossChart progress={detail.progress} /> : <p className="muted">No progress reported yet.</p>}
        </section>
        <section aria-label="GPU utilisation">
          <h3>GPU utilisation</h3>
          {detail.metrics.length > 0 ? (
            <GpuChart samples={detail.metrics} />
          ) : (
            <p className="muted">{finished ? 'Samples are kept only while the app follows a running job.' : 'No samples yet.'}</p>
          )}
        </section>
      </div>

      <section aria-label="Stage history">
        <h3>Stages</h3>
        <ol className="training-history">
          {detail.stageHistory.map((entry, i) => (
            <li key={`${entry.stage}-${i}`}>
              <StatusBadge {...STAGE_LABELS[entry.stage]} testId="stage-badge" /> <span className="muted">{formatTime(entry.at)}</span>
              {entry.message && <span> · {entry.message}</span>}
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="Last log lines">
        <h3>Last log lines</h3>
        {detail.lastLogLines.length > 0 ? <pre className="training-log">{detail.lastLogLines.join('\n')}</pre> : <p className="muted">No log lines yet.</p>}
      </section>
    </section>
  );
}
