import { useEffect, useRef, useState } from 'react';
import { REVIEW_LABELS, type ReviewLabelValue } from '../../../src-shared/review-contract';
import { useStores } from '../../app/stores-context';
import { QueuePicker } from './queue-picker';
import { ReviewDetailPane } from './review-detail';
import { ReviewFilterBar } from './review-filter-bar';
import { REVIEW_KEYS, reviewKeyAction } from './review-keys';
import { LABEL_TEXT, ReviewTable } from './review-table';
import { useReview } from './use-review';
import './review.css';

function isField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function Cheatsheet({ onClose }: { onClose(): void }) {
  return (
    <div className="review-cheatsheet" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="review-cheatsheet-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard</h2>
        <dl>
          {REVIEW_KEYS.map(({ keys, does }) => (
            <div key={does}>
              <dt>
                {keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </dt>
              <dd>{does}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** Labels for the selection, or for every row of the filter after a confirming second click. */
function BulkBar() {
  const { review } = useStores();
  const selected = useReview((s) => Object.keys(s.selected).length);
  const total = useReview((s) => s.total);
  const [label, setLabel] = useState<ReviewLabelValue>('accepted');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setConfirming(false), [total]);

  const run = async (target: 'selection' | 'filter') => {
    setBusy(true);
    await review.getState().bulkLabel(target, label);
    setBusy(false);
    setConfirming(false);
  };

  return (
    <div className="review-bulk">
      <select aria-label="Bulk label" value={label} onChange={(e) => setLabel(e.target.value as ReviewLabelValue)}>
        {REVIEW_LABELS.map((l) => (
          <option key={l} value={l}>
            {LABEL_TEXT[l]}
          </option>
        ))}
      </select>
      {selected > 0 && (
        <>
          <button type="button" className="button button-small" disabled={busy} onClick={() => void run('selection')}>
            Label {selected} selected
          </button>
          <button type="button" className="link-button" onClick={() => review.getState().clearSelection()}>
            Clear selection
          </button>
        </>
      )}
      {total !== null && total > 0 && (
        <button
          type="button"
          className={`button button-small${confirming ? ' button-danger' : ''}`}
          disabled={busy}
          onClick={() => (confirming ? void run('filter') : setConfirming(true))}
        >
          {busy ? 'Labelling…' : confirming ? `Confirm: label all ${total.toLocaleString('en')} as ${LABEL_TEXT[label]}` : `Label all ${total.toLocaleString('en')} rows of this filter`}
        </button>
      )}
    </div>
  );
}

/** The Review page: filters and queues on top, the table of logged answers, the focused answer's detail. Keyboard-first. */
export function ReviewView() {
  const { review } = useStores();
  const total = useReview((s) => s.total);
  const loading = useReview((s) => s.loading);
  const notice = useReview((s) => s.notice);
  const error = useReview((s) => s.error);
  const [cheatsheet, setCheatsheet] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const correctionRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void review.getState().load();
  }, [review]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = reviewKeyAction(event, isField(event.target));
      if (!action) return;
      const state = review.getState();
      switch (action.kind) {
        case 'move':
          void state.move(action.delta);
          break;
        case 'label':
          void state.labelFocused(action.label);
          break;
        case 'edit-correction':
          correctionRef.current?.focus();
          break;
        case 'toggle-selected': {
          const row = state.rows[state.cursor];
          if (row) state.toggleSelected(row.id);
          break;
        }
        case 'search':
          searchRef.current?.focus();
          break;
        case 'cheatsheet':
          setCheatsheet((open) => !open);
          break;
        case 'close':
          setCheatsheet(false);
          if (isField(event.target)) (event.target as HTMLElement).blur();
          break;
      }
      if (action.kind !== 'close') event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [review]);

  return (
    <section className="review-view" aria-label="Review">
      <header className="review-top">
        <ReviewFilterBar searchRef={searchRef} />
        <div className="review-toolbar">
          <QueuePicker />
          <BulkBar />
          <span className="review-count" data-testid="review-count" aria-live="polite">
            {loading && total === null ? 'Loading…' : `${(total ?? 0).toLocaleString('en')} answers`}
          </span>
          <button type="button" className="button button-small button-quiet" onClick={() => setCheatsheet(true)} aria-label="Keyboard shortcuts">
            ?
          </button>
        </div>
        {(error || notice) && (
          <p className={error ? 'inline-error' : 'review-notice'} role={error ? 'alert' : 'status'}>
            {error ?? notice}
          </p>
        )}
      </header>
      <div className="review-body">
        <ReviewTable />
        <ReviewDetailPane correctionRef={correctionRef} />
      </div>
      {cheatsheet && <Cheatsheet onClose={() => setCheatsheet(false)} />}
    </section>
  );
}
