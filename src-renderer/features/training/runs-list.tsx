import { useShallow } from 'zustand/react/shallow';
import type { TrainingRunView } from '../../../src-shared/training-contract';
import { RunLink, RunsCard } from '../../common/runs-card';
import { StatusBadge } from '../../common/status-badge';
import { formatElapsed, formatUsd, STAGE_LABELS } from './training-format';
import { costSoFarUsd, elapsedMs } from './training-store';
import { useTraining } from './use-training';

/** Every recorded run, newest first: stage, what it trains, elapsed time and cost so far. Click to open. */
export function RunsList({ now }: { now: number }) {
  const { runs, selectedRunId, listError, select } = useTraining(useShallow((s) => ({ runs: s.runs, selectedRunId: s.selectedRunId, listError: s.listError, select: s.select })));
  return (
    <RunsCard
      label="Training runs"
      headings={['Stage', 'Run', 'Hardware', 'Elapsed', 'Cost so far']}
      emptyText="No training runs yet."
      error={listError}
      errorText="The runs could not be read"
      runs={runs}
      row={(run) => <RunRow key={run.id} run={run} now={now} selected={run.id === selectedRunId} onSelect={() => void select(run.id)} />}
    />
  );
}

function RunRow({ run, now, selected, onSelect }: { run: TrainingRunView; now: number; selected: boolean; onSelect: () => void }) {
  const cost = costSoFarUsd(run, now);
  return (
    <tr className={selected ? 'is-selected' : undefined} data-testid="training-run">
      <td>
        <StatusBadge {...STAGE_LABELS[run.stage]} testId="stage-badge" />
      </td>
      <td>
        <RunLink
          selected={selected}
          onSelect={onSelect}
          title={`${run.kind.toUpperCase()} ${run.baseModel}`}
          detail={`${run.datasetRepo}@${run.datasetRevision.slice(0, 7)} → ${run.outputRepo}`}
        />
      </td>
      <td>{run.flavor}</td>
      <td>{run.startedAt ? formatElapsed(elapsedMs(run, now)) : '–'}</td>
      <td>{cost === null ? '–' : formatUsd(cost)}</td>
    </tr>
  );
}
