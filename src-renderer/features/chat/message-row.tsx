import { memo } from 'react';
import { AnswerBody } from '../answer/answer-body';
import { AnswerMetadataLine } from '../answer/answer-metadata';
import { RoutingNote } from '../answer/routing-note';
import { FeedbackBar } from '../feedback/feedback-bar';
import type { ChatItem } from './chat-items';

/** One row of the conversation: the user's prompt, or an answer with its routing, metadata and feedback. */
export const MessageRow = memo(function MessageRow({ item }: { item: ChatItem }) {
  if (item.kind === 'prompt') {
    return (
      <article className="message message-prompt" data-testid="prompt">
        <div className="message-author">You</div>
        <div className="message-prompt-text">{item.text}</div>
      </article>
    );
  }
  const { answer } = item;
  return (
    <article className={`message message-answer is-${answer.status}`} data-testid="answer" data-status={answer.status} data-request-id={answer.requestId ?? undefined}>
      <RoutingNote routing={answer.routing} picked={item.picked} status={answer.status} />
      <AnswerBody answer={answer} />
      <AnswerMetadataLine answer={answer} />
      {answer.status === 'done' && answer.requestId && <FeedbackBar requestId={answer.requestId} />}
    </article>
  );
});
