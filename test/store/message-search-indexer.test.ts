import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import type { SqlExecutor } from '../../src-main/store/sql-executor';
import { makeEntry } from './support';

// The embedded store's full-text index of logged answers is filled off the write path (migration 020): a log write
// only notes its messages, and the indexer indexes them once the log is quiet. A search finds them either way.

const opened: TriadStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function open(dataDir: string, quietMs: number) {
  const { store, executor } = await openSqlStore({ backend: 'pglite', dataDir, searchIndex: { intervalMs: 20, quietMs, maxWaitMs: 60_000, batchSize: 50 } });
  opened.push(store);
  return { store, executor };
}

const pending = async (db: SqlExecutor) => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_search_pending'))[0]!.n);
const indexed = async (db: SqlExecutor) => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM message_search'))[0]!.n);
const search = async (store: TriadStore, version: string, text: string) =>
  (await store.review.list({ filter: { modelVersion: version, text }, sort: { by: 'date', direction: 'asc' }, offset: 0, limit: 500 })).rows.map((r) => r.id);

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the search index');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the embedded store\'s search index', () => {
  it('finds an answer the moment it is logged, indexes it once the log is quiet, and keeps it across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'triad-search-'));
    const version = `search-${randomUUID()}`;
    const { store, executor } = await open(dataDir, 2_000);
    const entries = Array.from({ length: 120 }, (_, i) =>
      makeEntry({ modelVersion: version, createdAt: new Date(Date.UTC(2031, 0, 1, 0, i)), answer: { id: randomUUID(), content: i % 2 === 0 ? `Invoice ${i} is paid.` : `Shipping order ${i}.` } }),
    );
    await store.requests.recordMany(entries);
    // Not indexed yet (the log has just written), and found all the same.
    expect(await indexed(executor)).toBe(0);
    expect(await pending(executor)).toBe(240);
    const invoices = entries.filter((_, i) => i % 2 === 0).map((e) => e.id);
    expect(await search(store, version, 'invoices')).toEqual(invoices);

    await until(async () => (await pending(executor)) === 0);
    expect(await indexed(executor)).toBe(240);
    expect(await search(store, version, 'invoices')).toEqual(invoices);
    expect(await search(store, version, 'shipping -invoice')).toEqual(entries.filter((_, i) => i % 2 === 1).map((e) => e.id));

    await store.close();
    opened.splice(opened.indexOf(store), 1);
    const again = await open(dataDir, 400);
    expect(await search(again.store, version, 'paid')).toEqual(invoices);
  }, 60_000);

  it('waits while the log keeps writing, and leaves out what was deleted before it was indexed', async () => {
    const { store, executor } = await open(mkdtempSync(join(tmpdir(), 'triad-search-')), 1_000);
    const version = `busy-${randomUUID()}`;
    const written: string[] = [];
    // Writes every 50 ms for 0.8 s: never quiet for 1 s, so nothing is indexed meanwhile.
    for (let i = 0; i < 16; i += 1) {
      const entry = makeEntry({ modelVersion: version, createdAt: new Date(Date.UTC(2032, 0, 1, 0, i)), answer: { id: randomUUID(), content: `Margin report ${i}.` } });
      await store.requests.record(entry);
      written.push(entry.id);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await indexed(executor)).toBe(0);
    expect(await search(store, version, 'margins')).toEqual(written);

    // A request purged while its messages wait: neither found nor indexed.
    await executor.query('DELETE FROM llm_requests WHERE id = $1', [written[0]]);
    expect(await search(store, version, 'margins')).toEqual(written.slice(1));
    await until(async () => (await pending(executor)) === 0);
    expect(await indexed(executor)).toBe(30);
    expect(await search(store, version, 'margins')).toEqual(written.slice(1));
  }, 60_000);
});
