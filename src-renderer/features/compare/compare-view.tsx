import { useCompare } from '../../app/store-hooks';
import { SignedOutNotice } from '../team/signed-out-notice';
import { CompareColumn } from './compare-column';
import { CompareForm } from './compare-form';
import { VoteBar } from './vote-bar';
import '../../common/page.css';
import './compare.css';

/** Compare: one prompt, two or three tiers answering side by side, and a vote on the better answer. */
export function CompareView() {
  const run = useCompare((state) => state.run);
  const winner = run?.vote?.status === 'saved' && run.vote.verdict === 'winner' ? run.vote.winnerRequestId : null;
  return (
    <div className="page-view compare-view" data-testid="compare-view">
      <SignedOutNotice work="comparisons and votes" />
      <CompareForm />
      {run ? (
        <>
          <p className="compare-prompt">
            <span>Prompt</span> {run.prompt}
          </p>
          <div className="compare-columns" style={{ gridTemplateColumns: `repeat(${run.columns.length}, minmax(0, 1fr))` }}>
            {run.columns.map((column) => (
              <CompareColumn key={column.tier} column={column} isWinner={winner !== null && column.answer.requestId === winner} />
            ))}
          </div>
          <VoteBar />
        </>
      ) : (
        <div className="compare-empty">
          <p>Send one prompt to several tiers to see how Base, Company and Abstraction differ, then vote for the better answer.</p>
        </div>
      )}
    </div>
  );
}
