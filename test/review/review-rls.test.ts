import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src-shared/domain';
import { openStore } from '../../src-main/store/open-store';
import type { RequestLogEntry, ReviewLabelWrite, TriadStore } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from '../store/support';
import { startTeamStack, type TeamStack } from '../support/team-stack/team-stack';

// Row-level security of the review tables, probed as real operators signed in through the local team stack:
// through the app's Supabase adapter and straight through PostgREST, with the superuser's view as ground truth.

interface SignedIn {
  id: string;
  client: SupabaseClient;
  store: TriadStore;
}

let stack: TeamStack;
let admin: SignedIn;
/** Analyst in X. */
let alice: SignedIn;
/** Analyst in Y. */
let bob: SignedIn;
/** ML lead of X. */
let lead: SignedIn;
const X = `rx-${randomUUID().slice(0, 6)}`;
const Y = `ry-${randomUUID().slice(0, 6)}`;
const version = `rls-${randomUUID()}`;
let aliceInX: RequestLogEntry;
let aliceAlone: RequestLogEntry;
let bobInY: RequestLogEntry;

async function signUp(role: Role, companies: string[]): Promise<SignedIn> {
  const operator = await stack.createOperator({ role, companies });
  const client = await stack.signIn(operator);
  return { id: operator.id, client, store: await openStore({ backend: 'supabase', url: stack.url, client }) };
}

function labelOf(requestId: string, reviewerId: string, label: ReviewLabelWrite['label'] = 'accepted'): ReviewLabelWrite {
  return { historyId: randomUUID(), requestId, label, correctedAnswer: null, tags: [], note: null, reviewerId, labelledAt: new Date(), keepDetails: false };
}

const visibleTo = async (who: SignedIn) =>
  (await who.store.review.list({ filter: { modelVersion: version }, sort: { by: 'date', direction: 'asc' }, offset: 0, limit: 50 })).rows.map((r) => r.id);

async function expectForbidden(work: () => Promise<unknown>): Promise<void> {
  const error = await thrownBy(work);
  expect(error.code, error.message).toBe('forbidden');
}

beforeAll(async () => {
  stack = await startTeamStack();
  [admin, alice, bob, lead] = await Promise.all([signUp('admin', []), signUp('analyst', [X]), signUp('analyst', [Y]), signUp('ml_lead', [X])]);
  const at = (minute: number) => new Date(Date.parse('2033-01-01T00:00:00Z') + minute * 60_000);
  aliceInX = makeEntry({ userId: alice.id, companySlug: X, tier: 'company', modelVersion: version, createdAt: at(0) });
  aliceAlone = makeEntry({ userId: alice.id, modelVersion: version, createdAt: at(1) });
  bobInY = makeEntry({ userId: bob.id, companySlug: Y, tier: 'company', modelVersion: version, createdAt: at(2) });
  await alice.store.requests.recordMany([aliceInX, aliceAlone]);
  await bob.store.requests.record(bobInY);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([admin, alice, bob, lead].map((who) => who?.store.close()));
  await stack?.stop();
});

describe('row-level security of review', () => {
  it('shows an analyst their own answers, an ML lead also their companies\', an admin all', async () => {
    expect(await visibleTo(alice)).toEqual([aliceInX.id, aliceAlone.id]);
    expect(await visibleTo(bob)).toEqual([bobInY.id]);
    expect(await visibleTo(lead)).toEqual([aliceInX.id]);
    expect(await visibleTo(admin)).toEqual([aliceInX.id, aliceAlone.id, bobInY.id]);
    expect(await lead.store.review.detail(bobInY.id)).toBeUndefined();
    expect((await bob.store.review.progress({ modelVersion: version })).total).toBe(1);
    expect(await bob.store.review.matchingIds({ modelVersion: version }, 10)).toEqual([bobInY.id]);
  });

  it('lets a reviewer label only what they may read, only in their own name', async () => {
    const [labelled] = await lead.store.review.label([labelOf(aliceInX.id, lead.id, 'needs_fix')]);
    expect(labelled).toMatchObject({ label: 'needs_fix', reviewerId: lead.id });
    await expectForbidden(() => lead.store.review.label([labelOf(bobInY.id, lead.id)]));
    await expectForbidden(() => alice.store.review.label([labelOf(bobInY.id, alice.id)]));
    // In someone else's name, even on an answer the writer may read.
    await expectForbidden(() => alice.store.review.label([labelOf(aliceAlone.id, lead.id)]));
    await alice.store.review.label([labelOf(aliceAlone.id, alice.id, 'rejected')]);

    const truth = await stack.query<{ request_id: string; reviewer_id: string }>('SELECT request_id, reviewer_id FROM review_labels WHERE request_id = ANY($1::uuid[])', [
      [aliceInX.id, aliceAlone.id, bobInY.id],
    ]);
    expect(truth.map((t) => [t.request_id, t.reviewer_id]).sort()).toEqual([[aliceInX.id, lead.id], [aliceAlone.id, alice.id]].sort());
  });

  it('hides labels and history of answers the reader may not see, and keeps the history append-only', async () => {
    const { data: bobSees } = await bob.client.from('review_labels').select('request_id').in('request_id', [aliceInX.id, aliceAlone.id]);
    expect(bobSees).toEqual([]);
    const { data: bobHistory } = await bob.client.from('review_label_history').select('id').in('request_id', [aliceInX.id, aliceAlone.id]);
    expect(bobHistory).toEqual([]);
    const { data: leadHistory } = await lead.client.from('review_label_history').select('request_id').eq('request_id', aliceInX.id);
    expect(leadHistory).toHaveLength(1);

    const rewrite = await lead.client.from('review_label_history').update({ label: 'accepted' }).eq('request_id', aliceInX.id).select('id');
    expect(rewrite.error?.code).toBe('42501');
    const erase = await admin.client.from('review_label_history').delete().eq('request_id', aliceInX.id).select('id');
    expect(erase.error?.code).toBe('42501');
    const unlabel = await admin.client.from('review_labels').delete().eq('request_id', aliceInX.id).select('request_id');
    expect(unlabel.error?.code).toBe('42501');
    const [kept] = await stack.query<{ n: string }>('SELECT count(*) AS n FROM review_label_history WHERE request_id = $1', [aliceInX.id]);
    expect(Number(kept!.n)).toBe(1);
  });

  it('keeps each operator\'s queues to themselves', async () => {
    const queue = await alice.store.review.saveQueue({ id: randomUUID(), userId: alice.id, name: 'mine', filter: { labels: ['unlabelled'] } });
    expect(await bob.store.review.listQueues(alice.id)).toEqual([]);
    const { data: bobReads } = await bob.client.from('review_queues').select('id').eq('id', queue.id);
    expect(bobReads).toEqual([]);
    expect(await bob.store.review.deleteQueue(alice.id, queue.id)).toBe(false);
    await expectForbidden(() => bob.store.review.saveQueue({ id: queue.id, userId: bob.id, name: 'taken over', filter: {} }));
    await expectForbidden(() => bob.store.review.saveQueue({ id: randomUUID(), userId: alice.id, name: 'in her name', filter: {} }));
    const [truth] = await stack.query<{ name: string; user_id: string }>('SELECT name, user_id FROM review_queues WHERE id = $1', [queue.id]);
    expect(truth).toEqual({ name: 'mine', user_id: alice.id });
  });

  it('searches only the text of answers the reader may see; the search index shows nobody else\'s', async () => {
    const found = async (who: SignedIn) =>
      (await who.store.review.list({ filter: { modelVersion: version, text: 'Paris' }, sort: { by: 'date', direction: 'asc' }, offset: 0, limit: 50 })).rows.map((r) => r.id);
    expect(await found(bob)).toEqual([bobInY.id]);
    expect(await found(lead)).toEqual([aliceInX.id]);
    expect(await found(admin)).toEqual([aliceInX.id, aliceAlone.id, bobInY.id]);
    // A server indexes as it logs (migration 020): nothing waits, and the index rows follow the requests' rules.
    expect(await stack.query('SELECT 1 FROM message_search_pending')).toEqual([]);
    const ids = [aliceInX.id, aliceAlone.id, bobInY.id];
    const { data: bobIndex } = await bob.client.from('message_search').select('request_id').in('request_id', ids);
    expect(new Set(bobIndex?.map((r) => r.request_id))).toEqual(new Set([bobInY.id]));
    const forged = await bob.client.from('message_search').insert({ message_id: randomUUID(), request_id: aliceInX.id, document: 'paris' });
    expect(forged.error?.code).toBe('42501');
    const indexed = await bob.client.rpc('triad_index_message_search', { p_limit: 10 });
    expect(indexed.error?.code).toBe('42501');
  });

  it('gives anon nothing: no table, no review function', async () => {
    const anon = stack.anonClient();
    const list = await anon.rpc('triad_review_list', { p_filter: {}, p_sort: {}, p_offset: 0, p_limit: 10 });
    expect(list.error?.code).toBe('42501');
    for (const table of ['review_labels', 'review_label_history', 'review_queues', 'message_search', 'message_search_pending']) {
      const { error } = await anon.from(table).select('*').limit(1);
      expect(error?.code, table).toBe('42501');
    }
  });
});
