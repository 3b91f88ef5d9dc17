import { memo } from 'react';
import { TIER_LABELS } from '../../common/tier-labels';
import { AnswerBody } from '../answer/answer-body';
import { AnswerMetadataLine } from '../answer/answer-metadata';
import { FeedbackBar } from '../feedback/feedback-bar';
import type { CompareColumn as Column } from './compare-store';

const STATUS_LABELS = { waiting: 'Waiting', streaming: 'Streaming', done: 'Done', failed: 'Failed' } as const;

/** One tier's answer in a comparison, with why it was routed so, its metrics and feedback. */
export const CompareColumn = memo(function CompareColumn({ column, isWinner }: { column: Column; isWinner: boolean }) {
  const { answer } = column;
  return (
    <section className={isWinner ? 'compare-column is-winner' : 'compare-column'} data-testid={`compare-column-${column.tier}`} data-status={answer.status} data-request-id={answer.requestId ?? undefined}>
      <header className="compare-column-header">
        <h3 className={`tier-tag tier-${column.tier}`}>{TIER_LABELS[column.tier]}</h3>
        <span className={`status-pill is-${answer.status}`}>{STATUS_LABELS[answer.status]}</span>
      </header>
      {answer.routing?.routingReason && (
        <p className="routing-reason compare-column-reason" data-testid="routing-reason">
          {answer.routing.routingReason}
        </p>
      )}
      <div className="compare-column-body">
        <AnswerBody answer={answer} />
      </div>
      <AnswerMetadataLine answer={answer} />
      {answer.status === 'done' && answer.requestId && <FeedbackBar requestId={answer.requestId} />}
    </section>
  );
});
