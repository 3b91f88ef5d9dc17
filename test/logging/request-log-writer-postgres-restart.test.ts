import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RequestLogWriter } from '../../src-main/logging/request-log-writer';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server';
import { expectStored, flushUntilDelivered, linesOnDisk, makeEntries, observedTarget, recordingLogger, tempQueueDir } from './request-log-writer-support';


// A PostgreSQL server of this file's own: stopping the suite's shared server would break the other files.
let server: PostgresServer;
let store: TriadStore;
let userId: string;
let queueDir: string;
let writer: RequestLogWriter | undefined;

beforeAll(async () => {
  server = await startPostgresServer();
  store = await openStore({ backend: 'postgres', connectionString: server.url });
  userId = (await store.directory.createUser({ displayName: 'Logger', role: 'analyst' })).id;
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
});
afterEach(async () => {
  await server.restart();
  await writer?.close();
  rmSync(dirname(queueDir), { recursive: true, force: true });
});

function newWriter(maxBatch: number) {
  queueDir = tempQueueDir();
  const observed = observedTarget(store.requests);
  const log = recordingLogger();
  writer = new RequestLogWriter({ target: observed.target, queueDir, maxBatch, flushIntervalMs: 5, logger: log.logger });
  return { writer, observed, lines: log.lines };
}

describe('RequestLogWriter when the PostgreSQL server stops and starts again', () => {
  it('queues what is recorded while the server is down on disk, then writes exactly those rows once it is back', async () => {
    const { writer, lines } = newWriter(100);
    const before = makeEntries(200, { userId });
    const conversationId = before[0]!.conversationId!;
    for (const entry of before) void writer.record(entry);
    await writer.flush();

    await server.shutDown('immediate');
    const during = makeEntries(300, { userId, conversationId });
    for (const entry of during) void writer.record(entry);
    await expect(writer.flush()).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 300 });
    expect(linesOnDisk(queueDir)).toBe(300);
    expect(lines.some((l) => l.level === 'warn' && /unavailable/.test(l.message ?? ''))).toBe(true);

    await server.restart();
    await flushUntilDelivered(writer);

    await expectStored(store, conversationId, [...before, ...during]);
    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 0, dropped: 0 });
    expect(linesOnDisk(queueDir)).toBe(0);
  });

  it('loses nothing and duplicates nothing when the server dies in the middle of a burst', async () => {
    const { writer, observed } = newWriter(50);
    const entries = makeEntries(3_000, { userId });
    for (const entry of entries) void writer.record(entry);

    // Kill the server while batches are being written, so that some die mid-transaction (or mid-commit).
    while (observed.delivered.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await server.shutDown('immediate');
    const failures = await writer.flush().then(() => 0, () => 1);
    expect(failures).toBe(1);
    expect(writer.stats().pendingOnDisk).toBeGreaterThan(0);

    await server.restart();
    await flushUntilDelivered(writer);

    await expectStored(store, entries[0]!.conversationId!, entries);
    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 0 });
  });

  it('after close() with the server down, a new writer delivers the entries once the server is back', async () => {
    const { writer: first } = newWriter(100);
    await server.shutDown('fast');
    const entries = makeEntries(150, { userId });
    for (const entry of entries) void first.record(entry);
    await first.close();
    expect(first.stats().pendingOnDisk).toBe(150);

    await server.restart();
    const second = new RequestLogWriter({ target: store.requests, queueDir, logger: recordingLogger().logger });
    try {
      await flushUntilDelivered(second);
      await expectStored(store, entries[0]!.conversationId!, entries);
    } finally {
      await second.close();
    }
  });
});
