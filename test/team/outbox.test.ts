import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestApp } from '../support/test-app';
import { createTestApp } from '../support/test-app';
import { makeEntry } from '../store/support';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { dataFolder, signedInApp, TEST_TEAM_TIMING } from './support';

// The offline outbox end to end: the real request-log writer, the team store, PGlite on disk, the keychain,
// supabase-js, PostgREST and PostgreSQL; the ground truth is PostgreSQL queried as its superuser.

let stack: TeamStack;
let operator: TeamOperator;
const apps: TestApp[] = [];

beforeAll(async () => {
  stack = await startTeamStack();
  operator = await stack.createOperator({ role: 'analyst', companies: [`o-${randomUUID().slice(0, 6)}`] });
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await stack?.resume();
  await stack?.stop();
});

async function rowsOf(ids: string[]): Promise<{ requests: number; distinct: number; mine: number; messages: number }> {
  const [row] = await stack.query<{ requests: string; distinct: string; mine: string }>(
    `SELECT count(*) AS requests, count(DISTINCT id) AS distinct, count(*) FILTER (WHERE user_id = $2) AS mine
       FROM llm_requests WHERE id = ANY($1::uuid[])`,
    [ids, operator.id],
  );
  const [messages] = await stack.query<{ count: string }>('SELECT count(*) FROM messages WHERE request_id = ANY($1::uuid[])', [ids]);
  return { requests: Number(row!.requests), distinct: Number(row!.distinct), mine: Number(row!.mine), messages: Number(messages!.count) };
}

describe('the offline outbox', () => {
  it('delivers exactly 1,000 request-log entries, once each, when Supabase goes away mid-burst and the app restarts before it is back', async () => {
    const dataDir = dataFolder();
    const keychainService = `triad-test-${randomUUID()}`;
    const first = await signedInApp(stack, operator, { dataDir, keychainService });
    apps.push(first);

    const conversationId = randomUUID();
    const start = Date.now();
    const entries = Array.from({ length: 1_000 }, (_, i) =>
      makeEntry({ userId: operator.id, conversationId, createdAt: new Date(start + i), prompt: { id: randomUUID(), content: `question ${i}` } }),
    );
    const ids = entries.map((e) => e.id);
    for (const entry of entries.slice(0, 300)) await first.requestLog.record(entry);
    // Some of the burst has reached Supabase…
    await vi.waitFor(async () => expect((await rowsOf(ids)).requests).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    // …when it goes away, while the rest is being written.
    const paused = stack.pause();
    for (const entry of entries.slice(300)) await first.requestLog.record(entry);
    await paused;
    await first.requestLog.flush();

    const offline = await first.team.view();
    expect(offline.session?.userId).toBe(operator.id);
    expect(offline.sync.pending).toBeGreaterThan(0);
    await vi.waitFor(async () => expect((await first.team.view()).sync).toMatchObject({ state: 'offline', lastError: expect.stringContaining(stack.url) }), {
      timeout: 10_000,
    });
    const arrivedBeforeRestart = (await rowsOf(ids)).requests;
    expect(arrivedBeforeRestart).toBeLessThan(1_000);
    await first.close();
    apps.pop();

    // The app starts again, still offline: the session comes back from the keychain, the outbox from disk.
    const second = await createTestApp({ dataDir, keychainService, team: TEST_TEAM_TIMING });
    apps.push(second);
    const restarted = await second.team.view();
    expect(restarted.session).toMatchObject({ userId: operator.id, email: operator.email });
    expect(restarted.sync.pending).toBe(1_000 - arrivedBeforeRestart);

    await stack.resume();
    await vi.waitFor(async () => expect(await rowsOf(ids)).toEqual({ requests: 1_000, distinct: 1_000, mine: 1_000, messages: 2_000 }), {
      timeout: 20_000,
      interval: 200,
    });
    await vi.waitFor(async () => expect((await second.team.view()).sync).toMatchObject({ state: 'online', pending: 0, lastError: null }), { timeout: 5_000 });
    const [conversation] = await stack.query<{ user_id: string }>('SELECT user_id FROM conversations WHERE id = $1', [conversationId]);
    expect(conversation?.user_id).toBe(operator.id);
    // Its waits above add up to 45 s: the test's own limit must not be shorter than them. Alone it takes ~10 s;
    // in a full run on a loaded 2-core machine it once passed 30 s, the default limit, while every wait still held.
  }, 60_000);
});
