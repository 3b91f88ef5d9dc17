import { useMemo, type RefObject } from 'react';
import { REVIEW_LABELS, type ReviewDetail, type ReviewLabelValue } from '../../../src-shared/review-contract';
import { useStores } from '../../app/stores-context';
import { answerDiff } from './answer-diff';
import { LABEL_TEXT } from './review-table';
import { useReview } from './use-review';

const LABEL_KEYS: Record<ReviewLabelValue, string> = { accepted: 'a', rejected: 'r', needs_fix: 'f' };

function ms(value: number | null): string {
  return value === null ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
}

/** The answer against the corrected answer, word by word; text only, so model output is never markup. */
function CorrectionDiff({ answer, corrected }: { answer: string; corrected: string }) {
  const runs = useMemo(() => answerDiff(answer, corrected), [answer, corrected]);
  return (
    <pre className="review-diff" data-testid="correction-diff" aria-label="Answer against corrected answer">
      {runs.map((run, i) =>
        run.kind === 'same' ? <span key={i}>{run.text}</span> : run.kind === 'added' ? <ins key={i}>{run.text}</ins> : <del key={i}>{run.text}</del>,
      )}
    </pre>
  );
}

function Conversation({ detail }: { detail: ReviewDetail }) {
  return (
    <ol className="review-conversation" aria-label="Conversation">
      {detail.messages.map((m) => (
        <li key={m.id} className={`review-message review-message-${m.role}${m.requestId === detail.request.id ? ' is-reviewed' : ''}`}>
          <span className="review-message-role">{m.role === 'assistant' ? 'Answer' : m.role === 'user' ? 'Prompt' : 'System'}</span>
          <div className="review-message-text">{m.content}</div>
        </li>
      ))}
    </ol>
  );
}

/** The focused answer: conversation, routing and attempts, metrics, all feedback, the label with its editor, history. */
export function ReviewDetailPane({ correctionRef }: { correctionRef: RefObject<HTMLTextAreaElement | null> }) {
  const { review } = useStores();
  const detail = useReview((s) => s.detail);
  const loading = useReview((s) => s.detailLoading);
  const draft = useReview((s) => s.draft);
  const total = useReview((s) => s.total);

  if (!detail) return <aside className="review-detail review-detail-empty">{loading ? 'Loading…' : total === 0 ? '' : 'Choose an answer to review.'}</aside>;
  const r = detail.request;
  const answer = [...detail.messages].reverse().find((m) => m.requestId === r.id && m.role === 'assistant')?.content ?? '';
  const current = detail.label;

  return (
    <aside className="review-detail" aria-label="Answer under review" data-request-id={r.id}>
      <section className="review-label-bar" aria-label="Label this answer">
        {REVIEW_LABELS.map((label) => (
          <button
            key={label}
            type="button"
            className={`button review-label-button review-label-${label}${current?.label === label ? ' is-chosen' : ''}`}
            aria-pressed={current?.label === label}
            onClick={() => void review.getState().labelFocused(label)}
          >
            {LABEL_TEXT[label]} <kbd>{LABEL_KEYS[label]}</kbd>
          </button>
        ))}
        <span className="muted review-current-label" data-testid="current-label">
          {current ? `${LABEL_TEXT[current.label]} · ${new Date(current.updatedAt).toLocaleString('en-GB')}` : 'Not labelled'}
        </span>
      </section>

      <section className="review-editor">
        <label className="field-label" htmlFor="review-correction">
          Corrected answer <kbd>e</kbd>
        </label>
        <textarea
          id="review-correction"
          ref={correctionRef}
          rows={4}
          value={draft.correctedAnswer}
          placeholder="Write the answer as it should have been"
          onChange={(e) => review.getState().setDraft({ correctedAnswer: e.target.value })}
        />
        {draft.correctedAnswer.trim() !== '' && <CorrectionDiff answer={answer} corrected={draft.correctedAnswer} />}
        <div className="review-editor-row">
          <input
            aria-label="Tags"
            placeholder="Tags, comma-separated"
            value={draft.tags.join(', ')}
            onChange={(e) => review.getState().setDraft({ tags: e.target.value.split(',').map((t) => t.trim()).filter((t, i, all) => t !== '' || i === all.length - 1) })}
            onBlur={(e) => review.getState().setDraft({ tags: e.target.value.split(',').map((t) => t.trim()).filter(Boolean) })}
          />
          <input aria-label="Note" placeholder="Note" value={draft.note} onChange={(e) => review.getState().setDraft({ note: e.target.value })} />
          <button type="button" className="button button-primary" onClick={() => void review.getState().saveDraft()}>
            Save {current ? '' : 'as needs fix'}
          </button>
        </div>
      </section>

      <section>
        <h3>Conversation</h3>
        <Conversation detail={detail} />
      </section>

      <section className="review-facts">
        <h3>Routing</h3>
        <p>
          {r.tier && <span className={`tier-tag tier-${r.tier}`}>{r.tier}</span>} {r.provider} · {r.modelId}
          {r.modelVersion ? `@${r.modelVersion}` : ''} {r.company ? `· ${r.company}` : ''} {r.cacheHit ? '· from the cache' : ''}
        </p>
        <p className="muted">{r.routingReason ?? 'No routing reason recorded.'}</p>
        {r.routeAttempts.length > 0 && (
          <ol className="review-attempts" aria-label="Attempts">
            {r.routeAttempts.map((a, i) => (
              <li key={i}>
                <strong>{a.target}</strong> — {a.outcome}, {a.reason}
                {a.tries > 1 ? ` (${a.tries} tries)` : ''}
              </li>
            ))}
          </ol>
        )}
        <h3>Metrics</h3>
        <dl className="review-metrics">
          <dt>First token</dt>
          <dd>{ms(r.ttftMs)}</dd>
          <dt>Latency</dt>
          <dd>{ms(r.latencyMs)}</dd>
          <dt>Tokens</dt>
          <dd>
            {r.tokensIn ?? '—'} in / {r.tokensOut ?? '—'} out
          </dd>
          <dt>Status</dt>
          <dd>
            {r.status}
            {r.finishReason ? ` (${r.finishReason})` : ''}
          </dd>
        </dl>
      </section>

      <section>
        <h3>Feedback ({detail.feedback.length})</h3>
        {detail.feedback.length === 0 ? (
          <p className="muted">No feedback on this answer.</p>
        ) : (
          <ul className="review-feedback">
            {detail.feedback.map((f) => (
              <li key={f.id}>
                {f.thumbs === 1 ? 'Thumbs up' : f.thumbs === -1 ? 'Thumbs down' : ''} {f.rating !== null ? `★ ${f.rating}` : ''} {f.comment && <q>{f.comment}</q>}
                {f.correctedAnswer && <CorrectionDiff answer={answer} corrected={f.correctedAnswer} />}
              </li>
            ))}
          </ul>
        )}
      </section>

      {detail.history.length > 0 && (
        <section>
          <h3>History</h3>
          <ol className="review-history" aria-label="Label history">
            {detail.history.map((h) => (
              <li key={h.id}>
                {LABEL_TEXT[h.label]} · {new Date(h.createdAt).toLocaleString('en-GB')}
                {h.tags.length > 0 ? ` · ${h.tags.join(', ')}` : ''}
                {h.note ? ` · ${h.note}` : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
    </aside>
  );
}
