import { useShallow } from 'zustand/react/shallow';
import { useCompare } from '../../app/store-hooks';
import { TIER_LABELS } from '../../common/tier-labels';
import { runSettled, type CompareRun, type CompareVerdict } from './compare-store';

/** What a vote says, in words. */
function describeVote(run: CompareRun): string {
  const vote = run.vote;
  if (!vote) return '';
  if (vote.verdict === 'tie') return 'Tie';
  if (vote.verdict === 'both_bad') return 'Both bad';
  const winner = run.columns.find((column) => column.answer.requestId === vote.winnerRequestId);
  return winner ? `${TIER_LABELS[winner.tier]} is better` : 'Winner';
}

/** The user's judgement of the comparison; offered once every column finished. */
export function VoteBar() {
  const { run, vote } = useCompare(useShallow((state) => ({ run: state.run, vote: state.vote })));
  if (!run) return null;
  const settled = runSettled(run);
  const chosen = (verdict: CompareVerdict, winner: string | null) => run.vote?.verdict === verdict && run.vote.winnerRequestId === winner;
  const busy = run.vote?.status === 'saving';

  return (
    <div className="vote-bar" data-testid="vote-bar">
      <span className="vote-question">{settled ? 'Which is better?' : 'Vote once every answer has finished'}</span>
      <div className="vote-options">
        {run.columns.map((column) => {
          const requestId = column.answer.requestId;
          const usable = settled && column.answer.status === 'done' && requestId !== null;
          return (
            <button
              key={column.tier}
              type="button"
              className={chosen('winner', requestId) ? 'button is-chosen' : 'button'}
              aria-pressed={chosen('winner', requestId)}
              disabled={!usable || busy}
              onClick={() => void vote('winner', requestId)}
            >
              {TIER_LABELS[column.tier]} is better
            </button>
          );
        })}
        <button type="button" className={chosen('tie', null) ? 'button is-chosen' : 'button'} aria-pressed={chosen('tie', null)} disabled={!settled || busy} onClick={() => void vote('tie', null)}>
          Tie
        </button>
        <button
          type="button"
          className={chosen('both_bad', null) ? 'button is-chosen' : 'button'}
          aria-pressed={chosen('both_bad', null)}
          disabled={!settled || busy}
          onClick={() => void vote('both_bad', null)}
        >
          {run.columns.length > 2 ? 'All bad' : 'Both bad'}
        </button>
      </div>
      <span className="vote-status" role="status" data-testid="vote-status">
        {run.vote?.status === 'saving' && 'Saving…'}
        {run.vote?.status === 'saved' && `Saved: ${describeVote(run)}`}
      </span>
      {run.vote?.status === 'failed' && (
        <p className="inline-error" role="alert">
          Vote not saved: {run.vote.error}
        </p>
      )}
    </div>
  );
}
