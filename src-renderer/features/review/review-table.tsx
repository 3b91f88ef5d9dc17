import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { ReviewRow } from '../../../src-shared/review-contract';
import { useStores } from '../../app/stores-context';
import { useReview } from './use-review';

const ROW_HEIGHT = 52;
export const LABEL_TEXT: Record<string, string> = { accepted: 'Accepted', rejected: 'Rejected', needs_fix: 'Needs fix' };

function when(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function FeedbackCell({ row }: { row: ReviewRow }) {
  // Symbols every font has (no emoji), each explained by the cell's title.
  const parts: Array<[string, string]> = [];
  if (row.thumbsUp > 0) parts.push([`▲ ${row.thumbsUp}`, `${row.thumbsUp} thumbs up`]);
  if (row.thumbsDown > 0) parts.push([`▼ ${row.thumbsDown}`, `${row.thumbsDown} thumbs down`]);
  if (row.rating !== null) parts.push([`★ ${row.rating}`, `${row.rating} stars on average`]);
  if (row.comments > 0) parts.push([`“” ${row.comments}`, `${row.comments} with a comment`]);
  if (row.corrections > 0) parts.push([`fix ${row.corrections}`, `${row.corrections} with a corrected answer`]);
  return (
    <span className="review-cell review-cell-feedback" title={parts.map(([, says]) => says).join(', ')}>
      {parts.length > 0 ? parts.map(([shown]) => shown).join('  ') : '—'}
    </span>
  );
}

/**
 * The logged answers, virtualised: only the rows in view are in the DOM, and the pages about to be shown are
 * fetched as the table scrolls. The focused row follows the keyboard.
 */
export function ReviewTable() {
  const { review } = useStores();
  const rows = useReview((s) => s.rows);
  const total = useReview((s) => s.total);
  const cursor = useReview((s) => s.cursor);
  const selected = useReview((s) => s.selected);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (total) void review.getState().ensureRows(first, last);
  }, [review, first, last, total]);

  useEffect(() => {
    if (total) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, total, virtualizer]);

  return (
    <div className="review-table" role="grid" aria-label="Logged answers" aria-rowcount={total ?? 0}>
      <div className="review-row review-header" role="row">
        <span role="columnheader" />
        <span role="columnheader">Date</span>
        <span role="columnheader">Tier · model</span>
        <span role="columnheader">Company</span>
        <span role="columnheader">Prompt / answer</span>
        <span role="columnheader">Feedback</span>
        <span role="columnheader">Label</span>
      </div>
      <div ref={scrollRef} className="review-table-body" data-testid="review-table">
        {total === 0 && <p className="review-empty">No logged answers match this filter.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            const focused = item.index === cursor;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={focused}
                data-request-id={row?.id}
                className={`review-row${focused ? ' is-focused' : ''}${row && selected[row.id] ? ' is-selected' : ''}`}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => void review.getState().focus(item.index)}
              >
                {row ? (
                  <>
                    <span className="review-cell" onClick={(e) => e.stopPropagation()}>
                      <input type="checkbox" aria-label="Select answer" checked={Boolean(selected[row.id])} onChange={() => review.getState().toggleSelected(row.id)} />
                    </span>
                    <span className="review-cell muted">{when(row.createdAt)}</span>
                    <span className="review-cell review-texts" title={`${row.modelId ?? ''}@${row.modelVersion ?? ''}`}>
                      <span>{row.tier && <span className={`tier-tag tier-${row.tier}`}>{row.tier}</span>}</span>
                      <span className="review-ellipsis muted review-model">
                        {row.modelId ?? '—'}
                        {row.modelVersion && `@${row.modelVersion}`}
                      </span>
                    </span>
                    <span className="review-cell review-ellipsis">{row.company ?? '—'}</span>
                    <span className="review-cell review-texts">
                      <span className="review-ellipsis review-prompt">{row.prompt ?? '(no prompt)'}</span>
                      <span className="review-ellipsis muted">{row.answer ?? ''}</span>
                    </span>
                    <FeedbackCell row={row} />
                    <span className="review-cell" data-testid="row-label">
                      {row.label ? <span className={`review-label review-label-${row.label}`}>{LABEL_TEXT[row.label]}</span> : <span className="muted">—</span>}
                    </span>
                  </>
                ) : (
                  <span className="review-cell muted review-loading-row">Loading…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
