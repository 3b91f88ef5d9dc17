import { useShallow } from 'zustand/react/shallow';
import type { TrainingRunView } from '../../../src-shared/training-contract';
import { formatElapsed, formatUsd } from './training-format';
import { StageBadge } from './stage-badge';
import { costSoFarUsd, elapsedMs } from './training-store';
import { useTraining } from './use-training';

/** Every recorded run, newest first: stage, what it trains, elapsed time and cost so far. Click to open. */
export function RunsList({ now }: { now: number }) {
  const { runs, selectedRunId, listError, select } = useTraining(useShallow((s) => ({ runs: s.runs, selectedRunId: s.selectedRunId, listError: s.listError, select: s.select })));
  return (
    <section className="page-card" aria-label="Training runs">
      <h2>Runs</h2>
      {listError && (
        <p className="inline-error" role="alert">
          The runs could not be read: {listError}
        </p>
      )}
      {runs.length === 0 && !listError ? (
        <p className="muted">No training runs yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>Stage</th>
              <th>Run</th>
              <th>Hardware</th>
              <th>Elapsed</th>
              <th>Cost so far</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <RunRow key={run.id} run={run} now={now} selected={run.id === selectedRunId} onSelect={() => void select(run.id)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RunRow({ run, now, selected, onSelect }: { run: TrainingRunView; now: number; selected: boolean; onSelect: () => void }) {
  const cost = costSoFarUsd(run, now);
  return (
    <tr className={selected ? 'is-selected' : undefined} data-testid="training-run">
      <td>
        <StageBadge stage={run.stage} />
      </td>
      <td>
        <button type="button" className="run-link" aria-current={selected ? 'true' : undefined} onClick={onSelect}>
          {run.kind.toUpperCase()} {run.baseModel}
        </button>
        <div className="muted small-print">
          {run.datasetRepo}@{run.datasetRevision.slice(0, 7)} → {run.outputRepo}
        </div>
      </td>
      <td>{run.flavor}</td>
      <td>{run.startedAt ? formatElapsed(elapsedMs(run, now)) : '–'}</td>
      <td>{cost === null ? '–' : formatUsd(cost)}</td>
    </tr>
  );
}
