import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useFeedback } from '../../app/store-hooks';
import { ThumbDownIcon, ThumbUpIcon } from '../../common/icons';
import { FeedbackForm } from './feedback-form';
import type { FeedbackFields } from './feedback-store';
import { StarRating } from './star-rating';
import './feedback.css';

/**
 * Feedback on one answer: thumbs and stars save at once; the comment and corrected answer open a small form.
 * What was saved before (also from a reopened transcript) is shown as the current state.
 */
export function FeedbackBar({ requestId }: { requestId: string }) {
  const { saved, saving, error, save } = useFeedback(
    useShallow((state) => ({ saved: state.byRequest[requestId], saving: state.saving[requestId] ?? false, error: state.errors[requestId], save: state.save })),
  );
  const [editing, setEditing] = useState(false);
  const thumbs = saved?.thumbs ?? null;
  const change = (fields: Partial<FeedbackFields>) => save(requestId, fields);
  const hasText = !!(saved?.comment || saved?.correctedAnswer);

  return (
    <div className="feedback" data-testid="feedback">
      <div className="feedback-bar">
        <button
          type="button"
          className={thumbs === 1 ? 'icon-button feedback-thumb is-on' : 'icon-button feedback-thumb'}
          aria-label="Thumbs up"
          aria-pressed={thumbs === 1}
          disabled={saving}
          onClick={() => void change({ thumbs: thumbs === 1 ? null : 1 })}
        >
          <ThumbUpIcon />
        </button>
        <button
          type="button"
          className={thumbs === -1 ? 'icon-button feedback-thumb is-on is-down' : 'icon-button feedback-thumb'}
          aria-label="Thumbs down"
          aria-pressed={thumbs === -1}
          disabled={saving}
          onClick={() => void change({ thumbs: thumbs === -1 ? null : -1 })}
        >
          <ThumbDownIcon />
        </button>
        <StarRating value={saved?.rating ?? null} disabled={saving} onChange={(rating) => void change({ rating })} />
        <button type="button" className="link-button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {hasText ? 'Edit comment / correction' : 'Add comment / correction'}
        </button>
        <span className="feedback-status" role="status">
          {saving ? 'Saving…' : error ? '' : saved ? 'Feedback saved' : ''}
        </span>
      </div>
      {error && (
        <p className="feedback-error" role="alert">
          Feedback not saved: {error}
        </p>
      )}
      {!editing && hasText && (
        <div className="feedback-saved-text">
          {saved?.comment && (
            <p>
              <span>Comment:</span> {saved.comment}
            </p>
          )}
          {saved?.correctedAnswer && (
            <p>
              <span>Corrected answer:</span> {saved.correctedAnswer}
            </p>
          )}
        </div>
      )}
      {editing && (
        <FeedbackForm
          initial={{ comment: saved?.comment ?? null, correctedAnswer: saved?.correctedAnswer ?? null }}
          saving={saving}
          onCancel={() => setEditing(false)}
          onSave={(fields) => void change(fields).then((ok) => ok && setEditing(false))}
        />
      )}
    </div>
  );
}
