import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StreamPart } from '../../src-shared/stream-parts';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The proof the foundation issue asks for: with real keys in the real keychain, and an upstream that echoes
 * them back in its error bodies and answers, no key reaches a log line, a database row or an error message.
 */
const HF_TOKEN = `hf_${'Leak'.repeat(5)}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const OPENAI_KEY = `sk-proj-${randomUUID().replaceAll('-', '')}`;
const KEYS = [HF_TOKEN, OPENAI_KEY];

let database: TestDatabase;
let app: TestApp;
let upstream: OpenAiCompatibleServer;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp({ store: { backend: 'postgres', connectionString: database.url } });
  upstream = await startOpenAiCompatibleServer();
  await app.secrets.set('huggingface-token', HF_TOKEN);
  await app.secrets.set('openai-api-key', OPENAI_KEY);
  await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: upstream.url, isActive: true, modelVersion: 'v1' });
  await app.settings.set('openai', { baseUrl: `${upstream.url}/v1` });
});
afterAll(async () => {
  await upstream?.close();
  await app?.close();
  await database?.drop();
});

async function run(prompt: string): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  const input = { messages: [{ role: 'user', content: prompt }], context: { userId: app.localOperator.id }, params: { maxTokens: 8 } };
  for await (const part of app.facade.stream(input)) parts.push(part);
  return parts;
}

async function everyRow(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const dumps = await Promise.all(tables.rows.map(async ({ table_name }) => JSON.stringify((await client.query(`SELECT * FROM "${table_name}"`)).rows)));
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

it('keeps the keys out of logs, rows and error messages, whatever the upstream and the user send', async () => {
  const errors: string[] = [];
  for (const provider of ['huggingface', 'openai'] as const) {
    await app.flags.set('provider', provider);
    const key = provider === 'huggingface' ? HF_TOKEN : OPENAI_KEY;
    // A chatty upstream: error bodies that quote the Authorization header, and an answer that repeats the key.
    upstream.reply({ kind: 'status', status: 401, body: { error: { message: `bad credentials: Bearer ${key}` } } });
    errors.push(JSON.stringify(await run('hello')));
    upstream.reply({ kind: 'status', status: 500, body: `internal error while using ${key}` });
    errors.push(JSON.stringify(await run('hello again')));
    upstream.reply({ kind: 'stream', chunks: [`your key is ${key}`] });
    await run(`please remember my key ${key}`);
  }
  // The upstream really did receive the keys: the test is not passing because nothing was sent.
  expect(upstream.requests.map((r) => r.headers.authorization)).toEqual(expect.arrayContaining([`Bearer ${HF_TOKEN}`, `Bearer ${OPENAI_KEY}`]));
  expect(errors.join()).toContain('401');

  app.logger.info({ headers: { authorization: `Bearer ${HF_TOKEN}` } }, `logging ${OPENAI_KEY} on purpose`);
  await app.requestLog.flush();
  const rows = await everyRow();
  expect(rows).toContain('please remember my key');
  for (const key of KEYS) {
    expect(errors.join('\n')).not.toContain(key);
    expect(rows).not.toContain(key);
    expect(app.logText()).not.toContain(key);
  }
  const status = JSON.stringify(await app.secrets.status());
  for (const key of KEYS) expect(status).not.toContain(key);
});
