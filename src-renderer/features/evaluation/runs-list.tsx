import { useShallow } from 'zustand/react/shallow';
import type { EvaluationRunView } from '../../../src-shared/evaluation-contract';
import { TIER_LABELS } from '../../common/tier-labels';
import { formatWinRate, shortVersion } from './evaluation-format';
import { EvaluationStatusBadge } from './status-badge';
import { useEvaluation } from './use-evaluation';

/** Every evaluation run, newest first: status, candidate against serving, counts, win rate. Click to open. */
export function RunsList() {
  const { runs, selectedRunId, listError, select } = useEvaluation(useShallow((s) => ({ runs: s.runs, selectedRunId: s.selectedRunId, listError: s.listError, select: s.select })));
  return (
    <section className="page-card" aria-label="Evaluation runs">
      <h2>Runs</h2>
      {listError && (
        <p className="inline-error" role="alert">
          The evaluation runs could not be read: {listError}
        </p>
      )}
      {runs.length === 0 && !listError ? (
        <p className="muted">No evaluations yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Candidate vs serving</th>
              <th>Answered</th>
              <th>Judged</th>
              <th>Win rate (95% interval)</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <RunRow key={run.id} run={run} selected={run.id === selectedRunId} onSelect={() => void select(run.id)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RunRow({ run, selected, onSelect }: { run: EvaluationRunView; selected: boolean; onSelect: () => void }) {
  return (
    <tr className={selected ? 'is-selected' : undefined} data-testid="evaluation-run">
      <td>
        <EvaluationStatusBadge status={run.status} />
      </td>
      <td>
        <button type="button" className="run-link" aria-current={selected ? 'true' : undefined} onClick={onSelect}>
          {shortVersion(run.candidateVersion)}
        </button>
        <div className="muted small-print">
          vs {shortVersion(run.servingVersion)} · {TIER_LABELS[run.tier]} · {run.candidateSource === 'local' ? 'local GGUF' : 'staging Space'}
        </div>
      </td>
      <td>
        {run.answered} of {run.itemCount}
      </td>
      <td>{run.judged}</td>
      <td data-testid="run-win-rate">{run.report ? formatWinRate(run.report.overall.winRate, run.report.overall.interval) : '–'}</td>
    </tr>
  );
}
