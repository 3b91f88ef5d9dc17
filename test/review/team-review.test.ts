import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReviewService } from '../../src-main/review/review-service';
import { openStore } from '../../src-main/store/open-store';
import type { RequestLogEntry, TriadStore } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from '../store/support';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { createTestApp, type TestApp } from '../support/test-app';
import { synced, TEST_TEAM_TIMING } from '../team/support';

// Review in team mode, end to end: the app's team store with its local copy and outbox (on PostgreSQL here),
// supabase-js, PostgREST and PostgreSQL under row-level security. An ML lead reviews an analyst's answers,
// goes offline, keeps labelling from the local copy, and the labels reach Supabase when the link is back.

let stack: TeamStack;
let database: TestDatabase;
let app: TestApp;
let lead: TeamOperator;
let analyst: TeamOperator;
let analystStore: TriadStore;
const company = `tr-${randomUUID().slice(0, 6)}`;
let answers: RequestLogEntry[];
let embeddedOnly: RequestLogEntry;

const serverLabels = (ids: string[]) =>
  stack.query<{ request_id: string; label: string; reviewer_id: string; updated_at: Date }>(
    'SELECT request_id, label, reviewer_id, updated_at FROM review_labels WHERE request_id = ANY($1::uuid[]) ORDER BY request_id',
    [ids],
  );

beforeAll(async () => {
  [stack, database] = await Promise.all([startTeamStack(), createTestDatabase()]);
  [lead, analyst] = await Promise.all([stack.createOperator({ role: 'ml_lead', companies: [company] }), stack.createOperator({ role: 'analyst', companies: [company] })]);
  analystStore = await openStore({ backend: 'supabase', url: stack.url, client: await stack.signIn(analyst) });
  const start = Date.parse('2032-01-10T08:00:00.000Z');
  answers = [0, 1, 2, 3].map((i) =>
    makeEntry({ userId: analyst.id, companySlug: company, tier: 'company', createdAt: new Date(start + i * 60_000), answer: { id: randomUUID(), content: `Answer number ${i}` } }),
  );
  await analystStore.requests.recordMany(answers.slice(0, 3));

  app = await createTestApp({ store: { backend: 'postgres', connectionString: database.url }, team: TEST_TEAM_TIMING });
  // An answer of the embedded store's own operator: never part of a team operator's review.
  embeddedOnly = makeEntry({ userId: app.localOperator.id, createdAt: new Date(start), answer: { id: randomUUID(), content: 'Answer number local' } });
  await app.store.requests.record(embeddedOnly);
  await app.team.configure({ mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
  await app.team.signIn({ email: lead.email, password: lead.password });
}, 90_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await analystStore?.close().catch(() => undefined);
  await stack?.resume();
  await stack?.stop();
  await database?.drop().catch(() => undefined);
});

const review = () => new ReviewService(() => app.store.review);
const listIds = async () => (await review().list({ filter: { company }, sort: { by: 'date', direction: 'asc' }, offset: 0, limit: 50 })).rows;

describe('review in team mode', () => {
  it('reviews the answers of the lead\'s company from Supabase, then offline from the local copy, and sends the labels in order when back', async () => {
    const online = await listIds();
    expect(online.map((r) => r.id)).toEqual(answers.slice(0, 3).map((a) => a.id));
    // The answers shown are copied for offline review in the background.
    const local = new pg.Client({ connectionString: database.url });
    await local.connect();
    try {
      await vi.waitFor(async () => expect(Number((await local.query('SELECT count(*) AS n FROM triad_local.review_scope')).rows[0].n)).toBe(3), { timeout: 10_000 });
    } finally {
      await local.end();
    }

    // Logged on Supabase after the table was read: never shown here, so never copied.
    await analystStore.requests.record(answers[3]!);
    await stack.pause();
    const labelled = await review().label(lead.id, { requestId: answers[0]!.id, label: 'needs_fix', correctedAnswer: 'Answer number zero, fixed', tags: ['offline'], note: null });
    expect(labelled).toMatchObject({ label: 'needs_fix', reviewerId: lead.id });
    expect(await review().bulkLabel(lead.id, { ids: [answers[1]!.id, answers[2]!.id] }, 'accepted')).toBe(2);

    // Offline, the table is the local copy: the three answers with their new labels, not the embedded store's own.
    const offline = await listIds();
    expect(offline.map((r) => [r.id, r.label])).toEqual([
      [answers[0]!.id, 'needs_fix'],
      [answers[1]!.id, 'accepted'],
      [answers[2]!.id, 'accepted'],
    ]);
    const everything = await review().list({ filter: {}, sort: { by: 'date', direction: 'asc' }, offset: 0, limit: 500 });
    expect(everything.rows.map((r) => r.id)).not.toContain(embeddedOnly.id);
    await expect(review().detail(embeddedOnly.id)).rejects.toThrow(/no such logged answer, or not one you may review/);
    expect((await review().detail(answers[0]!.id)).label).toMatchObject({ correctedAnswer: 'Answer number zero, fixed' });
    expect((await app.team.view()).sync.pending).toBeGreaterThanOrEqual(2);
    expect(await serverLabels(answers.map((a) => a.id))).toEqual([]);

    // The answer never shown here cannot be labelled offline, and the reviewer is told why.
    const refused = await thrownBy(() => review().label(lead.id, { requestId: answers[3]!.id, label: 'accepted', correctedAnswer: null, tags: [], note: null }));
    expect(refused.message).toMatch(/not on this computer and Supabase cannot be reached/);

    await stack.resume();
    await synced(app);
    const sent = await serverLabels(answers.slice(0, 3).map((a) => a.id));
    expect(sent.map((l) => [l.request_id, l.label, l.reviewer_id]).sort()).toEqual(
      [
        [answers[0]!.id, 'needs_fix', lead.id],
        [answers[1]!.id, 'accepted', lead.id],
        [answers[2]!.id, 'accepted', lead.id],
      ].sort(),
    );
    expect(sent.find((l) => l.request_id === answers[0]!.id)!.updated_at.toISOString()).toBe(labelled.updatedAt);
  }, 90_000);

  it('keeps the later of two reviewers\' labels when an offline label arrives after a newer one, with both in the history', async () => {
    await stack.pause();
    const early = await review().label(lead.id, { requestId: answers[1]!.id, label: 'rejected', correctedAnswer: null, tags: [], note: 'made offline' });
    // Meanwhile an admin relabels the same answer online, later.
    await stack.resume();
    const admin = await stack.createOperator({ role: 'admin' });
    const adminStore = await openStore({ backend: 'supabase', url: stack.url, client: await stack.signIn(admin) });
    const later = new Date(Date.parse(early.updatedAt) + 1_000);
    await adminStore.review.label([
      { historyId: randomUUID(), requestId: answers[1]!.id, label: 'needs_fix', correctedAnswer: 'From the admin', tags: [], note: null, reviewerId: admin.id, labelledAt: later, keepDetails: false },
    ]);
    await synced(app);
    const [current] = await serverLabels([answers[1]!.id]);
    expect(current).toMatchObject({ label: 'needs_fix', reviewer_id: admin.id });
    const history = await stack.query<{ label: string; reviewer_id: string }>(
      'SELECT label, reviewer_id FROM review_label_history WHERE request_id = $1 ORDER BY created_at DESC',
      [answers[1]!.id],
    );
    expect(history.map((h) => [h.label, h.reviewer_id])).toEqual([
      ['needs_fix', admin.id],
      ['rejected', lead.id],
      ['accepted', lead.id],
    ]);
    // Read again online, the lead sees the admin's label.
    expect((await review().detail(answers[1]!.id)).label).toMatchObject({ label: 'needs_fix', reviewerId: admin.id });
    await adminStore.close();
  }, 60_000);
});
