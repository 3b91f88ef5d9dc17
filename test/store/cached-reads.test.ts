import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedSettings, ReadCache } from '../../src-main/store/cached-reads';
import { openSqlStore } from '../../src-main/store/open-store';
import type { TriadStore } from '../../src-main/store/repositories';
import type { SqlExecutor } from '../../src-main/store/sql-executor';

/** A read the test ends by hand, so what is served while it is under way can be seen. */
function controlledRead<T>() {
  const calls: { resolve(value: T): void; reject(error: Error): void }[] = [];
  const load = () => new Promise<T>((resolve, reject) => calls.push({ resolve, reject }));
  return { load, calls };
}

describe('ReadCache: the configuration the facade reads on every request', () => {
  it('reads a key once however many ask at the same time', async () => {
    const cache = new ReadCache(1_000);
    const read = controlledRead<string>();
    const both = Promise.all([cache.get('flags', read.load), cache.get('flags', read.load)]);
    expect(read.calls).toHaveLength(1);
    read.calls[0]!.resolve('v1');
    expect(await both).toEqual(['v1', 'v1']);
  });

  it('serves a value older than its time at once and reads it again behind it; the next request sees the new value', async () => {
    let now = 0;
    const cache = new ReadCache(1_000, undefined, () => now);
    const read = controlledRead<string>();
    const first = cache.get('settings', read.load);
    read.calls[0]!.resolve('old');
    expect(await first).toBe('old');

    now = 1_500;
    // The store is busy (the re-read has not answered), yet the request gets its configuration.
    expect(await cache.get('settings', read.load)).toBe('old');
    expect(read.calls).toHaveLength(2);
    expect(await cache.get('settings', read.load)).toBe('old');
    expect(read.calls).toHaveLength(2);

    read.calls[1]!.resolve('changed elsewhere');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('settings', read.load)).toBe('changed elsewhere');
    expect(read.calls).toHaveLength(2);
  });

  it('after a write here, waits for a fresh read, and ignores a read that began before the write', async () => {
    let now = 0;
    const cache = new ReadCache(1_000, undefined, () => now);
    const read = controlledRead<string>();
    const first = cache.get('settings', read.load);
    read.calls[0]!.resolve('before');
    await first;

    now = 1_500;
    await cache.get('settings', read.load); // starts a re-read behind the value
    cache.invalidate('settings');
    const afterWrite = cache.get('settings', read.load);
    expect(read.calls).toHaveLength(3);
    read.calls[1]!.resolve('read before the write');
    read.calls[2]!.resolve('after');
    expect(await afterWrite).toBe('after');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('settings', read.load)).toBe('after');
  });

  it('keeps serving the last value while the store fails, and says so', async () => {
    let now = 0;
    const stale: string[] = [];
    const cache = new ReadCache(1_000, (key, error) => stale.push(`${key}: ${(error as Error).message}`), () => now);
    const read = controlledRead<string>();
    const first = cache.get('flags', read.load);
    read.calls[0]!.resolve('last good');
    await first;

    now = 2_000;
    expect(await cache.get('flags', read.load)).toBe('last good');
    read.calls[1]!.reject(new Error('store unavailable'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stale).toEqual(['flags: store unavailable']);
    expect(await cache.get('flags', read.load)).toBe('last good');
  });

  it('fails the first read of a key when the store fails: there is nothing to serve', async () => {
    const cache = new ReadCache(1_000);
    await expect(cache.get('flags', () => Promise.reject(new Error('store unavailable')))).rejects.toThrow('store unavailable');
  });
});

describe('cached settings over the embedded store while a long write holds it', () => {
  let store: TriadStore;
  let executor: SqlExecutor;
  beforeAll(async () => {
    ({ store, executor } = await openSqlStore({ backend: 'pglite' }));
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('answers a request from the value it has instead of queueing behind the write (PGlite runs one statement at a time)', async () => {
    let now = 0;
    const settings = cachedSettings(store.settings, new ReadCache(1_000, undefined, () => now));
    await settings.set('routing', { strategies: {} });
    expect(await settings.get('routing')).toEqual({ strategies: {} });

    now = 5_000;
    const events: string[] = [];
    let endWrite!: () => void;
    const writeHeld = new Promise<void>((resolve) => (endWrite = resolve));
    const write = executor.transaction(async (tx) => {
      await tx.query('SELECT 1');
      events.push('write holds the store');
      await writeHeld;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['write holds the store']);

    const value = await settings.get('routing');
    events.push('request has its settings');
    endWrite();
    await write;
    events.push('write ended');
    expect(value).toEqual({ strategies: {} });
    expect(events).toEqual(['write holds the store', 'request has its settings', 'write ended']);
  });
});
