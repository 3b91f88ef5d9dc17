import { useState, type FormEvent } from 'react';
import { CHAT_LIMITS } from '../../../src-shared/chat';
import type { FeedbackFields } from './feedback-store';

const MAX_COMMENT_CHARS = 4_000;

/** The comment and the corrected answer, edited together and saved with one click. */
export function FeedbackForm({
  initial,
  saving,
  onSave,
  onCancel,
}: {
  initial: Pick<FeedbackFields, 'comment' | 'correctedAnswer'>;
  saving: boolean;
  onSave: (change: Pick<FeedbackFields, 'comment' | 'correctedAnswer'>) => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState(initial.comment ?? '');
  const [corrected, setCorrected] = useState(initial.correctedAnswer ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ comment: comment.trim() || null, correctedAnswer: corrected.trim() || null });
  };
  return (
    <form className="feedback-form" onSubmit={submit}>
      <label>
        <span>Comment</span>
        <textarea value={comment} maxLength={MAX_COMMENT_CHARS} rows={2} onChange={(e) => setComment(e.target.value)} placeholder="What was good or wrong about this answer?" />
      </label>
      <label>
        <span>Corrected answer</span>
        <textarea
          value={corrected}
          maxLength={CHAT_LIMITS.maxMessageChars}
          rows={4}
          onChange={(e) => setCorrected(e.target.value)}
          placeholder="The answer the model should have given (optional)"
        />
      </label>
      <div className="feedback-form-actions">
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save feedback'}
        </button>
      </div>
    </form>
  );
}
