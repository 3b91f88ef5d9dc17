import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLog } from '../../src-main/logging/request-log';
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
