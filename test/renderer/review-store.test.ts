import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReviewDetail, ReviewFilter, ReviewLabelView, ReviewRow } from '../../src-shared/review-contract';
import { answerDiff } from '../../src-renderer/features/review/answer-diff';
import { reviewKeyAction } from '../../src-renderer/features/review/review-keys';
import { createReviewStore, REVIEW_PAGE_SIZE } from '../../src-renderer/features/review/review-store';
import { FakeTriadClient } from './support/fake-triad-client';

const rowsOf = (count: number): ReviewRow[] =>
  Array.from({ length: count }, (_, i) => ({
    id: randomUUID(), createdAt: new Date(Date.UTC(2031, 0, 1, 0, i)).toISOString(), tier: 'base', provider: 'local', modelId: 'm', modelVersion: '1',
    company: null, prompt: `prompt ${i}`, answer: `answer ${i}`, thumbsUp: 0, thumbsDown: 0, rating: null, comments: 0, corrections: 0, label: null, tags: [],
    labelCorrected: false, labelledAt: null,
  }));

function detailOf(row: ReviewRow, label: ReviewLabelView | null = null): ReviewDetail {
  return {
    request: {
      id: row.id, conversationId: null, userId: null, company: null, tier: 'base', provider: 'local', modelId: 'm', modelVersion: '1', routingReason: null,
      status: 'ok', errorMessage: null, finishReason: 'stop', ttftMs: 1, latencyMs: 2, tokensIn: 1, tokensOut: 1, createdAt: row.createdAt, routeAttempts: [], cacheHit: false,
    },
    messages: [],
    feedback: [],
    label,
    history: [],
  };
}

/** A fake main process over `all` rows: pages, details and labels as the real channels answer them. */
function backendOver(all: ReviewRow[]) {
  const labels = new Map<string, ReviewLabelView>();
  const client = new FakeTriadClient()
    .handle('review.list', (input) => ({ total: (input.offset ?? 0) === 0 ? all.length : null, rows: all.slice(input.offset ?? 0, (input.offset ?? 0) + (input.limit ?? 100)) }))
    .handle('review.detail', (input) => detailOf(all.find((r) => r.id === input.requestId)!, labels.get(input.requestId) ?? null))
    .handle('review.label', (input) => {
      const label: ReviewLabelView = {
        requestId: input.requestId, label: input.label, correctedAnswer: input.correctedAnswer ?? null, tags: input.tags ?? [], note: input.note ?? null,
        reviewerId: randomUUID(), updatedAt: '2031-02-01T00:00:00.000Z',
      };
      labels.set(input.requestId, label);
      return label;
    })
    .handle('review.bulkLabel', (input) => ({ labelled: 'ids' in input.target ? input.target.ids.length : all.length }))
    .handle('review.queues.list', () => []);
  return { client, labels };
}

describe('the review store', () => {
  it('loads the first page, focuses the first row with its detail, and fetches further pages only when asked', async () => {
    const all = rowsOf(250);
    const { client } = backendOver(all);
    const review = createReviewStore(client);
    await review.getState().load();
    expect(review.getState().total).toBe(250);
    expect(Object.keys(review.getState().rows)).toHaveLength(REVIEW_PAGE_SIZE);
    expect(review.getState().detail?.request.id).toBe(all[0]!.id);

    await Promise.all([review.getState().ensureRows(120, 130), review.getState().ensureRows(125, 199)]);
    expect(client.callsTo('review.list')).toEqual([
      { filter: {}, sort: { by: 'date', direction: 'desc' }, offset: 0, limit: 100 },
      { filter: {}, sort: { by: 'date', direction: 'desc' }, offset: 100, limit: 100 },
    ]);
    // Moving past the loaded rows loads the page the focus lands on.
    await review.getState().focus(240);
    expect(review.getState().rows[240]?.id).toBe(all[240]!.id);
    await review.getState().move(50);
    expect(review.getState().cursor).toBe(249);
  });

  it('labels the focused answer with the draft, shows the label in the table and moves to the next answer', async () => {
    const all = rowsOf(3);
    const { client } = backendOver(all);
    const review = createReviewStore(client);
    await review.getState().load();
    review.getState().setDraft({ correctedAnswer: 'better answer', tags: ['tone'] });
    expect(await review.getState().labelFocused('needs_fix')).toBe(true);
    expect(client.callsTo('review.label')).toEqual([{ requestId: all[0]!.id, label: 'needs_fix', correctedAnswer: 'better answer', tags: ['tone'], note: null }]);
    expect(review.getState().rows[0]).toMatchObject({ label: 'needs_fix', labelCorrected: true, tags: ['tone'] });
    expect(review.getState().cursor).toBe(1);
    // The next answer's draft is its own (empty), not the one just saved.
    expect(review.getState().draft).toEqual({ correctedAnswer: '', tags: [], note: '' });
    expect(review.getState().notice).toBe('Labelled needs fix');
  });

  it('drops a page that answers after the filter changed', async () => {
    const stale = rowsOf(1);
    const fresh = rowsOf(2);
    let release: () => void = () => undefined;
    const client = new FakeTriadClient()
      .handle('review.list', async (input) => {
        if ((input.filter as ReviewFilter).text === 'old') {
          await new Promise<void>((resolve) => (release = resolve));
          return { total: 1, rows: stale };
        }
        return { total: 2, rows: fresh };
      })
      .handle('review.detail', (input) => detailOf([...stale, ...fresh].find((r) => r.id === input.requestId)!));
    const review = createReviewStore(client);
    const old = review.getState().setFilter({ text: 'old' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await review.getState().setFilter({ text: 'new' });
    release();
    await old;
    expect(review.getState().total).toBe(2);
    expect(Object.values(review.getState().rows).map((r) => r.id)).toEqual(fresh.map((r) => r.id));
  });

  it('labels the selection or every row of the filter, and shows a refusal in the main process\'s words', async () => {
    const all = rowsOf(5);
    const { client } = backendOver(all);
    const review = createReviewStore(client);
    await review.getState().load();
    review.getState().toggleSelected(all[1]!.id);
    review.getState().toggleSelected(all[3]!.id);
    expect(await review.getState().bulkLabel('selection', 'rejected')).toBe(2);
    expect(client.callsTo('review.bulkLabel')[0]).toEqual({ target: { ids: [all[1]!.id, all[3]!.id] }, label: 'rejected' });
    expect(review.getState().selected).toEqual({});
    expect(await review.getState().bulkLabel('filter', 'accepted')).toBe(5);
    expect(client.callsTo('review.bulkLabel')[1]).toEqual({ target: { filter: {} }, label: 'accepted' });
    expect(review.getState().notice).toBe('Labelled 5 answers accepted');

    client.refuse('review.bulkLabel', { code: 'validation_failed', message: 'the filter matches more than 20,000 answers: narrow it down before labelling them all' });
    expect(await review.getState().bulkLabel('filter', 'accepted')).toBeNull();
    expect(review.getState().error).toMatch(/narrow it down/);
  });
});

describe('review keys', () => {
  const key = (k: string, extra: Partial<{ ctrlKey: boolean; inField: boolean }> = {}) =>
    reviewKeyAction({ key: k, ctrlKey: extra.ctrlKey ?? false, altKey: false, metaKey: false }, extra.inField ?? false);

  it('moves with j/k and the arrows, labels with a/r/f, edits with e, shows the cheatsheet with ?', () => {
    expect([key('j'), key('ArrowDown'), key('k'), key('ArrowUp')]).toEqual([
      { kind: 'move', delta: 1 },
      { kind: 'move', delta: 1 },
      { kind: 'move', delta: -1 },
      { kind: 'move', delta: -1 },
    ]);
    expect([key('a'), key('r'), key('f')].map((a) => (a?.kind === 'label' ? a.label : null))).toEqual(['accepted', 'rejected', 'needs_fix']);
    expect(key('e')).toEqual({ kind: 'edit-correction' });
    expect(key('?')).toEqual({ kind: 'cheatsheet' });
  });

  it('leaves keys typed into a field, and browser shortcuts, alone; Escape always leaves', () => {
    expect(key('a', { inField: true })).toBeNull();
    expect(key('r', { ctrlKey: true })).toBeNull();
    expect(key('q')).toBeNull();
    expect(key('Escape', { inField: true })).toEqual({ kind: 'close' });
  });
});

describe('the answer diff', () => {
  it('marks the words the correction removed and added, keeping markup as plain text', () => {
    expect(answerDiff('Refunds take ten days.', 'Refunds take five days.')).toEqual([
      { kind: 'same', text: 'Refunds take ' },
      { kind: 'removed', text: 'ten' },
      { kind: 'added', text: 'five' },
      { kind: 'same', text: ' days.' },
    ]);
    // Both texts come back exactly from their runs: nothing is parsed or escaped, the UI renders them as text.
    const runs = answerDiff('<b>x</b>', '<img src=x onerror=alert(1)>');
    expect(runs.filter((r) => r.kind !== 'added').map((r) => r.text).join('')).toBe('<b>x</b>');
    expect(runs.filter((r) => r.kind !== 'removed').map((r) => r.text).join('')).toBe('<img src=x onerror=alert(1)>');
  });
});
