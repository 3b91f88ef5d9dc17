import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TeamView } from '../../src-shared/ipc-contract';
import type { StreamPart } from '../../src-shared/stream-parts';
import { openSupabaseStore } from '../../src-main/store/supabase/supabase-store';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { createTestApp, type TestApp } from '../support/test-app';
import { apiClient, type ApiClient } from './api-client';
import { synced, TEST_TEAM_TIMING } from './support';

// The API in team mode, as the renderer uses it: it acts as the signed-in operator, row-level security decides
// what the selector may use, and reading and answering go on from the local copy while Supabase is away.

let stack: TeamStack;
let analyst: TeamOperator;
const X = `x-${randomUUID().slice(0, 6)}`;
const Y = `y-${randomUUID().slice(0, 6)}`;
let app: TestApp;
let client: ApiClient;
/** The analyst's first conversation and answer, from the first test. */
let first: { conversationId: string; requestId: string };

beforeAll(async () => {
  stack = await startTeamStack();
  [analyst] = await Promise.all([stack.createOperator({ role: 'analyst', companies: [X], displayName: 'Ana Analyst' }), stack.createOperator({ role: 'analyst', companies: [Y] })]);
  app = await createTestApp({ team: TEST_TEAM_TIMING });
  client = apiClient(app);
  await client.call('team.configure', { mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
  await client.call('team.signIn', { email: analyst.email, password: analyst.password });
}, 60_000);

afterAll(async () => {
  client?.close();
  await app?.close();
  await stack?.resume();
  await stack?.stop();
});

async function chat(input: Parameters<ApiClient['call']>[1] & object, on: ApiClient = client): Promise<{ requestId: string; conversationId: string; parts: StreamPart[] }> {
  const started = await on.call('chat.start', { params: { maxTokens: 8 }, ...(input as { prompt: string }) });
  return { ...started, parts: await on.streamed(started.streamId) };
}

function metadataOf(parts: StreamPart[]): Extract<StreamPart, { type: 'response-metadata' }> {
  const metadata = parts.find((p) => p.type === 'response-metadata');
  if (!metadata) throw new Error(`no response-metadata in ${JSON.stringify(parts)}`);
  return metadata;
}

async function companyId(slug: string): Promise<string> {
  return (await stack.query<{ id: string }>('SELECT id FROM companies WHERE slug = $1', [slug]))[0]!.id;
}

describe('the API in team mode', () => {
  it("acts as the signed-in operator: the rows in Supabase are theirs, and their companies under row-level security drive the selector", async () => {
    const settings = await client.call('settings.get', {});
    expect(settings.user).toEqual({ id: analyst.id, displayName: 'Ana Analyst', role: 'analyst' });
    expect(settings.companies.map((c) => c.slug)).toEqual([X]);

    const answered = await chat({ prompt: 'How are sales going?', company: X });
    expect(metadataOf(answered.parts)).toMatchObject({ tier: 'company', routingReason: expect.stringContaining(`company context '${X}' and user has access`) });
    expect(answered.parts.at(-1)?.type).toBe('finish');
    await client.call('feedback.save', { requestId: answered.requestId, thumbs: 1, rating: 4, comment: 'useful', correctedAnswer: null });
    first = answered;
    await synced(app);

    expect(await stack.query('SELECT user_id, company_id, tier, status FROM llm_requests WHERE id = $1', [answered.requestId])).toEqual([
      { user_id: analyst.id, company_id: await companyId(X), tier: 'company', status: 'ok' },
    ]);
    expect(await stack.query('SELECT user_id, company_id FROM conversations WHERE id = $1', [answered.conversationId])).toEqual([{ user_id: analyst.id, company_id: await companyId(X) }]);
    expect(await stack.query('SELECT role FROM messages WHERE request_id = $1 ORDER BY role DESC', [answered.requestId])).toEqual([{ role: 'user' }, { role: 'assistant' }]);
    expect(await stack.query('SELECT user_id, thumbs, rating, comment FROM feedback WHERE request_id = $1', [answered.requestId])).toEqual([
      { user_id: analyst.id, thumbs: 1, rating: 4, comment: 'useful' },
    ]);

    // Company Y exists, but not for this analyst: no Company tier for it, whatever is asked.
    const compared = await client.call('compare.start', { prompt: 'And for them?', tiers: ['company', 'base'], company: Y, params: { maxTokens: 8 } });
    for (const column of compared.columns) {
      const parts = await client.streamed(column.streamId);
      expect(parts.some((p) => p.type === 'response-metadata' && p.tier === 'company')).toBe(false);
      expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'validation_failed', message: expect.stringContaining(`unknown company '${Y}'`) } });
    }
    expect(await client.refusal('chat.start', { prompt: 'About Y', tier: 'company', company: Y })).toMatchObject({ code: 'validation_failed' });
    expect(await client.refusal('settings.setCompanyContext', { company: Y })).toMatchObject({ code: 'forbidden' });
    // The company context is this operator's own, kept on this computer: an analyst may set it.
    expect((await client.call('settings.setCompanyContext', { company: X })).companyContext).toBe(X);
    expect(metadataOf((await chat({ prompt: 'And the margins?' })).parts).tier).toBe('company');
    // The team's configuration is an admin's: Supabase refuses an analyst's change.
    expect(await client.refusal('settings.saveOpenAi', { model: 'gpt-4.1' })).toMatchObject({ code: 'forbidden' });

    await synced(app);
    const rejected = await stack.query<{ user_id: string; status: string }>('SELECT user_id, status FROM llm_requests WHERE id = ANY($1::uuid[])', [
      compared.columns.map((c) => c.requestId),
    ]);
    expect(rejected).toEqual([
      { user_id: analyst.id, status: 'rejected' },
      { user_id: analyst.id, status: 'rejected' },
    ]);
  });

  it('reads from the local copy while Supabase is away, keeps answering, and sends what was written once it is back', async () => {
    // A conversation the same operator had on another computer: read here once, online.
    const elsewhere = await createTestApp({ team: TEST_TEAM_TIMING });
    const other = apiClient(elsewhere);
    let remote: { conversationId: string; requestId: string };
    try {
      await other.call('team.configure', { mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
      await other.call('team.signIn', { email: analyst.email, password: analyst.password });
      remote = await chat({ prompt: 'Asked on the laptop', company: X }, other);
      await other.call('feedback.save', { requestId: remote.requestId, thumbs: -1, rating: null, comment: 'from the laptop', correctedAnswer: null });
      await synced(elsewhere);
    } finally {
      other.close();
      await elsewhere.close();
    }
    expect((await client.call('conversations.list', {})).map((c) => c.id)).toContain(remote.conversationId);
    expect(await client.call('conversations.transcript', { conversationId: remote.conversationId })).toHaveLength(2);

    const before = await client.call('conversations.list', {});
    const firstTurns = await client.call('conversations.transcript', { conversationId: first.conversationId });
    await stack.pause();
    const events = client.teamEvents.length;

    // Offline: the same list and transcripts, from the local copy.
    expect(await client.call('conversations.list', {})).toEqual(before);
    expect(await client.call('conversations.transcript', { conversationId: first.conversationId })).toEqual(firstTurns);
    const laptop = await client.call('conversations.transcript', { conversationId: remote.conversationId });
    expect(laptop.map((t) => [t.role, t.content])).toEqual([
      ['user', 'Asked on the laptop'],
      ['assistant', expect.any(String)],
    ]);
    expect(laptop[1]!.feedback).toMatchObject({ thumbs: -1, comment: 'from the laptop' });
    await vi.waitFor(async () => expect((await client.call('team.get', {})).sync).toMatchObject({ state: 'offline', lastError: expect.stringContaining(stack.url) }));
    await vi.waitFor(() => expect(client.teamEvents.slice(events).some((e: TeamView) => e.sync.state === 'offline')).toBe(true));

    // The facade answers from the local model, routing on the directory, flags and settings it read last.
    const offline = await chat({ conversationId: first.conversationId, prompt: 'Still there?', company: X });
    expect(metadataOf(offline.parts)).toMatchObject({ tier: 'company', requestId: offline.requestId });
    expect(offline.parts.at(-1)?.type).toBe('finish');
    await client.call('feedback.save', { requestId: offline.requestId, thumbs: 1, rating: 5, comment: 'offline', correctedAnswer: null });
    expect((await client.call('conversations.transcript', { conversationId: first.conversationId })).map((t) => t.content).slice(2, 3)).toEqual(['Still there?']);
    expect((await client.call('team.get', {})).sync.pending).toBe(2);
    // Changing the team's configuration needs Supabase.
    expect(await client.refusal('settings.setFlag', { key: 'tier.base.enabled', value: false })).toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining('changed online only'),
    });
    expect(await stack.query('SELECT 1 FROM llm_requests WHERE id = $1', [offline.requestId])).toEqual([]);

    await stack.resume();
    await synced(app);
    expect(await stack.query('SELECT user_id, conversation_id FROM llm_requests WHERE id = $1', [offline.requestId])).toEqual([
      { user_id: analyst.id, conversation_id: first.conversationId },
    ]);
    expect(await stack.query('SELECT count(*)::int AS messages FROM messages WHERE conversation_id = $1', [first.conversationId])).toEqual([{ messages: 4 }]);
    expect(await stack.query('SELECT comment FROM feedback WHERE request_id = $1', [offline.requestId])).toEqual([{ comment: 'offline' }]);
  });

  it('replays feedback by its time: the later edit wins, an older or repeated one changes nothing', async () => {
    const signedIn = await stack.signIn(analyst);
    const store = await openSupabaseStore({ url: stack.url, client: signedIn });
    const [row] = await stack.query<{ id: string; created_at: Date; updated_at: Date }>('SELECT id, created_at, updated_at FROM feedback WHERE request_id = $1', [first.requestId]);
    const edit = { id: row!.id, requestId: first.requestId, userId: analyst.id, rating: null, correctedAnswer: null, createdAt: row!.created_at };
    const later = new Date(row!.updated_at.getTime() + 60_000);
    await store.sync.putFeedback({ ...edit, thumbs: -1, comment: 'later edit', updatedAt: later });
    await store.sync.putFeedback({ ...edit, thumbs: 1, comment: 'older edit', updatedAt: new Date(later.getTime() - 1_000) });
    await store.sync.putFeedback({ ...edit, thumbs: -1, comment: 'later edit', updatedAt: later });
    expect(await stack.query('SELECT thumbs, comment, updated_at FROM feedback WHERE request_id = $1', [first.requestId])).toEqual([
      { thumbs: -1, comment: 'later edit', updated_at: later },
    ]);
    await store.close();
  });

  it('sets aside, with its reason, a write Supabase refuses for good, and keeps sending the others', async () => {
    const refused = await chat({ prompt: 'Soon purged', company: X });
    await synced(app);
    // An admin purges the request; feedback on it can no longer be stored there.
    await stack.query('DELETE FROM llm_requests WHERE id = $1', [refused.requestId]);
    await client.call('feedback.save', { requestId: refused.requestId, thumbs: -1, rating: null, comment: 'too late', correctedAnswer: null });
    const after = await chat({ prompt: 'Next question', company: X });
    await app.requestLog.flush();
    await vi.waitFor(
      async () => expect((await client.call('team.get', {})).sync).toMatchObject({ pending: 0, lastError: expect.stringMatching(/^1 write was refused by Supabase and set aside: .*feedback/) }),
      { timeout: 10_000 },
    );
    expect(await stack.query('SELECT 1 AS found FROM llm_requests WHERE id = $1', [after.requestId])).toEqual([{ found: 1 }]);
    expect(app.logText()).toContain('set aside');
  });
});
