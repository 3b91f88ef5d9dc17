import { useShallow } from 'zustand/react/shallow';
import type { EvaluationRunView } from '../../../src-shared/evaluation-contract';
import { TIER_LABELS } from '../../common/tier-labels';
import { RunLink, RunsCard } from '../../common/runs-card';
import { StatusBadge } from '../../common/status-badge';
import { formatWinRate, shortVersion, STATUS_LABELS } from './evaluation-format';
import { useEvaluation } from './use-evaluation';

/** Every evaluation run, newest first: status, candidate against serving, counts, win rate. Click to open. */
export function RunsList() {
  const { runs, selectedRunId, listError, select } = useEvaluation(useShallow((s) => ({ runs: s.runs, selectedRunId: s.selectedRunId, listError: s.listError, select: s.select })));
  return (
    <RunsCard
      label="Evaluation runs"
      headings={['Status', 'Candidate vs serving', 'Answered', 'Judged', 'Win rate (95% interval)']}
      emptyText="No evaluations yet."
      error={listError}
      errorText="The evaluation runs could not be read"
      runs={runs}
      row={(run) => <RunRow key={run.id} run={run} selected={run.id === selectedRunId} onSelect={() => void select(run.id)} />}
    />
  );
}

function RunRow({ run, selected, onSelect }: { run: EvaluationRunView; selected: boolean; onSelect: () => void }) {
  return (
    <tr className={selected ? 'is-selected' : undefined} data-testid="evaluation-run">
      <td>
        <StatusBadge {...STATUS_LABELS[run.status]} testId="evaluation-status" />
      </td>
      <td>
        <RunLink
          selected={selected}
          onSelect={onSelect}
          title={shortVersion(run.candidateVersion)}
          detail={`vs ${shortVersion(run.servingVersion)} · ${TIER_LABELS[run.tier]} · ${run.candidateSource === 'local' ? 'local GGUF' : 'staging Space'}`}
        />
      </td>
      <td>
        {run.answered} of {run.itemCount}
      </td>
      <td>{run.judged}</td>
      <td data-testid="run-win-rate">{run.report ? formatWinRate(run.report.overall.winRate, run.report.overall.interval) : '–'}</td>
    </tr>
  );
}
