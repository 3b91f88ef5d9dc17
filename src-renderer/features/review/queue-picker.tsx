import { useState } from 'react';
import { useStores } from '../../app/stores-context';
import { useReview } from './use-review';

/** Saved filters: pick one to work through it, with its progress; save the current filter as a new one. */
export function QueuePicker() {
  const { review } = useStores();
  const queues = useReview((s) => s.queues);
  const activeId = useReview((s) => s.activeQueueId);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const active = queues.find((q) => q.id === activeId);
  const share = active && active.progress.total > 0 ? active.progress.done / active.progress.total : 0;

  return (
    <div className="review-queues">
      <select aria-label="Queue" value={activeId ?? ''} onChange={(e) => void review.getState().applyQueue(e.target.value === '' ? null : e.target.value)}>
        <option value="">No queue</option>
        {queues.map((q) => (
          <option key={q.id} value={q.id}>
            {q.name} ({q.progress.left} left)
          </option>
        ))}
      </select>
      {active && (
        <>
          <div
            className="review-progress"
            role="progressbar"
            aria-label={`Queue ${active.name}`}
            aria-valuemin={0}
            aria-valuemax={active.progress.total}
            aria-valuenow={active.progress.done}
            aria-valuetext={`${active.progress.done} done, ${active.progress.left} left`}
          >
            <div className="review-progress-done" style={{ width: `${Math.round(share * 100)}%` }} />
          </div>
          <span className="review-progress-text" data-testid="queue-progress">
            {active.progress.done} done · {active.progress.left} left
          </span>
          <button type="button" className="link-button" onClick={() => void review.getState().deleteQueue(active.id)}>
            Delete queue
          </button>
        </>
      )}
      {naming ? (
        <form
          className="review-queue-form"
          onSubmit={(event) => {
            event.preventDefault();
            void review.getState().saveQueue(name).then((saved) => {
              if (saved) {
                setNaming(false);
                setName('');
              }
            });
          }}
        >
          <input autoFocus aria-label="Queue name" placeholder="Queue name" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button button-small button-primary" disabled={name.trim() === ''}>
            Save
          </button>
          <button type="button" className="button button-small button-quiet" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="button button-small" onClick={() => setNaming(true)}>
          Save filter as queue
        </button>
      )}
    </div>
  );
}
