import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serializeEntry } from '../../src-main/logging/request-log-disk-queue';
import { RequestLogWriter } from '../../src-main/logging/request-log-writer';
import { openStore } from '../../src-main/store/open-store';
import type { RequestLogEntry, TriadStore } from '../../src-main/store/repositories';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import {
  expectStored,
  gatedTarget,
  linesOnDisk,
  makeEntries,
  observedTarget,
  recordingLogger,
  rejectedRecords,
  tempQueueDir,
} from './request-log-writer-support';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const writers: RequestLogWriter[] = [];
const queueDirs: string[] = [];

afterEach(async () => {
  await Promise.all(writers.splice(0).map((w) => w.close()));
  for (const dir of queueDirs.splice(0)) rmSync(dirname(dir), { recursive: true, force: true });
  expect(unhandled).toEqual([]);
});

function newQueueDir(): string {
  const dir = tempQueueDir();
  queueDirs.push(dir);
  return dir;
}

function newWriter(options: Omit<ConstructorParameters<typeof RequestLogWriter>[0], 'logger'> & { logger?: ReturnType<typeof recordingLogger>['logger'] }) {
  const log = recordingLogger();
  const writer = new RequestLogWriter({ flushIntervalMs: 5, logger: log.logger, ...options });
  writers.push(writer);
  return { writer, lines: log.lines };
}

/** Each backend: a store that stays up, and a way to open a second one that the test can take down. */
const backends: Array<{ name: string; open(): Promise<TriadStore>; cleanUp(): Promise<void> }> = [
  { name: 'PGlite', open: () => openStore({ backend: 'pglite' }), cleanUp: async () => {} },
  (() => {
    let database: TestDatabase | undefined;
    return {
      name: 'PostgreSQL',
      async open() {
        database ??= await createTestDatabase();
        return openStore({ backend: 'postgres', connectionString: database.url });
      },
      cleanUp: async () => database?.drop(),
    };
  })(),
];

describe.each(backends)('RequestLogWriter on $name', (backend) => {
  let store: TriadStore;
  /** A store of its own, closed: every write to it fails as `store_unavailable`, as when the database is gone. */
  let downStore: TriadStore;
  let userId: string;

  beforeAll(async () => {
    [store, downStore] = await Promise.all([backend.open(), backend.open()]);
    await downStore.close();
    userId = (await store.directory.createUser({ displayName: 'Logger', role: 'analyst' })).id;
  });
  afterAll(async () => {
    await store?.close();
    await backend.cleanUp();
  });

  it('returns from record() at once, and after flush() the rows are there, written in order, each once', async () => {
    const observed = observedTarget(store.requests);
    const { writer } = newWriter({ target: observed.target, queueDir: newQueueDir(), maxBatch: 500 });
    const entries = makeEntries(1_200, { userId });

    for (const entry of entries) void writer.record(entry);

    // Nothing has waited for the database: every entry is still in memory and no write has started.
    expect(writer.stats()).toMatchObject({ pendingInMemory: 1_200, pendingOnDisk: 0, written: 0 });
    expect(observed.attempts()).toBe(0);

    await writer.flush();
    expect(observed.delivered).toEqual(entries.map((e) => e.id));
    expect(observed.attempts()).toBe(3);
    await expectStored(store, entries[0]!.conversationId!, entries);
    expect(await store.requests.get(entries[17]!.id)).toEqual(entries[17]);
    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 0, written: 1_200, dropped: 0, lastError: null });
    expect(writer.stats().lastSuccessAt).toBeInstanceOf(Date);
  });

  it('batches entries that trickle in while a write is under way, instead of writing them a few at a time', async () => {
    const observed = observedTarget(store.requests);
    const { writer } = newWriter({ target: observed.target, queueDir: newQueueDir(), maxBatch: 500, flushIntervalMs: 20 });
    const entries = makeEntries(300, { userId });
    // One entry every millisecond or so, like answers finishing under load, for about 0.3 s.
    for (const entry of entries) {
      void writer.record(entry);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await writer.flush();
    expect(observed.delivered).toEqual(entries.map((e) => e.id));
    // About one write per 20 ms batch window; writing greedily after each batch would take one per entry or two.
    expect(observed.attempts()).toBeLessThan(40);
  });

  it('delivers a burst of 5,000 entries whole', async () => {
    const { writer } = newWriter({ target: store.requests, queueDir: newQueueDir() });
    const entries = makeEntries(5_000, { userId });

    for (const entry of entries) void writer.record(entry);
    await writer.flush();

    await expectStored(store, entries[0]!.conversationId!, entries);
    expect(writer.stats()).toMatchObject({ written: 5_000, pendingInMemory: 0, pendingOnDisk: 0 });
  });

  it('keeps memory bounded while the store is slower than the requests: the rest waits on disk, then each entry is written once, in order', async () => {
    const gated = gatedTarget(store.requests);
    const queueDir = newQueueDir();
    const { writer } = newWriter({ target: gated.target, queueDir, maxBatch: 100, maxInMemory: 300, maxBacklogBatch: 400 });
    const entries = makeEntries(3_000, { userId });

    // Answers finishing under load: bursts of 50 a tick, while the store holds every write.
    let mostInMemory = 0;
    for (let i = 0; i < entries.length; i += 50) {
      for (const entry of entries.slice(i, i + 50)) void writer.record(entry);
      await new Promise((resolve) => setImmediate(resolve));
      mostInMemory = Math.max(mostInMemory, writer.stats().pendingInMemory);
    }

    // Never more than the bound plus the batch the store holds; the rest goes to disk, none is lost.
    expect(mostInMemory).toBeLessThan(300 + 100);
    await vi.waitFor(() => expect(writer.stats().spilled).toBeGreaterThan(2_500), { timeout: 10_000 });
    const stats = writer.stats();
    expect(stats.pendingInMemory + stats.pendingOnDisk).toBe(3_000);
    expect(linesOnDisk(queueDir)).toBe(stats.spilled);

    gated.open();
    await writer.flush();
    expect(gated.delivered).toEqual(entries.map((e) => e.id));
    await expectStored(store, entries[0]!.conversationId!, entries);
    // The backlog went in batches of the larger backlog size, not a memory batch's 100.
    expect(Math.max(...gated.batchSizes)).toBe(400);
    expect(gated.batchSizes.filter((size) => size === 400).length).toBeGreaterThanOrEqual(6);
    expect(linesOnDisk(queueDir)).toBe(0);
    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 0, written: 3_000, dropped: 0 });
  });

  it('replays entries spilled to disk after a restart, each once', async () => {
    const queueDir = newQueueDir();
    const gated = gatedTarget(store.requests);
    const first = newWriter({ target: gated.target, queueDir, maxBatch: 50, maxInMemory: 100, closeTimeoutMs: 200 }).writer;
    const entries = makeEntries(1_000, { userId });
    for (let i = 0; i < entries.length; i += 50) {
      for (const entry of entries.slice(i, i + 50)) void first.record(entry);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.waitFor(() => expect(first.stats().spilled).toBeGreaterThan(800), { timeout: 10_000 });
    // The app quits while the store still holds the first write: everything not confirmed stays on disk.
    await first.close();
    expect(linesOnDisk(queueDir)).toBe(1_000);

    const { writer: second } = newWriter({ target: store.requests, queueDir });
    await second.start();
    await second.flush();
    // The held write lands too when the gate opens: idempotent by id, so nothing is there twice.
    gated.open();
    await vi.waitFor(() => expect(gated.delivered.length).toBeGreaterThan(0));
    await expectStored(store, entries[0]!.conversationId!, entries);
    expect(second.stats()).toMatchObject({ pendingOnDisk: 0, written: 1_000 });
  });

  it('rejects a poisoned entry alone into the rejected file and writes the others', async () => {
    const queueDir = newQueueDir();
    const { writer, lines } = newWriter({ target: store.requests, queueDir });
    const entries = makeEntries(10, { userId });
    const negativeLatency = { ...entries[3]!, latencyMs: -1 };
    const unknownStatus = { ...entries[7]!, status: 'exploded' } as unknown as RequestLogEntry;
    const recorded = entries.map((e, i) => (i === 3 ? negativeLatency : i === 7 ? unknownStatus : e));

    for (const entry of recorded) void writer.record(entry);
    await writer.flush();

    const good = recorded.filter((e) => e !== negativeLatency && e !== unknownStatus);
    await expectStored(store, entries[0]!.conversationId!, good);
    const rejected = rejectedRecords(queueDir);
    expect(rejected.map((r) => r.entry?.id)).toEqual([negativeLatency.id, unknownStatus.id]);
    expect(rejected[0]!.reason).toMatch(/latencyMs/);
    expect(rejected[1]!.reason).toMatch(/status/);
    const reported = lines.filter((l) => l.level === 'error').map((l) => l.object.requestId);
    expect(reported).toEqual([negativeLatency.id, unknownStatus.id]);
    expect(writer.stats()).toMatchObject({ written: 8, rejected: 2, pendingInMemory: 0, pendingOnDisk: 0 });
  });

  it('queues entries on disk while the store is down and delivers them, in order, once it is back', async () => {
    const observed = observedTarget(downStore.requests);
    const queueDir = newQueueDir();
    const { writer, lines } = newWriter({ target: observed.target, queueDir });
    const entries = makeEntries(300, { userId });

    for (const entry of entries) void writer.record(entry);
    await expect(writer.flush()).rejects.toMatchObject({ code: 'store_unavailable', retryable: true });

    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 300, written: 0 });
    expect(writer.stats().lastError).toMatch(/unavailable|closed|pool/i);
    expect(linesOnDisk(queueDir)).toBe(300);
    expect(lines.filter((l) => l.level === 'warn' && /unavailable/.test(l.message ?? ''))).toHaveLength(1);

    observed.use(store.requests);
    const later = makeEntries(50, { userId, conversationId: entries[0]!.conversationId! });
    for (const entry of later) void writer.record(entry);
    await writer.flush();

    expect(observed.delivered).toEqual([...entries, ...later].map((e) => e.id));
    await expectStored(store, entries[0]!.conversationId!, [...entries, ...later]);
    expect(linesOnDisk(queueDir)).toBe(0);
    expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 0, written: 350 });
  });

  it('keeps on disk what close() could not deliver, and a writer started over the same folder delivers it', async () => {
    const queueDir = newQueueDir();
    const first = newWriter({ target: downStore.requests, queueDir, closeTimeoutMs: 500 }).writer;
    const entries = makeEntries(120, { userId });

    for (const entry of entries) void first.record(entry);
    await first.close();
    expect(first.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 120 });
    expect(linesOnDisk(queueDir)).toBe(120);

    // The app starts again: a new writer over the same folder replays what the last run left.
    const { writer: second } = newWriter({ target: store.requests, queueDir });
    await second.start();
    await second.flush();

    await expectStored(store, entries[0]!.conversationId!, entries);
    // Dates (and every other field) survive the trip through the disk queue.
    expect(await store.requests.get(entries[99]!.id)).toEqual(entries[99]);
    expect(second.stats()).toMatchObject({ pendingOnDisk: 0, written: 120 });
    expect(readdirSync(queueDir).filter((name) => name.startsWith('segment-'))).toEqual([]);
  });

  it('keeps an entry recorded after close() on disk for the next start', async () => {
    const queueDir = newQueueDir();
    const { writer } = newWriter({ target: store.requests, queueDir });
    await writer.close();
    const [late] = makeEntries(1, { userId });

    void writer.record(late!);
    expect(writer.stats().pendingOnDisk).toBe(1);

    const { writer: next } = newWriter({ target: store.requests, queueDir });
    await next.flush();
    await expectStored(store, late!.conversationId!, [late!]);
  });

  it('counts and loudly reports the entries that do not fit in a full disk queue', async () => {
    const entries = makeEntries(10, { userId });
    const lineBytes = Buffer.byteLength(`${serializeEntry(entries[0]!)}\n`);
    const { writer, lines } = newWriter({ target: downStore.requests, queueDir: newQueueDir(), maxQueueBytes: lineBytes * 3 + 10 });

    for (const entry of entries) void writer.record(entry);
    await expect(writer.flush()).rejects.toMatchObject({ code: 'store_unavailable' });

    expect(writer.stats()).toMatchObject({ pendingOnDisk: 3, pendingInMemory: 0, dropped: 7 });
    const report = lines.find((l) => l.level === 'error' && /DROPPED/.test(l.message ?? ''));
    expect(report?.object).toMatchObject({ dropped: 7, droppedTotal: 7 });
  });

  it('moves an unreadable line (a crash mid-append) to the rejected file and delivers the rest', async () => {
    const queueDir = newQueueDir();
    const first = newWriter({ target: downStore.requests, queueDir, closeTimeoutMs: 500 }).writer;
    const entries = makeEntries(5, { userId });
    for (const entry of entries) void first.record(entry);
    await first.close();
    const [segment] = readdirSync(queueDir).filter((name) => name.startsWith('segment-'));
    appendFileSync(join(queueDir, segment!), '{"id":"cut-short-by-a-cra');

    const { writer: second, lines } = newWriter({ target: store.requests, queueDir });
    await second.flush();

    await expectStored(store, entries[0]!.conversationId!, entries);
    expect(rejectedRecords(queueDir)).toEqual([expect.objectContaining({ line: '{"id":"cut-short-by-a-cra', reason: expect.stringMatching(/line 6/) })]);
    expect(lines.some((l) => l.level === 'error' && /unreadable/.test(l.message ?? ''))).toBe(true);
    expect(second.stats()).toMatchObject({ pendingOnDisk: 0, written: 5, rejected: 1 });
  });

  it('stops retrying and leaves no timer behind once closed', async () => {
    // Only the timer functions are faked: the writer's timers become countable, file and database I/O stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const observed = observedTarget(downStore.requests);
      const { writer } = newWriter({ target: observed.target, queueDir: newQueueDir(), closeTimeoutMs: 200 });
      const [first, ...others] = makeEntries(21, { userId });
      for (const entry of others) void writer.record(entry);
      expect(vi.getTimerCount()).toBe(1);
      await expect(writer.flush()).rejects.toMatchObject({ code: 'store_unavailable' });
      // The retry after the failure.
      expect(vi.getTimerCount()).toBe(1);

      await writer.close();
      expect(vi.getTimerCount()).toBe(0);
      const attemptsAtClose = observed.attempts();
      void writer.record(first!);
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(observed.attempts()).toBe(attemptsAtClose);
      expect(writer.stats()).toMatchObject({ pendingInMemory: 0, pendingOnDisk: 21 });
    } finally {
      vi.useRealTimers();
    }
  });
});
