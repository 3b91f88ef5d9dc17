/**
 * `npx tsx scripts/bench/team-log-bench.ts [--quick]`: request-log write throughput in team mode. Prints a
 * markdown table of rows/s for the same entries written
 *  1. through the Supabase adapter: supabase-js → the local gateway → PostgREST 12 → triad_record_requests
 *     under row-level security, as a signed-in analyst (the team-mode path);
 *  2. through the same function over a direct PostgreSQL connection as that analyst, with row-level security
 *     and no HTTP: what PostgREST and the network add is the difference to 1;
 *  3. through the SQL store on a direct PostgreSQL connection as the table owner (the `postgres` backend);
 * each with recordMany batches of 1, 100, 500 and 2,000 entries, and with the app's RequestLogWriter (its
 * default batches of up to 500). Every entry has a prompt and an answer; one in ten starts a conversation.
 * Not a test: it asserts nothing, it measures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { RequestLogWriter } from '../../src-main/logging/request-log-writer';
import { openStore } from '../../src-main/store/open-store';
import type { RequestLogEntry, RequestLogRepository } from '../../src-main/store/repositories';
import { toConversationRow, toJsonRow } from '../../src-main/store/sql/request-log-rows';
import { startTeamStack } from '../../test/support/team-stack/team-stack';
import { ms, percentile } from './measure';

const quick = process.argv.includes('--quick');
const BATCH_SIZES = [1, 100, 500, 2000];
/** Rows written per measurement, by batch size: enough batches for a stable rate, bounded in time. */
const rowsFor = (batch: number) => (quick ? Math.max(batch * 3, 200) : batch === 1 ? 1_000 : Math.max(batch * 10, 10_000));

function entry(userId: string, conversationId: string | null): RequestLogEntry {
  const now = new Date();
  return {
    id: randomUUID(), conversationId, userId, companySlug: null, requestedTier: 'auto', tier: 'base', provider: 'huggingface',
    modelId: 'bench/triad-base', modelVersion: 'v1', routingReason: 'general question, no company context', status: 'ok',
    errorCode: null, errorMessage: null, finishReason: 'stop', ttftMs: 3.2, latencyMs: 4.1, tokensIn: 12, tokensOut: 5,
    createdAt: now, completedAt: now,
    prompt: { id: randomUUID(), content: 'Say hello to the team '.repeat(20) },
    answer: { id: randomUUID(), content: 'The quick brown fox jumps '.repeat(40) },
    routeAttempts: [{ target: 'Space bench/triad-base', provider: 'huggingface', outcome: 'served', reason: 'answered', tries: 1 }],
    cacheHit: false,
  };
}

function entries(userId: string, count: number): RequestLogEntry[] {
  let conversationId = randomUUID();
  return Array.from({ length: count }, (_, i) => {
    if (i % 10 === 0) conversationId = randomUUID();
    return entry(userId, conversationId);
  });
}

type Target = Pick<RequestLogRepository, 'recordMany'>;

/** One table row: `rows` entries in sequential recordMany calls of `batch`, after one untimed batch. */
async function measureBatches(path: string, target: Target, userId: string, batch: number): Promise<string> {
  await target.recordMany(entries(userId, batch));
  const total = rowsFor(batch);
  const samples: number[] = [];
  const begin = performance.now();
  for (let written = 0; written < total; written += batch) {
    const chunk = entries(userId, Math.min(batch, total - written));
    const t0 = performance.now();
    await target.recordMany(chunk);
    samples.push(performance.now() - t0);
  }
  const seconds = (performance.now() - begin) / 1000;
  samples.sort((a, b) => a - b);
  return `| ${path} | ${batch.toLocaleString('en')} | ${total.toLocaleString('en')} | ${(total / seconds).toFixed(0)} | ${ms(percentile(samples, 50))} |`;
}

/** A burst through the app's batched, durable writer. */
async function measureWriter(path: string, target: Target, userId: string): Promise<string> {
  const total = quick ? 2_000 : 20_000;
  const writer = new RequestLogWriter({ target, queueDir: mkdtempSync(join(tmpdir(), 'triad-team-bench-')), logger: console });
  const burst = entries(userId, total);
  const t0 = performance.now();
  for (const item of burst) void writer.record(item);
  await writer.flush();
  const seconds = (performance.now() - t0) / 1000;
  await writer.close();
  return `| ${path} | writer (≤ 500) | ${total.toLocaleString('en')} | ${(total / seconds).toFixed(0)} | n/a |`;
}

/** triad_record_requests over one PostgreSQL connection, as the analyst with row-level security, no HTTP. */
async function functionOverPostgres(postgresUrl: string, userId: string): Promise<Target & { close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query('SET ROLE authenticated');
  await client.query("SELECT set_config('request.jwt.claims', $1, false)", [JSON.stringify({ sub: userId, role: 'authenticated' })]);
  return {
    async recordMany(batch) {
      for (let start = 0; start < batch.length; start += 500) {
        const chunk = batch.slice(start, start + 500);
        await client.query('SELECT triad_record_requests($1::json, $2::json)', [
          JSON.stringify(chunk.filter((e) => e.conversationId !== null).map(toConversationRow)),
          JSON.stringify(chunk.map(toJsonRow)),
        ]);
      }
    },
    close: () => client.end(),
  };
}

const stack = await startTeamStack();
try {
  const analyst = await stack.createOperator({ role: 'analyst' });
  const client = await stack.signIn(analyst);
  const team = await openStore({ backend: 'supabase', url: stack.url, client });
  const direct = await openStore({ backend: 'postgres', connectionString: stack.postgresUrl });
  const rls = await functionOverPostgres(stack.postgresUrl, analyst.id);
  const paths: Array<[string, Target]> = [
    ['Supabase adapter → PostgREST 12 (RLS)', team.requests],
    ['same function, direct PostgreSQL (RLS)', rls],
    ['SQL store, direct PostgreSQL (owner)', direct.requests],
  ];
  const lines = [
    `Request-log writes, team mode (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, PostgreSQL 15 and PostgREST 12 on loopback${quick ? ', --quick' : ''}):`,
    '',
    '| path | entries per call | rows | rows/s | p50 ms per call |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [path, target] of paths) {
    for (const batch of BATCH_SIZES) lines.push(await measureBatches(path, target, analyst.id, batch));
    lines.push(await measureWriter(path, target, analyst.id));
  }
  console.log(lines.join('\n'));
  await Promise.all([team.close(), direct.close(), rls.close()]);
} finally {
  await stack.stop();
}
