import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostedRequestLog, type RequestLog } from '../../src-main/logging/request-log';
import { openSqlStore, type SqlStore } from '../../src-main/store/open-store';
import type { RequestLogEntry } from '../../src-main/store/repositories';
import { makeEntry } from '../store/support';

const quietLogger = { warn: () => undefined, error: () => undefined };

describe('the embedded store’s request log, written in the PGlite worker', () => {
  let opened: SqlStore | undefined;
  afterEach(async () => {
    await opened?.store.close().catch(() => undefined);
    opened = undefined;
  });

  async function openWithHostedLog(fallback: Pick<RequestLog, 'record'>) {
    opened = await openSqlStore({ backend: 'pglite' });
    const queueDir = mkdtempSync(join(tmpdir(), 'triad-hosted-log-'));
    const log = await opened.openRequestLog!({ queueDir, logger: quietLogger, fallback });
    return { store: opened.store, log };
  }

  it('puts recorded entries in the store, readable from the main thread once flushed', async () => {
    const { store, log } = await openWithHostedLog({ record: async () => undefined });
    const entries = Array.from({ length: 300 }, (_, i) => makeEntry({ answer: { id: crypto.randomUUID(), content: `answer ${i}` } }));

    for (const entry of entries) void log.record(entry);
    await log.flush();

    const stored = await store.requests.get(entries[299]!.id);
    expect(stored?.answer?.content).toBe('answer 299');
    expect((await store.requests.listRecent(1_000)).filter((row) => entries.some((e) => e.id === row.id))).toHaveLength(300);
    expect((await log.stats()).written).toBe(300);
  });

  it('hands entries to the main thread’s writer when the worker can no longer take them, so none is lost', async () => {
    const fallback: RequestLogEntry[] = [];
    const { store, log } = await openWithHostedLog({ record: async (entry) => void fallback.push(entry) });
    await store.close();
    const late = makeEntry();

    await log.record(late);
    await log.flush().catch(() => undefined);

    expect(fallback.map((entry) => entry.id)).toEqual([late.id]);
  });
});

describe('entries handed to a thread that falls behind', () => {
  it('go to the main thread’s writer once 10,000 or more wait untaken, instead of piling up in its message queue', async () => {
    const fallback: RequestLogEntry[] = [];
    // A thread busy writing a backlog answers none of the posts meanwhile.
    const posted: number[] = [];
    const busy = new HostedRequestLog(
      (request) => {
        if (request.op === 'log-record') posted.push(request.entries.length);
        return new Promise(() => undefined);
      },
      { record: async (entry) => void fallback.push(entry) },
      quietLogger,
    );
    // Posted 256 at a time: the 40th post takes the untaken entries past 10,000.
    const entries = Array.from({ length: 40 * 256 + 100 }, () => makeEntry());

    for (const entry of entries) await busy.record(entry);

    expect(posted.reduce((sum, n) => sum + n, 0)).toBe(40 * 256);
    expect(fallback.map((entry) => entry.id)).toEqual(entries.slice(40 * 256).map((entry) => entry.id));
  });
});
