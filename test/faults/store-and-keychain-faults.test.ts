import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StreamPart } from '../../src-shared/stream-parts';
import { openStore } from '../../src-main/store/open-store';
import { KeychainSecretStore } from '../../src-main/secrets/keychain-secret-store';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Faults of Triad's own parts: the store going away mid-burst and coming back, and a keychain that cannot be
 * reached. Requests keep being answered, nothing is lost, nothing is logged twice, no rejection is unhandled.
 */
let server: PostgresServer;
let upstream: OpenAiCompatibleServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startPostgresServer();
  upstream = await startOpenAiCompatibleServer();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await upstream?.close();
  await server?.stop();
});

async function ask(app: TestApp, prompt: string): Promise<{ parts: StreamPart[]; requestId: string }> {
  const requestId = randomUUID();
  const parts: StreamPart[] = [];
  const input = { requestId, messages: [{ role: 'user', content: prompt }], context: { userId: app.localOperator.id }, params: { maxTokens: 4 }, cache: 'bypass' };
  for await (const part of app.facade.stream(input)) parts.push(part);
  return { parts, requestId };
}

it('keeps answering while PostgreSQL is down, and logs every request exactly once when it is back, across a restart of the app', async () => {
  const queueDir = mkdtempSync(join(tmpdir(), 'triad-queue-'));
  const store = { backend: 'postgres' as const, connectionString: server.url };
  const app = await createTestApp({ store, requestLogQueueDir: queueDir });
  const ids: string[] = [];
  try {
    for (let i = 0; i < 5; i++) ids.push((await ask(app, `before ${i}`)).requestId);
    await server.shutDown('immediate');
    for (let i = 0; i < 10; i++) {
      const { parts, requestId } = await ask(app, `during ${i}`);
      ids.push(requestId);
      expect(parts.at(-1)!.type, JSON.stringify(parts.at(-1))).toBe('finish');
    }
    expect((await app.requestLog.stats()).pendingOnDisk).toBeGreaterThan(0);
  } finally {
    // The app quits while the store is still down: what it could not write stays on disk.
    await app.close();
  }
  await server.restart();
  const restarted = await createTestApp({ store, requestLogQueueDir: queueDir });
  try {
    await restarted.requestLog.flush();
    const check = await openStore(store);
    const logged = (await check.requests.listRecent(1_000)).filter((r) => ids.includes(r.id));
    await check.close();
    expect(logged).toHaveLength(ids.length);
    expect(new Set(logged.map((r) => r.id)).size).toBe(ids.length);
    expect(logged.every((r) => r.status === 'ok')).toBe(true);
  } finally {
    await restarted.close();
  }
});

it('still calls the Space, without a token, when the keychain cannot be reached (a public Space needs none)', async () => {
  const app = await createTestApp({
    env: { TRIAD_PROVIDER: 'huggingface' },
    secrets: (redactor) =>
      new KeychainSecretStore({
        redactor,
        loadKeytar: () => {
          throw Object.assign(new Error("Cannot find module 'keytar'"), { code: 'MODULE_NOT_FOUND' });
        },
      }),
  });
  try {
    await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: upstream.url, isActive: true, modelVersion: 'v1' });
    const { parts, requestId } = await ask(app, 'hello');
    const last = parts.at(-1)!;
    expect(last.type).toBe('finish');
    const metadata = (last as Extract<StreamPart, { type: 'finish' }>).metadata;
    expect(metadata.provider).toBe('huggingface');
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.headers.authorization).toBeUndefined();
    await app.requestLog.flush();
    expect((await app.store.requests.listRecent(100)).filter((r) => r.id === requestId)).toHaveLength(1);
  } finally {
    await app.close();
  }
});

it('left no unhandled rejection behind', () => {
  expect(unhandled).toEqual([]);
});
