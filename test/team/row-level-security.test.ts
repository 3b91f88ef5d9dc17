import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import type { Role } from '../../src-shared/domain';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from '../store/support';
import { startTeamStack, type TeamStack } from '../support/team-stack/team-stack';

// Row-level security probed the way an attacker would: straight through PostgREST with supabase-js, as real
// operators signed in to the Auth stand-in, with the superuser's view of the database as the ground truth.

interface SignedIn {
  id: string;
  client: SupabaseClient;
  store: TriadStore;
}

let stack: TeamStack;
let admin: SignedIn;
/** Analyst in company x. */
let alice: SignedIn;
/** Analyst in company y. */
let bob: SignedIn;
/** ML lead of company x. */
let lead: SignedIn;
const X = `x-${randomUUID().slice(0, 6)}`;
const Y = `y-${randomUUID().slice(0, 6)}`;

async function signUp(role: Role, companies: string[]): Promise<SignedIn> {
  const operator = await stack.createOperator({ role, companies });
  const client = await stack.signIn(operator);
  return { id: operator.id, client, store: await openStore({ backend: 'supabase', url: stack.url, client }) };
}

/** One row as the superuser sees it, or undefined. */
async function groundTruth(table: string, where: Record<string, unknown>): Promise<unknown> {
  const columns = Object.keys(where);
  const condition = columns.map((column, i) => `${column} = $${i + 1}`).join(' AND ');
  const rows = await stack.query(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${condition}`, Object.values(where));
  return rows[0]?.row;
}

/** The rows a PostgREST write changed: 0 when a policy hid them, 'refused' when a privilege or policy said no. */
async function effectOf(call: PromiseLike<{ data: unknown; error: { code?: string } | null }>): Promise<number | 'refused'> {
  const { data, error } = await call;
  if (error) {
    expect(error.code).toBe('42501');
    return 'refused';
  }
  return Array.isArray(data) ? data.length : 0;
}

async function expectForbidden(work: () => Promise<unknown>): Promise<TriadError> {
  const error = await thrownBy(work);
  expect(TriadError.isInstance(error), String(error)).toBe(true);
  expect((error as TriadError).code).toBe('forbidden');
  return error as TriadError;
}

/** Alice's rows in every table that holds someone's rows, and how one would try to change each. */
const aliceRows: Record<string, { where: () => Record<string, unknown>; change: Record<string, unknown> }> = {};

beforeAll(async () => {
  stack = await startTeamStack();
  [admin, alice, bob, lead] = await Promise.all([signUp('admin', []), signUp('analyst', [X]), signUp('analyst', [Y]), signUp('ml_lead', [X])]);

  // What a team has: configuration by the admin, a deployment by the ML lead, requests, conversations,
  // feedback and votes by each analyst in their own company.
  await admin.store.flags.set('probe.flag', true);
  await admin.store.settings.set('probe.setting', { level: 1 });
  await admin.store.knowledge.addCompanySnippet(X, { title: 'X revenue', content: 'Revenue of X grows.' });
  await admin.store.knowledge.addCompanySnippet(Y, { title: 'Y revenue', content: 'Revenue of Y shrinks.' });
  await admin.store.knowledge.addCrossCompanyInsight({ sector: null, title: 'Churn', content: 'Churn follows price rises.', sampleSize: 9 });
  const space = await admin.store.spaces.upsert({ spaceName: 'org/x', spaceType: 'company', apiEndpoint: 'https://x.hf.space', isActive: true, modelVersion: 'v1' });
  const model = await lead.store.registry.register({ name: `m-${randomUUID().slice(0, 6)}`, version: '1', tier: 'company', hfModelId: null, hfSpaceId: null, hfSpaceUrl: null });
  await lead.store.registry.recordDeployment({ spaceId: space.id, modelId: model.id, deploymentStatus: 'running' });

  const aliceEntry = makeEntry({ userId: alice.id, conversationId: randomUUID(), companySlug: X, tier: 'company' });
  await alice.store.requests.record(aliceEntry);
  await alice.store.feedback.save({ requestId: aliceEntry.id, userId: alice.id, thumbs: 1, rating: 5, comment: 'good', correctedAnswer: null });
  const other = makeEntry({ userId: alice.id });
  await alice.store.requests.record(other);
  const vote = await alice.store.preferences.save({ userId: alice.id, prompt: 'which?', requestIds: [aliceEntry.id, other.id], verdict: 'tie', winnerRequestId: null });
  const bobEntry = makeEntry({ userId: bob.id, companySlug: Y, tier: 'company' });
  await bob.store.requests.record(bobEntry);
  await bob.store.feedback.save({ requestId: bobEntry.id, userId: bob.id, thumbs: -1, rating: 1, comment: 'bad', correctedAnswer: null });

  const [x] = await stack.query<{ id: string }>('SELECT id FROM companies WHERE slug = $1', [X]);
  const [feedback] = await stack.query<{ id: string }>('SELECT id FROM feedback WHERE user_id = $1', [alice.id]);
  const [knowledge] = await stack.query<{ id: string }>('SELECT id FROM company_knowledge WHERE company_id = $1', [x!.id]);
  Object.assign(aliceRows, {
    users: { where: () => ({ id: alice.id }), change: { display_name: 'taken over' } },
    user_company_access: { where: () => ({ user_id: alice.id, company_id: x!.id }), change: { user_id: bob.id } },
    companies: { where: () => ({ id: x!.id }), change: { name: 'taken over' } },
    conversations: { where: () => ({ id: aliceEntry.conversationId }), change: { title: 'taken over' } },
    llm_requests: { where: () => ({ id: aliceEntry.id }), change: { status: 'error' } },
    messages: { where: () => ({ id: aliceEntry.prompt!.id }), change: { content: 'taken over' } },
    feedback: { where: () => ({ id: feedback!.id }), change: { comment: 'taken over' } },
    preferences: { where: () => ({ id: vote.id }), change: { prompt: 'taken over' } },
    company_knowledge: { where: () => ({ id: knowledge!.id }), change: { content: 'taken over' } },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('row-level security through PostgREST', () => {
  it('is enabled on every table, and anon may not read any table nor call any Triad function', async () => {
    const tables = await stack.query<{ name: string; rls: boolean; anon_reads: boolean }>(
      `SELECT c.relname AS name, c.relrowsecurity AS rls, has_table_privilege('anon', c.oid, 'SELECT') AS anon_reads
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' ORDER BY 1`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(16);
    expect(tables.filter((t) => !t.rls || t.anon_reads)).toEqual([]);
    const functions = await stack.query<{ name: string }>(
      `SELECT p.oid::regprocedure::text AS name FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND has_function_privilege('anon', p.oid, 'EXECUTE')`,
    );
    expect(functions).toEqual([]);

    const anon = stack.anonClient();
    for (const { name } of tables) {
      const { data, error, status } = await anon.from(name).select('*').limit(1);
      expect({ name, data, code: error?.code, status }).toEqual({ name, data: null, code: '42501', status: 401 });
    }
    expect((await anon.rpc('triad_session')).error?.code).toBe('42501');
    const refused = await thrownBy(() => openStore({ backend: 'supabase', url: stack.url, client: anon }));
    expect(refused).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('not signed in') });
  });

  it("keeps the app's local bookkeeping (schema triad_local: the outbox) out of every API role's reach", async () => {
    const tables = await stack.query<{ name: string; rls: boolean }>(
      `SELECT c.relname AS name, c.relrowsecurity AS rls FROM pg_class c WHERE c.relnamespace = 'triad_local'::regnamespace AND c.relkind = 'r' ORDER BY 1`,
    );
    expect(tables).toEqual([{ name: 'outbox', rls: true }, { name: 'review_scope', rls: true }, { name: 'team_values', rls: true }]);
    const privileges = await stack.query(
      `SELECT r AS role, has_schema_privilege(r, 'triad_local', 'USAGE') AS usage,
              has_table_privilege(r, 'triad_local.outbox', 'SELECT, INSERT, UPDATE, DELETE') AS outbox
         FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r ORDER BY r`,
    );
    expect(privileges).toEqual(['anon', 'authenticated', 'service_role'].map((role) => ({ role, usage: false, outbox: false })));
    const { data, error } = await alice.client.schema('triad_local').from('outbox').select('*');
    expect({ data, code: error?.code }).toEqual({ data: null, code: 'PGRST106' });
  });

  it("lets operator B neither read, update nor delete operator A's rows, in any table", async () => {
    for (const [table, { where, change }] of Object.entries(aliceRows)) {
      const before = await groundTruth(table, where());
      expect(before, `${table}: Alice's row exists`).toBeDefined();
      const read = await bob.client.from(table).select('*').match(where());
      expect({ table, read: read.data }).toEqual({ table, read: [] });
      const updated = await effectOf(bob.client.from(table).update(change).match(where()).select());
      const deleted = await effectOf(bob.client.from(table).delete().match(where()).select());
      expect({ table, updated, deleted }).toEqual({ table, updated: expect.toBeOneOf([0, 'refused']), deleted: expect.toBeOneOf([0, 'refused']) });
      expect({ table, after: await groundTruth(table, where()) }).toEqual({ table, after: before });
    }
    // Alice herself still reads her own, through the same API.
    expect((await alice.client.from('feedback').select('comment').eq('user_id', alice.id)).data).toEqual([{ comment: 'good' }]);
  });

  it('keeps an analyst from changing Spaces, the model registry, deployments, flags, settings and insights', async () => {
    const shared = ['hf_spaces_config', 'model_registry', 'hf_deployments', 'feature_flags', 'app_settings', 'cross_company_insights'];
    for (const table of shared) {
      const before = await stack.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY 1`);
      const readable = await bob.client.from(table).select('*');
      expect({ table, rows: readable.data?.length }).toEqual({ table, rows: before.length });
      const anyColumn = table === 'feature_flags' || table === 'app_settings' ? 'key' : 'id';
      expect(await effectOf(bob.client.from(table).update({ [anyColumn]: randomUUID() }).not(anyColumn, 'is', null).select())).toBe(0);
      expect(await effectOf(bob.client.from(table).delete().not(anyColumn, 'is', null).select())).toBe(0);
      expect(await stack.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY 1`)).toEqual(before);
    }

    const [space] = await bob.store.spaces.list();
    const [deployment] = await bob.store.registry.listDeployments();
    const [model] = await bob.store.registry.list();
    await expectForbidden(() => bob.store.spaces.upsert({ ...space!, apiEndpoint: 'https://evil.example' }));
    await expectForbidden(() => bob.store.spaces.upsert({ spaceName: 'org/mine', spaceType: 'base', apiEndpoint: 'https://b.hf.space', isActive: true, modelVersion: null }));
    await expectForbidden(() => bob.store.registry.recordDeployment({ spaceId: space!.id, modelId: model!.id, deploymentStatus: 'building' }));
    const refused = await expectForbidden(() => bob.store.registry.updateDeployment(deployment!.id, { deploymentStatus: 'failed' }));
    expect(refused.message).toMatch(/analyst may not update deployments/);
    await expectForbidden(() => bob.store.registry.register({ name: 'mine', version: '1', tier: null, hfModelId: null, hfSpaceId: null, hfSpaceUrl: null }));
    await expectForbidden(() => bob.store.flags.set('probe.flag', false));
    await expectForbidden(() => bob.store.settings.set('probe.setting', null));
    await expectForbidden(() => bob.store.knowledge.addCrossCompanyInsight({ sector: null, title: 't', content: 'c', sampleSize: 1 }));
    expect(await bob.store.spaces.list()).toEqual([space]);
  });

  it('lets an ML lead record deployments and edit Spaces, but not flags or the directory', async () => {
    const [space] = await lead.store.spaces.list();
    const [model] = await lead.store.registry.list();
    const deployment = await lead.store.registry.recordDeployment({ spaceId: space!.id, modelId: model!.id, deploymentStatus: 'building' });
    expect((await lead.store.registry.updateDeployment(deployment.id, { deploymentStatus: 'running' })).deploymentStatus).toBe('running');
    expect((await lead.store.spaces.upsert({ ...space!, modelVersion: 'v2' })).modelVersion).toBe('v2');
    await expectForbidden(() => lead.store.flags.set('probe.flag', false));
    await expectForbidden(() => lead.store.directory.createCompany({ slug: `z-${randomUUID().slice(0, 6)}`, name: 'Z' }));
  });

  it("hides company Y's data from a member of company X: the company, its knowledge, its requests and their feedback", async () => {
    expect((await alice.store.directory.listCompanies()).map((c) => c.slug)).toEqual([X]);
    expect(await alice.store.directory.findCompany(Y)).toBeUndefined();
    expect(await alice.store.knowledge.searchCompanySnippets(Y, 'revenue', 5)).toEqual([]);
    expect((await alice.store.knowledge.searchCompanySnippets(X, 'revenue', 5)).map((s) => s.title)).toEqual(['X revenue']);
    expect((await alice.client.from('company_knowledge').select('title')).data).toEqual([{ title: 'X revenue' }]);
    const [bobRequest] = await stack.query<{ id: string }>('SELECT id FROM llm_requests WHERE user_id = $1', [bob.id]);
    expect(await alice.store.requests.get(bobRequest!.id)).toBeUndefined();
    expect(await alice.store.feedback.forRequest(bobRequest!.id)).toEqual([]);
    expect((await alice.store.requests.listRecent(100)).every((r) => r.userId === alice.id)).toBe(true);

    // The ML lead of X reads X's requests and their feedback, not Y's.
    const [aliceRequest] = await stack.query<{ id: string }>('SELECT id FROM llm_requests WHERE user_id = $1 AND company_id IS NOT NULL', [alice.id]);
    expect((await lead.store.requests.get(aliceRequest!.id))?.companySlug).toBe(X);
    expect((await lead.store.feedback.forRequest(aliceRequest!.id)).map((f) => f.comment)).toEqual(['good']);
    expect(await lead.store.requests.get(bobRequest!.id)).toBeUndefined();
    expect(await lead.store.feedback.forRequest(bobRequest!.id)).toEqual([]);
    // Conversations stay private even from admins.
    expect((await admin.client.from('conversations').select('id')).data).toEqual([]);
    expect((await admin.store.feedback.forRequest(bobRequest!.id)).map((f) => f.comment)).toEqual(['bad']);
  });

  it("refuses a row in someone else's name, from anyone, admins included", async () => {
    const [aliceRequest] = await stack.query<{ id: string; conversation_id: string }>(
      'SELECT id, conversation_id FROM llm_requests WHERE user_id = $1 AND conversation_id IS NOT NULL',
      [alice.id],
    );
    const [bobRequest] = await stack.query<{ id: string }>('SELECT id FROM llm_requests WHERE user_id = $1', [bob.id]);
    const inAliceName: Record<string, Record<string, unknown> & { id: string }> = {
      conversations: { id: randomUUID(), user_id: alice.id, title: 'forged' },
      llm_requests: { id: randomUUID(), user_id: alice.id, status: 'ok', latency_ms: 1, created_at: new Date().toISOString(), completed_at: new Date().toISOString() },
      messages: { id: randomUUID(), conversation_id: aliceRequest!.conversation_id, role: 'user', content: 'forged' },
      feedback: { id: randomUUID(), request_id: bobRequest!.id, user_id: alice.id, thumbs: -1 },
      preferences: { id: randomUUID(), user_id: alice.id, prompt: 'forged', request_ids: [aliceRequest!.id, bobRequest!.id], verdict: 'tie' },
    };
    for (const forger of [bob, admin]) {
      for (const [table, row] of Object.entries(inAliceName)) {
        const { error } = await forger.client.from(table).insert(row);
        expect({ table, code: error?.code }).toEqual({ table, code: '42501' });
        expect(await groundTruth(table, { id: row.id })).toBeUndefined();
      }
    }
    // Through the app's own code: refused before it is sent (the request log) or by the database.
    const forged = makeEntry({ userId: alice.id });
    await expect(bob.store.requests.record(forged)).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining(forged.id) });
    const { error } = await bob.client.rpc('triad_record_requests', { p_conversations: [], p_entries: [{ id: forged.id, user_id: alice.id, status: 'ok', latency_ms: 1, created_at: forged.createdAt, completed_at: forged.completedAt }] });
    expect(error?.code).toBe('42501');
    await expectForbidden(() => bob.store.feedback.save({ requestId: bobRequest!.id, userId: alice.id, thumbs: 1, rating: null, comment: null, correctedAnswer: null }));
    await expectForbidden(() => bob.store.conversations.create({ userId: alice.id, title: 'forged' }));
    expect(await groundTruth('llm_requests', { id: forged.id })).toBeUndefined();
  });

  it('keeps an operator from raising their own role or joining a company', async () => {
    expect(await effectOf(bob.client.from('users').update({ role: 'admin' }).eq('id', bob.id).select())).toBe(0);
    const [x] = await stack.query<{ id: string }>('SELECT id FROM companies WHERE slug = $1', [X]);
    expect((await bob.client.from('user_company_access').insert({ user_id: bob.id, company_id: x!.id })).error?.code).toBe('42501');
    // Memberships are the admin's to write, even one the operator already has.
    await expectForbidden(() => bob.store.directory.grantCompanyAccess(bob.id, Y));
    expect(await stack.query('SELECT role FROM users WHERE id = $1', [bob.id])).toEqual([{ role: 'analyst' }]);
    expect((await bob.store.directory.getUserAccess(bob.id))?.companySlugs).toEqual([Y]);
  });
});
