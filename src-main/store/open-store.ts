import { openPgliteExecutor } from './adapters/pglite-executor';
import { openPostgresExecutor } from './adapters/postgres-executor';
import { migrate } from './migrator';
import type { TriadStore } from './repositories';
import type { SqlExecutor } from './sql-executor';
import { createSqlStore } from './sql-store';

/** Where the store lives. */
export type StoreConfig =
  /** PGlite in this process: on disk in `dataDir`, or in memory when it is absent (tests). */
  | { backend: 'pglite'; dataDir?: string; migrationsDir?: string }
  /** A PostgreSQL server. */
  | { backend: 'postgres'; connectionString: string; migrationsDir?: string };

/**
 * Opens the store: connects (locking a PGlite data folder), applies pending migrations and returns the
 * repositories. Throws TriadError `store_locked` when another process has the folder, `store_unavailable`
 * when the database cannot be reached (naming host and port, never the password) or cannot be migrated.
 */
export async function openStore(config: StoreConfig): Promise<TriadStore> {
  const executor: SqlExecutor =
    config.backend === 'pglite'
      ? await openPgliteExecutor(config.dataDir === undefined ? {} : { dataDir: config.dataDir })
      : await openPostgresExecutor({ connectionString: config.connectionString });
  try {
    await migrate(executor, config.migrationsDir === undefined ? {} : { migrationsDir: config.migrationsDir });
  } catch (error) {
    await executor.close().catch(() => {});
    throw error;
  }
  return createSqlStore(executor);
}
