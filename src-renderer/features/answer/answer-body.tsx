import type { AnswerState } from './answer-state';
import { wasStopped } from './answer-state';
import { MarkdownView } from './markdown-view';
import { RouteNotices } from './route-notices';

/** The answer's text as it streams, then how it ended: stopped, failed (with the error's message), or done. */
export function AnswerBody({ answer }: { answer: AnswerState }) {
  const streaming = answer.status === 'waiting' || answer.status === 'streaming';
  return (
    <div className="answer-body" aria-busy={streaming}>
      <RouteNotices notices={answer.notices} />
      {answer.text ? <MarkdownView text={answer.text} /> : streaming && <p className="answer-waiting">Waiting for the first token…</p>}
      {answer.status === 'done' && !answer.text && !wasStopped(answer) && <p className="answer-empty">The model returned no text.</p>}
      {wasStopped(answer) && <p className="answer-stopped">Stopped.</p>}
      {answer.status === 'failed' && answer.error && answer.error.code !== 'aborted' && (
        <div className="answer-error" role="alert">
          <strong>Error</strong> <code>{answer.error.code}</code>: {answer.error.message}
        </div>
      )}
    </div>
  );
}
