import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteExecutor } from '../../src-main/store/adapters/pglite-executor';
import type { SqlExecutor } from '../../src-main/store/sql-executor';
import { translateStoreError } from '../../src-main/store/store-errors';

/** PGlite runs in a worker thread behind the SqlExecutor interface; these are the semantics that must survive the thread boundary. */
describe('PGlite executor in a worker thread', () => {
  let db: SqlExecutor;
  beforeAll(async () => {
    db = await openPgliteExecutor();
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, at timestamptz, tags text[])');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('returns rows with their types: numbers, text, timestamps and arrays', async () => {
    const at = new Date('2026-12-01T10:00:00.000Z');
    await db.query('INSERT INTO notes VALUES ($1, $2, $3, $4)', [1, 'first', at, ['a', 'b']]);
    expect(await db.query('SELECT * FROM notes WHERE id = $1', [1])).toEqual([{ id: 1, body: 'first', at, tags: ['a', 'b'] }]);
  });

  it('makes a statement outside a transaction wait until the transaction commits, then see its rows', async () => {
    const events: string[] = [];
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT INTO notes (id, body) VALUES (10, $1)', ['in a transaction']);
      events.push('inserted');
      await new Promise((resolve) => setTimeout(resolve, 100));
      events.push('committing');
      return 'committed';
    });
    // Sent while the transaction is open: it must neither interleave nor see uncommitted rows.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE id = 10').then((rows) => {
      events.push('outside read');
      return rows[0]!.n;
    });
    expect(await transaction).toBe('committed');
    expect(await outside).toBe(1);
    expect(events).toEqual(['inserted', 'committing', 'outside read']);
  });

  it('rolls back everything the transaction did when its function throws, and passes the error on', async () => {
    const failure = new Error('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO notes (id, body) VALUES (20, $1)', ['never kept']);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await db.query('SELECT id FROM notes WHERE id = 20')).toEqual([]);
    // The connection is usable again after the rollback.
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('keeps the Postgres error code, constraint and detail, so the store explains the failure', async () => {
    const error = await db.query('INSERT INTO notes (id, body) VALUES (1, $1)', ['duplicate']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23505', constraint: 'notes_pkey', message: expect.stringContaining('duplicate key value violates unique constraint') });
    const translated = translateStoreError(error, 'saving the note');
    expect(translated.code).toBe('validation_failed');
    expect(translated.message).toBe('saving the note: duplicate key value violates unique constraint "notes_pkey" (Key (id)=(1) already exists.)');

    const inTransaction = await db.transaction((tx) => tx.query('SELECT * FROM no_such_table')).catch((caught: unknown) => caught);
    expect(inTransaction).toMatchObject({ code: '42P01', message: 'relation "no_such_table" does not exist' });
  });

  it('leaves the main thread free while PGlite works', async () => {
    let ticks = 0;
    let working = true;
    const query = db.query('SELECT count(*) FROM generate_series(1, 2000000)').finally(() => (working = false));
    // In-process, the whole statement runs as one synchronous WebAssembly call: no timer fires until it ends.
    while (working) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      ticks++;
    }
    await query;
    expect(ticks).toBeGreaterThan(10);
  });
});

describe('closing the PGlite worker', () => {
  it('ends the worker: calls made afterwards fail as an unavailable store, and closing twice is harmless', async () => {
    const db = await openPgliteExecutor();
    await db.query('SELECT 1');
    await db.close();
    await db.close();
    const error = await db.query('SELECT 1').catch((caught: unknown) => caught);
    expect(translateStoreError(error, 'reading').code).toBe('store_unavailable');
    expect((error as Error).message).toContain('PGlite is closed');
  }, 120_000);
});
