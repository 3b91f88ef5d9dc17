import { useEffect, useState, type RefObject } from 'react';
import { TIERS } from '../../../src-shared/domain';
import { REVIEW_LABELS, REVIEW_SORT_KEYS, type ReviewFilter, type ReviewSort } from '../../../src-shared/review-contract';
import { useReview } from './use-review';
import { useStores } from '../../app/stores-context';

const LABEL_NAMES: Record<string, string> = { unlabelled: 'Unlabelled', accepted: 'Accepted', rejected: 'Rejected', needs_fix: 'Needs fix' };
const SORT_NAMES: Record<ReviewSort['by'], string> = { date: 'Date', latency: 'Latency', rating: 'Rating', tier: 'Tier', label: 'Label' };

/** "" → absent, so an emptied field drops its filter. */
function optional<T extends string>(value: string): T | undefined {
  return value === '' ? undefined : (value as T);
}
function yesNo(value: string): boolean | undefined {
  return value === '' ? undefined : value === 'yes';
}
function dayStart(value: string): string | undefined {
  return value === '' ? undefined : new Date(`${value}T00:00:00`).toISOString();
}
function dayOf(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function withoutUndefined(filter: ReviewFilter): ReviewFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ReviewFilter;
}

/** The filters of the table (each one optional), the full-text search and the sort. */
export function ReviewFilterBar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const { review } = useStores();
  const filter = useReview((s) => s.filter);
  const sort = useReview((s) => s.sort);
  const [text, setText] = useState(filter.text ?? '');
  useEffect(() => setText(filter.text ?? ''), [filter.text]);

  const change = (patch: Partial<ReviewFilter>) => void review.getState().setFilter(withoutUndefined({ ...filter, ...patch }));
  const dayTo = filter.dateTo ? dayOf(new Date(Date.parse(filter.dateTo) - 1).toISOString()) : '';

  return (
    <div className="review-filters" role="search">
      <form
        className="review-search"
        onSubmit={(event) => {
          event.preventDefault();
          change({ text: text.trim() === '' ? undefined : text.trim() });
        }}
      >
        <input
          ref={searchRef}
          type="search"
          aria-label="Search prompts and answers"
          placeholder='Search prompts and answers ("a phrase", -word)'
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </form>
      <select aria-label="Tier" value={filter.tier ?? ''} onChange={(e) => change({ tier: optional(e.target.value) })}>
        <option value="">Any tier</option>
        {TIERS.map((tier) => (
          <option key={tier} value={tier}>
            {tier[0]!.toUpperCase() + tier.slice(1)}
          </option>
        ))}
      </select>
      <input aria-label="Company" placeholder="Company" className="review-short" defaultValue={filter.company ?? ''} key={`c${filter.company ?? ''}`}
        onBlur={(e) => e.target.value.trim() !== (filter.company ?? '') && change({ company: optional(e.target.value.trim()) })} />
      <input aria-label="Model version" placeholder="Model version" className="review-short" defaultValue={filter.modelVersion ?? ''} key={`m${filter.modelVersion ?? ''}`}
        onBlur={(e) => e.target.value.trim() !== (filter.modelVersion ?? '') && change({ modelVersion: optional(e.target.value.trim()) })} />
      <select aria-label="Thumbs" value={filter.thumbs ?? ''} onChange={(e) => change({ thumbs: optional(e.target.value) })}>
        <option value="">Any thumbs</option>
        <option value="up">Thumbs up</option>
        <option value="down">Thumbs down</option>
        <option value="none">No thumbs</option>
      </select>
      <select
        aria-label="Rating"
        value={filter.rating ? `${filter.rating.min ?? 1}-${filter.rating.max ?? 5}` : ''}
        onChange={(e) => {
          const [min, max] = e.target.value.split('-').map(Number);
          change({ rating: e.target.value === '' ? undefined : { min, max } });
        }}
      >
        <option value="">Any rating</option>
        <option value="1-2">1–2 stars</option>
        <option value="3-3">3 stars</option>
        <option value="4-5">4–5 stars</option>
      </select>
      <select aria-label="Comment" value={filter.hasComment === undefined ? '' : filter.hasComment ? 'yes' : 'no'} onChange={(e) => change({ hasComment: yesNo(e.target.value) })}>
        <option value="">Comment: any</option>
        <option value="yes">With comment</option>
        <option value="no">Without comment</option>
      </select>
      <select aria-label="Correction" value={filter.hasCorrection === undefined ? '' : filter.hasCorrection ? 'yes' : 'no'} onChange={(e) => change({ hasCorrection: yesNo(e.target.value) })}>
        <option value="">Correction: any</option>
        <option value="yes">With correction</option>
        <option value="no">Without correction</option>
      </select>
      <select aria-label="Label" value={filter.labels?.[0] ?? ''} onChange={(e) => change({ labels: e.target.value === '' ? undefined : [e.target.value as 'unlabelled'] })}>
        <option value="">Any label</option>
        {['unlabelled', ...REVIEW_LABELS].map((label) => (
          <option key={label} value={label}>
            {LABEL_NAMES[label]}
          </option>
        ))}
      </select>
      <label className="review-date">
        From <input type="date" aria-label="From" value={dayOf(filter.dateFrom)} onChange={(e) => change({ dateFrom: dayStart(e.target.value) })} />
      </label>
      <label className="review-date">
        To
        <input
          type="date"
          aria-label="To"
          value={dayTo}
          onChange={(e) => change({ dateTo: e.target.value === '' ? undefined : new Date(Date.parse(dayStart(e.target.value)!) + 86_400_000).toISOString() })}
        />
      </label>
      <span className="review-sort">
        <select aria-label="Sort by" value={sort.by} onChange={(e) => void review.getState().setSort({ ...sort, by: e.target.value as ReviewSort['by'] })}>
          {REVIEW_SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              Sort: {SORT_NAMES[key]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-small"
          aria-label={sort.direction === 'desc' ? 'Descending (switch to ascending)' : 'Ascending (switch to descending)'}
          onClick={() => void review.getState().setSort({ ...sort, direction: sort.direction === 'desc' ? 'asc' : 'desc' })}
        >
          {sort.direction === 'desc' ? '↓' : '↑'}
        </button>
      </span>
      {Object.keys(filter).length > 0 && (
        <button type="button" className="link-button" onClick={() => void review.getState().setFilter({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}
