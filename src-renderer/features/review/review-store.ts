import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ReviewDetail,
  ReviewFilter,
  ReviewLabelValue,
  ReviewLabelView,
  ReviewQueue,
  ReviewRow,
  ReviewSort,
} from '../../../src-shared/review-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** Rows fetched per call; the table asks for the pages it is about to show. */
export const REVIEW_PAGE_SIZE = 100;

/** The correction, tags and note of the focused answer as the reviewer is editing them. */
export interface LabelDetails {
  correctedAnswer: string;
  tags: string[];
  note: string;
}

/** The Review page's slice: the table (sparse, by row index), the focused row and its detail, the selection, queues. */
export interface ReviewState {
  filter: ReviewFilter;
  sort: ReviewSort;
  /** Rows loaded so far, by index in the sorted result. */
  rows: Record<number, ReviewRow>;
  /** Rows the filter matches; null before the first page arrived. */
  total: number | null;
  loading: boolean;
  /** The index of the focused row. */
  cursor: number;
  /** Selected request ids (multi-select for bulk labelling). */
  selected: Record<string, true>;
  detail: ReviewDetail | null;
  detailLoading: boolean;
  /** The focused answer's correction, tags and note as being edited; labelling saves them. */
  draft: LabelDetails;
  queues: ReviewQueue[];
  activeQueueId: string | null;
  /** What the last action did, for the status line ("Labelled 120 answers rejected"). */
  notice: string | null;
  error: string | null;

  /** Loads the first page of the current filter and sort (and the queues). */
  load(): Promise<void>;
  /** Makes sure rows `start`…`end` are loaded (the table calls this as it scrolls). */
  ensureRows(start: number, end: number): Promise<void>;
  setFilter(filter: ReviewFilter): Promise<void>;
  setSort(sort: ReviewSort): Promise<void>;
  /** Focuses a row and loads its detail. */
  focus(index: number): Promise<void>;
  /** Moves the focus by `delta` rows (j/k, arrows). */
  move(delta: number): Promise<void>;
  setDraft(change: Partial<LabelDetails>): void;
  toggleSelected(id: string): void;
  clearSelection(): void;
  /** Labels the focused answer with the draft's correction, tags and note, then moves to the next one. */
  labelFocused(label: ReviewLabelValue): Promise<boolean>;
  /** Saves the draft under the focused answer's label (needs fix when it has none), staying on it. */
  saveDraft(): Promise<boolean>;
  /** Labels the selected rows, or every row of the filter. */
  bulkLabel(target: 'selection' | 'filter', label: ReviewLabelValue): Promise<number | null>;
  loadQueues(): Promise<void>;
  applyQueue(id: string | null): Promise<void>;
  saveQueue(name: string): Promise<boolean>;
  deleteQueue(id: string): Promise<void>;
}

export type ReviewStore = StoreApi<ReviewState>;

const LABEL_WORDS: Record<ReviewLabelValue, string> = { accepted: 'accepted', rejected: 'rejected', needs_fix: 'needs fix' };

/** The row as its new current label shows it. */
function withLabel(row: ReviewRow, label: ReviewLabelView): ReviewRow {
  return { ...row, label: label.label, tags: label.tags, labelCorrected: (label.correctedAnswer ?? '').trim() !== '', labelledAt: label.updatedAt };
}

function draftOf(label: ReviewLabelView | null, tags: string[] = []): LabelDetails {
  return { correctedAnswer: label?.correctedAnswer ?? '', tags: label?.tags ?? tags, note: label?.note ?? '' };
}

export function createReviewStore(client: TriadClient): ReviewStore {
  /** Pages asked for and not answered yet, by page number; a new filter forgets them. */
  let pending = new Map<number, Promise<void>>();
  /** Bumped on every new filter or sort: answers to an older query are dropped. */
  let generation = 0;
  let detailRequest = 0;

  const store = createStore<ReviewState>()((set, get) => {
    async function fetchPage(page: number): Promise<void> {
      const asked = generation;
      const { filter, sort } = get();
      try {
        const result = await client.call('review.list', { filter, sort, offset: page * REVIEW_PAGE_SIZE, limit: REVIEW_PAGE_SIZE });
        if (asked !== generation) return;
        const rows = { ...get().rows };
        result.rows.forEach((row, i) => (rows[page * REVIEW_PAGE_SIZE + i] = row));
        set({ rows, total: result.total ?? get().total, error: null });
      } catch (error) {
        if (asked === generation) set({ error: toShownError(error).message });
      } finally {
        if (asked === generation) pending.delete(page);
      }
    }

    async function reload(): Promise<void> {
      generation += 1;
      pending = new Map();
      set({ rows: {}, total: null, loading: true, cursor: 0, selected: {}, detail: null });
      await get().ensureRows(0, 0);
      set({ loading: false });
      if (get().rows[0]) await get().focus(0);
    }

    async function loadDetail(index: number): Promise<void> {
      const row = get().rows[index];
      if (!row) return;
      const asked = ++detailRequest;
      set({ detailLoading: true });
      try {
        const detail = await client.call('review.detail', { requestId: row.id });
        if (asked === detailRequest) set({ detail, detailLoading: false, draft: draftOf(detail.label) });
      } catch (error) {
        if (asked === detailRequest) set({ detail: null, detailLoading: false, error: toShownError(error).message });
      }
    }

    /** The focused row's label, in the table and the detail; the queues' progress changes with it. */
    function applyLabel(label: ReviewLabelView): void {
      const rows = { ...get().rows };
      for (const [index, row] of Object.entries(rows)) if (row.id === label.requestId) rows[Number(index)] = withLabel(row, label);
      const detail = get().detail;
      set({ rows, detail: detail && detail.request.id === label.requestId ? { ...detail, label } : detail });
    }

    async function writeLabel(label: ReviewLabelValue, advance: boolean): Promise<boolean> {
      const { cursor, rows, detail } = get();
      const row = rows[cursor];
      if (!row) return false;
      // The draft belongs to the detail on screen; before it arrived, the row keeps what its label had.
      const fields = detail?.request.id === row.id ? get().draft : draftOf(null, row.tags);
      const keep = detail?.request.id !== row.id;
      if (keep) {
        try {
          const { labelled } = await client.call('review.bulkLabel', { target: { ids: [row.id] }, label });
          if (labelled > 0) await loadDetail(cursor);
          return labelled > 0;
        } catch (error) {
          set({ error: toShownError(error).message });
          return false;
        }
      }
      try {
        const saved = await client.call('review.label', {
          requestId: row.id,
          label,
          correctedAnswer: fields.correctedAnswer.trim() === '' ? null : fields.correctedAnswer,
          tags: fields.tags,
          note: fields.note.trim() === '' ? null : fields.note,
        });
        applyLabel(saved);
        set({ notice: `Labelled ${LABEL_WORDS[saved.label]}`, error: null });
        // The history gained a row: read it again unless we move on.
        if (advance && get().total !== null && cursor + 1 < get().total!) await get().move(1);
        else await loadDetail(cursor);
        void get().loadQueues();
        return true;
      } catch (error) {
        set({ error: toShownError(error).message });
        return false;
      }
    }

    return {
      filter: {},
      sort: { by: 'date', direction: 'desc' },
      rows: {},
      total: null,
      loading: false,
      cursor: 0,
      selected: {},
      detail: null,
      detailLoading: false,
      draft: draftOf(null),
      queues: [],
      activeQueueId: null,
      notice: null,
      error: null,

      load: async () => {
        await Promise.all([reload(), get().loadQueues()]);
      },
      ensureRows: async (start, end) => {
        const first = Math.floor(Math.max(0, start) / REVIEW_PAGE_SIZE);
        const last = Math.floor(Math.max(0, end) / REVIEW_PAGE_SIZE);
        const waits: Promise<void>[] = [];
        for (let page = first; page <= last; page++) {
          const total = get().total;
          if (total !== null && page * REVIEW_PAGE_SIZE >= total) break;
          if (get().rows[page * REVIEW_PAGE_SIZE] && get().rows[Math.min((page + 1) * REVIEW_PAGE_SIZE, total ?? Infinity) - 1]) continue;
          let wait = pending.get(page);
          if (!wait) {
            wait = fetchPage(page);
            pending.set(page, wait);
          }
          waits.push(wait);
        }
        await Promise.all(waits);
      },
      setFilter: async (filter) => {
        set({ filter, activeQueueId: null, notice: null });
        await reload();
      },
      setSort: async (sort) => {
        set({ sort });
        await reload();
      },
      focus: async (index) => {
        const total = get().total ?? 0;
        if (total === 0) return;
        const clamped = Math.max(0, Math.min(index, total - 1));
        set({ cursor: clamped });
        await get().ensureRows(clamped, clamped);
        await loadDetail(clamped);
      },
      move: (delta) => get().focus(get().cursor + delta),
      setDraft: (change) => set((state) => ({ draft: { ...state.draft, ...change } })),
      toggleSelected: (id) =>
        set((state) => {
          const selected = { ...state.selected };
          if (selected[id]) delete selected[id];
          else selected[id] = true;
          return { selected };
        }),
      clearSelection: () => set({ selected: {} }),
      labelFocused: (label) => writeLabel(label, true),
      saveDraft: () => writeLabel(get().detail?.label?.label ?? 'needs_fix', false),
      bulkLabel: async (target, label) => {
        const ids = Object.keys(get().selected);
        if (target === 'selection' && ids.length === 0) return null;
        try {
          const { labelled } = await client.call('review.bulkLabel', { target: target === 'selection' ? { ids } : { filter: get().filter }, label });
          set({ notice: `Labelled ${labelled.toLocaleString('en')} answer${labelled === 1 ? '' : 's'} ${LABEL_WORDS[label]}`, error: null });
          const { cursor } = get();
          // Reload in place: the rows keep their order unless the filter is on labels.
          generation += 1;
          pending = new Map();
          set({ rows: {}, selected: {} });
          await get().ensureRows(0, Math.max(cursor, REVIEW_PAGE_SIZE - 1));
          await loadDetail(Math.min(cursor, Math.max(0, (get().total ?? 1) - 1)));
          void get().loadQueues();
          return labelled;
        } catch (error) {
          set({ error: toShownError(error).message });
          return null;
        }
      },
      loadQueues: async () => {
        try {
          set({ queues: await client.call('review.queues.list', {}) });
        } catch (error) {
          set({ error: toShownError(error).message });
        }
      },
      applyQueue: async (id) => {
        const queue = get().queues.find((q) => q.id === id);
        set({ activeQueueId: queue ? queue.id : null, filter: queue ? queue.filter : get().filter, notice: null });
        await reload();
      },
      saveQueue: async (name) => {
        try {
          const queue = await client.call('review.queues.save', { name, filter: get().filter });
          set((state) => ({ queues: [...state.queues.filter((q) => q.id !== queue.id), queue], activeQueueId: queue.id, notice: `Saved queue '${queue.name}'`, error: null }));
          return true;
        } catch (error) {
          set({ error: toShownError(error).message });
          return false;
        }
      },
      deleteQueue: async (id) => {
        try {
          await client.call('review.queues.delete', { id });
          set((state) => ({ queues: state.queues.filter((q) => q.id !== id), activeQueueId: state.activeQueueId === id ? null : state.activeQueueId }));
        } catch (error) {
          set({ error: toShownError(error).message });
        }
      },
    };
  });
  return store;
}
