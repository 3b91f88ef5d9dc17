import type { SupabaseClient } from '@supabase/supabase-js';
import type { RequestLog } from '../logging/request-log';
import { openPgliteExecutor, type HostedRequestLogOptions } from './adapters/pglite-executor';
import { openPostgresExecutor } from './adapters/postgres-executor';
import { migrate } from './migrator';
import type { TriadStore } from './repositories';
import type { SqlExecutor } from './sql-executor';
import { createSqlStore } from './sql-store';
import { MessageSearchIndexer, type MessageSearchIndexerTiming } from './sql/message-search-indexer';

/** Where the store lives. */
export type StoreConfig =
  /** PGlite in this process: on disk in `dataDir`, or in memory when it is absent (tests). */
  | { backend: 'pglite'; dataDir?: string; migrationsDir?: string; searchIndex?: Partial<MessageSearchIndexerTiming> }
  /** A PostgreSQL server. */
  | { backend: 'postgres'; connectionString: string; migrationsDir?: string }
  /**
   * A team's Supabase project through its REST API, as the operator signed in on `client` (made with
   * `createOperatorClient` and signed in with `signInOperator`, src-main/store/supabase/operator-client.ts).
   * `url` is the project URL, named in error messages. Never migrated from here: an admin applies
   * migrations/ to the project (docs/team-mode.md).
   */
  | { backend: 'supabase'; url: string; client: SupabaseClient };

/**
 * Opens the store: connects (locking a PGlite data folder), applies pending migrations and returns the
 * repositories. Throws TriadError `store_locked` when another process has the folder, `store_unavailable`
 * when the database cannot be reached (naming host and port, never the password) or cannot be migrated.
 * A Supabase store is checked instead of migrated; it also throws `unauthorized` when nobody is signed in.
 */
export async function openStore(config: StoreConfig): Promise<TriadStore> {
  if (config.backend === 'supabase') {
    // Loaded only in team mode, so the embedded app does not load supabase-js.
    const { openSupabaseStore } = await import('./supabase/supabase-store');
    return openSupabaseStore(config);
  }
  return (await openSqlStore(config)).store;
}

/** An open SQL store, its executor, and (PGlite) how to run its request log writer in the worker thread. */
export interface SqlStore {
  store: TriadStore;
  executor: SqlExecutor;
  openRequestLog?: (options: Omit<HostedRequestLogOptions, 'onWrite'>) => Promise<RequestLog>;
}

/** A store in SQL (PGlite or PostgreSQL). */
export type SqlStoreConfig = Exclude<StoreConfig, { backend: 'supabase' }>;

/**
 * {@link openStore} for the SQL backends, also returning the executor the repositories run on, for the code that
 * keeps tables of its own beside them in the same transactions (team mode's local copy and outbox). Closing the
 * store closes the executor.
 */
export async function openSqlStore(config: SqlStoreConfig): Promise<SqlStore> {
  const pglite = config.backend === 'pglite' ? await openPgliteExecutor(config.dataDir === undefined ? {} : { dataDir: config.dataDir }) : undefined;
  const executor: SqlExecutor = config.backend === 'postgres' ? await openPostgresExecutor({ connectionString: config.connectionString }) : pglite!;
  try {
    await migrate(executor, config.migrationsDir === undefined ? {} : { migrationsDir: config.migrationsDir });
    // The embedded store indexes logged messages for search off the write path (migration 020); a server at once.
    if (config.backend === 'pglite') await executor.exec(`SET triad.search_index = 'deferred'`);
  } catch (error) {
    await executor.close().catch(() => {});
    throw error;
  }
  if (config.backend === 'postgres' || !pglite) return { store: createSqlStore(executor), executor };
  const searchIndexer = new MessageSearchIndexer(executor, config.searchIndex);
  searchIndexer.start();
  return {
    store: createSqlStore(executor, executor.engine, searchIndexer),
    executor,
    openRequestLog: (options) => pglite.openRequestLog({ ...options, onWrite: () => searchIndexer.noteWrite() }),
  };
}
