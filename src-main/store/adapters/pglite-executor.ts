import { PGlite, type Transaction } from '@electric-sql/pglite';
import { TriadError } from '../../../src-shared/errors';
import { acquireDataFolderLock, type DataFolderLock } from '../data-folder-lock';
import type { SqlExecutor, SqlQueryable, SqlRow } from '../sql-executor';

/** Where PGlite keeps its data: a folder on disk, or memory only when `dataDir` is absent (tests). */
export interface PgliteExecutorOptions {
  dataDir?: string;
}

function queryable(target: PGlite | Transaction): SqlQueryable {
  return {
    async query<T extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await target.query<T>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

/**
 * Opens PGlite (Postgres compiled to WASM, in this process). An on-disk folder is locked first so that a
 * second process cannot open it; the lock is released on close. First open of a new folder runs initdb (~5 s).
 */
export async function openPgliteExecutor(options: PgliteExecutorOptions = {}): Promise<SqlExecutor> {
  const lock: DataFolderLock | undefined = options.dataDir ? acquireDataFolderLock(options.dataDir) : undefined;
  let db: PGlite;
  try {
    db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  } catch (error) {
    lock?.release();
    const where = options.dataDir ? `the data folder ${options.dataDir}` : 'an in-memory database';
    throw new TriadError(
      { code: 'store_unavailable', message: `PGlite could not open ${where}: ${(error as Error).message}` },
      { cause: error },
    );
  }
  const direct = queryable(db);
  let closed = false;
  return {
    engine: 'pglite',
    query: direct.query,
    exec: direct.exec,
    // PGlite has one connection: its transaction() holds a mutex so that no other query interleaves.
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
