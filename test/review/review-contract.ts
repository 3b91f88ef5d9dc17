import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewFilter } from '../../src-shared/review-contract';
import type { RequestLogEntry, ReviewLabelWrite, TriadStore } from '../../src-main/store/repositories';
import type { ActAs, StoreFactory } from '../store/store-contract';
import { makeEntry, thrownBy } from '../store/support';

const DATE_DESC = { by: 'date', direction: 'desc' } as const;

/**
 * What every store's review must do, on PGlite, PostgreSQL and Supabase. One store serves the suite; each test
 * tags its answers with a model version of its own and filters by it, so tests do not see each other's rows.
 */
export function describeReviewContract(backendName: string, openStore: StoreFactory, actAs: ActAs = async (store) => store): void {
  describe(`review on ${backendName}`, () => {
    let store: TriadStore;
    let company: string;

    beforeAll(async () => {
      store = await openStore();
      company = `rv-${randomUUID().slice(0, 8)}`;
      await store.directory.createCompany({ slug: company, name: 'Review Co' });
    }, 60_000);
    afterAll(async () => {
      await store?.close();
    });

    /** An operator of the suite's company. */
    async function user(role: 'analyst' | 'ml_lead' | 'admin' = 'analyst') {
      const created = await store.directory.createUser({ displayName: `Reviewer ${randomUUID().slice(0, 4)}`, role });
      await store.directory.grantCompanyAccess(created.id, company);
      return created;
    }

    /** Logs answers as `author`, all with model version `version`, one minute apart (the first the oldest). */
    async function logAnswers(author: { id: string }, version: string, answers: Array<Partial<RequestLogEntry> & { text?: string }>): Promise<RequestLogEntry[]> {
      const start = Date.parse('2031-03-01T09:00:00.000Z');
      const entries = answers.map(({ text, ...overrides }, i) =>
        makeEntry({
          userId: author.id,
          modelVersion: version,
          createdAt: new Date(start + i * 60_000),
          ...(text === undefined ? {} : { answer: { id: randomUUID(), content: text } }),
          ...overrides,
        }),
      );
      await (await actAs(store, author)).requests.recordMany(entries);
      return entries;
    }

    function labelWrite(requestId: string, reviewerId: string, overrides: Partial<ReviewLabelWrite> = {}): ReviewLabelWrite {
      return {
        historyId: randomUUID(), requestId, label: 'accepted', correctedAnswer: null, tags: [], note: null, reviewerId,
        labelledAt: new Date(), keepDetails: false, ...overrides,
      };
    }

    const ids = async (filter: ReviewFilter) => (await store.review.list({ filter, sort: DATE_DESC, offset: 0, limit: 100 })).rows.map((r) => r.id);

    it('lists logged answers newest first with their prompt, answer, model and company, and leaves out requests without an answer', async () => {
      const author = await user();
      const version = `v-${randomUUID()}`;
      const [first, second, refused] = await logAnswers(author, version, [
        { companySlug: company, tier: 'company', text: 'Revenue grew by ten percent.' },
        { tier: 'base', text: 'Paris.' },
        { status: 'rejected', answer: null, finishReason: null },
      ]);
      const page = await store.review.list({ filter: { modelVersion: version }, sort: DATE_DESC, offset: 0, limit: 50 });
      expect(page.total).toBe(2);
      expect(page.rows.map((r) => r.id)).toEqual([second!.id, first!.id]);
      expect(page.rows[1]).toMatchObject({
        tier: 'company', company, modelId: 'llama-2-tiny-random', modelVersion: version, prompt: 'What is the capital of France?',
        answer: 'Revenue grew by ten percent.', label: null, thumbsUp: 0, thumbsDown: 0, rating: null, createdAt: first!.createdAt.toISOString(),
      });
      expect(page.rows.map((r) => r.id)).not.toContain(refused!.id);
    });

    it('filters by tier, company, date, feedback and full-text search over prompt and answer', async () => {
      const author = await user();
      const rater = await user();
      const version = `v-${randomUUID()}`;
      const [invoices, shipping, plain] = await logAnswers(author, version, [
        { tier: 'company', companySlug: company, text: 'Send the invoices before the end of the quarter.' },
        { tier: 'base', text: 'Shipping takes three days.', prompt: { id: randomUUID(), content: 'How long is delivery to Lyon?' } },
        { tier: 'abstraction', text: 'Margins are similar across the sector.' },
      ]);
      const asRater = await actAs(store, rater);
      await asRater.feedback.save({ requestId: invoices!.id, userId: rater.id, thumbs: -1, rating: 2, comment: 'too vague', correctedAnswer: 'Send them by the 25th.' });
      await asRater.feedback.save({ requestId: shipping!.id, userId: rater.id, thumbs: 1, rating: 5, comment: null, correctedAnswer: null });
      const base = { modelVersion: version };

      expect(await ids({ ...base, tier: 'base' })).toEqual([shipping!.id]);
      expect(await ids({ ...base, company })).toEqual([invoices!.id]);
      expect(await ids({ ...base, thumbs: 'down' })).toEqual([invoices!.id]);
      expect(await ids({ ...base, thumbs: 'up' })).toEqual([shipping!.id]);
      expect(await ids({ ...base, thumbs: 'none' })).toEqual([plain!.id]);
      expect(await ids({ ...base, rating: { min: 4 } })).toEqual([shipping!.id]);
      expect(await ids({ ...base, rating: { min: 1, max: 3 } })).toEqual([invoices!.id]);
      expect(await ids({ ...base, hasComment: true })).toEqual([invoices!.id]);
      expect(await ids({ ...base, hasComment: false })).toEqual([plain!.id, shipping!.id]);
      expect(await ids({ ...base, hasCorrection: true })).toEqual([invoices!.id]);
      expect(await ids({ ...base, dateFrom: shipping!.createdAt.toISOString() })).toEqual([plain!.id, shipping!.id]);
      expect(await ids({ ...base, dateTo: shipping!.createdAt.toISOString() })).toEqual([invoices!.id]);
      // Stemmed words of the answer ("invoice" finds "invoices") and of the prompt ("deliveries" finds "delivery").
      expect(await ids({ ...base, text: 'invoice' })).toEqual([invoices!.id]);
      expect(await ids({ ...base, text: 'deliveries Lyon' })).toEqual([shipping!.id]);
      expect(await ids({ ...base, text: 'quarter -invoices' })).toEqual([]);
      expect(await ids({ ...base, text: '"end of the quarter"' })).toEqual([invoices!.id]);

      const [row] = (await store.review.list({ filter: { ...base, company }, sort: DATE_DESC, offset: 0, limit: 10 })).rows;
      expect(row).toMatchObject({ thumbsDown: 1, thumbsUp: 0, rating: 2, comments: 1, corrections: 1 });
    });

    it('sorts by date, latency and rating, and pages without overlap', async () => {
      const author = await user();
      const rater = await user();
      const version = `v-${randomUUID()}`;
      const entries = await logAnswers(author, version, [300, 100, 500, 200, 400].map((latencyMs) => ({ latencyMs })));
      const asRater = await actAs(store, rater);
      await asRater.feedback.save({ requestId: entries[0]!.id, userId: rater.id, thumbs: null, rating: 4, comment: null, correctedAnswer: null });
      await asRater.feedback.save({ requestId: entries[3]!.id, userId: rater.id, thumbs: null, rating: 1, comment: null, correctedAnswer: null });
      const filter = { modelVersion: version };
      const sorted = async (by: 'date' | 'latency' | 'rating', direction: 'asc' | 'desc') =>
        (await store.review.list({ filter, sort: { by, direction }, offset: 0, limit: 10 })).rows.map((r) => entries.findIndex((e) => e.id === r.id));

      expect(await sorted('date', 'asc')).toEqual([0, 1, 2, 3, 4]);
      expect(await sorted('latency', 'desc')).toEqual([2, 4, 0, 3, 1]);
      // Unrated answers last, newest first among them.
      expect(await sorted('rating', 'asc')).toEqual([3, 0, 4, 2, 1]);

      const pages = [];
      for (let offset = 0; offset < 5; offset += 2) pages.push(await store.review.list({ filter, sort: { by: 'latency', direction: 'asc' }, offset, limit: 2 }));
      // Counted with the first page only.
      expect(pages.map((p) => p.total)).toEqual([5, null, null]);
      expect(pages.flatMap((p) => p.rows.map((r) => entries.findIndex((e) => e.id === r.id)))).toEqual([1, 3, 0, 4, 2]);
    });

    it('keeps every label in the history and the latest by the time it was made as the current one, whatever the order they arrive in', async () => {
      const author = await user();
      const [alice, bob] = [await user('admin'), await user('admin')];
      const [answer] = await logAnswers(author, `v-${randomUUID()}`, [{}]);
      const asAlice = await actAs(store, alice);
      const asBob = await actAs(store, bob);
      const early = new Date('2031-04-01T10:00:00.000Z');
      const late = new Date('2031-04-01T10:05:00.000Z');

      const [afterBob] = await asBob.review.label([labelWrite(answer!.id, bob.id, { label: 'needs_fix', correctedAnswer: 'Paris, France.', tags: ['geo'], note: 'add country', labelledAt: late })]);
      expect(afterBob).toMatchObject({ label: 'needs_fix', reviewerId: bob.id, correctedAnswer: 'Paris, France.', tags: ['geo'], note: 'add country', updatedAt: late.toISOString() });
      // Alice labelled earlier, offline; her label arrives after Bob's and loses, but is kept.
      const alicesLabel = labelWrite(answer!.id, alice.id, { label: 'accepted', labelledAt: early });
      const [afterAlice] = await asAlice.review.label([alicesLabel]);
      expect(afterAlice).toMatchObject({ label: 'needs_fix', reviewerId: bob.id });
      // Sent twice (an outbox retry): kept once.
      await asAlice.review.label([alicesLabel]);

      const detail = await store.review.detail(answer!.id);
      expect(detail?.label).toMatchObject({ label: 'needs_fix', reviewerId: bob.id });
      expect(detail?.history.map((h) => [h.label, h.reviewerId, h.createdAt])).toEqual([
        ['needs_fix', bob.id, late.toISOString()],
        ['accepted', alice.id, early.toISOString()],
      ]);
      expect(await ids({ modelVersion: answer!.modelVersion!, labels: ['needs_fix'] })).toEqual([answer!.id]);
      expect(await ids({ modelVersion: answer!.modelVersion!, labels: ['accepted', 'unlabelled'] })).toEqual([]);
    });

    it('labels in bulk keeping each answer its correction, tags and note, and finds every row of a filter', async () => {
      const author = await user();
      const reviewer = await user('admin');
      const version = `v-${randomUUID()}`;
      const entries = await logAnswers(author, version, [{}, {}, {}]);
      const asReviewer = await actAs(store, reviewer);
      await asReviewer.review.label([labelWrite(entries[0]!.id, reviewer.id, { label: 'needs_fix', correctedAnswer: 'Better.', tags: ['t'], note: 'n', labelledAt: new Date('2020-05-01T00:00:00Z') })]);

      const matching = await store.review.matchingIds({ modelVersion: version }, 10);
      expect(matching).toEqual([entries[2]!.id, entries[1]!.id, entries[0]!.id]);
      expect(await store.review.matchingIds({ modelVersion: version }, 2)).toHaveLength(2);
      const current = await asReviewer.review.label(matching.map((id) => labelWrite(id, reviewer.id, { label: 'rejected', keepDetails: true })));
      expect(current).toHaveLength(3);
      expect(current.find((l) => l.requestId === entries[0]!.id)).toMatchObject({ label: 'rejected', correctedAnswer: 'Better.', tags: ['t'], note: 'n' });
      expect(current.find((l) => l.requestId === entries[1]!.id)).toMatchObject({ label: 'rejected', correctedAnswer: null, tags: [] });
      expect(await ids({ modelVersion: version, labels: ['rejected'] })).toHaveLength(3);
    });

    it('shows the whole conversation, the routing, every operator\'s feedback and the label of one answer', async () => {
      const author = await user();
      const other = await user();
      const conversationId = randomUUID();
      const version = `v-${randomUUID()}`;
      const [turn1, turn2] = await logAnswers(author, version, [
        { conversationId, prompt: { id: randomUUID(), content: 'Hello' }, text: 'Hi!' },
        { conversationId, prompt: { id: randomUUID(), content: 'And the capital of Italy?' }, text: 'Rome.', routingReason: 'auto: general question', ttftMs: 40 },
      ]);
      await (await actAs(store, author)).feedback.save({ requestId: turn2!.id, userId: author.id, thumbs: 1, rating: null, comment: 'right', correctedAnswer: null });
      await (await actAs(store, other)).feedback.save({ requestId: turn2!.id, userId: other.id, thumbs: -1, rating: 2, comment: null, correctedAnswer: 'Rome, Italy.' });

      const detail = await store.review.detail(turn2!.id);
      expect(detail?.request).toMatchObject({ id: turn2!.id, conversationId, routingReason: 'auto: general question', ttftMs: 40, latencyMs: 250.25, tokensIn: 10, tokensOut: 20, modelVersion: version });
      expect(detail?.request.routeAttempts).toEqual(turn2!.routeAttempts);
      expect(detail?.messages.map((m) => [m.role, m.content])).toEqual([['user', 'Hello'], ['assistant', 'Hi!'], ['user', 'And the capital of Italy?'], ['assistant', 'Rome.']]);
      expect(detail?.feedback.map((f) => [f.userId, f.thumbs, f.correctedAnswer]).sort()).toEqual([[author.id, 1, null], [other.id, -1, 'Rome, Italy.']].sort());
      expect(detail?.label).toBeNull();
      expect(detail?.history).toEqual([]);
      expect(turn1).toBeDefined();
      expect(await store.review.detail(randomUUID())).toBeUndefined();
      expect(await store.review.detail('not-a-uuid')).toBeUndefined();
      expect((await store.review.details([turn1!.id, randomUUID(), turn2!.id])).map((d) => d.request.id)).toEqual([turn1!.id, turn2!.id]);
    });

    it('saves queues per operator with the progress of their filter, and refuses a label the database would not take', async () => {
      const author = await user();
      const reviewer = await user('admin');
      const version = `v-${randomUUID()}`;
      const entries = await logAnswers(author, version, [{}, {}, {}, {}]);
      const asReviewer = await actAs(store, reviewer);
      const queue = await asReviewer.review.saveQueue({ id: randomUUID(), userId: reviewer.id, name: 'unlabelled base', filter: { modelVersion: version, labels: ['unlabelled'] } });
      expect(queue).toMatchObject({ name: 'unlabelled base', filter: { modelVersion: version, labels: ['unlabelled'] }, userId: reviewer.id });
      expect(await asReviewer.review.progress(queue.filter)).toEqual({ total: 4, done: 0 });
      await asReviewer.review.label([labelWrite(entries[0]!.id, reviewer.id), labelWrite(entries[1]!.id, reviewer.id, { label: 'rejected' })]);
      expect(await asReviewer.review.progress(queue.filter)).toEqual({ total: 4, done: 2 });

      const renamed = await asReviewer.review.saveQueue({ ...queue, name: 'renamed' });
      expect((await asReviewer.review.listQueues(reviewer.id)).map((q) => [q.id, q.name])).toEqual([[queue.id, renamed.name]]);
      expect(await asReviewer.review.deleteQueue(reviewer.id, queue.id)).toBe(true);
      expect(await asReviewer.review.deleteQueue(reviewer.id, queue.id)).toBe(false);
      expect(await asReviewer.review.listQueues(reviewer.id)).toEqual([]);

      const invalid = await thrownBy(() => asReviewer.review.label([labelWrite(entries[2]!.id, reviewer.id, { label: 'maybe' as 'accepted' })]));
      expect(invalid.code).toBe('validation_failed');
      const unknown = await thrownBy(() => asReviewer.review.label([labelWrite(randomUUID(), reviewer.id)]));
      expect(['validation_failed', 'forbidden']).toContain(unknown.code);
    });
  });
}
