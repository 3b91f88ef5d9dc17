import type pg from 'pg';
import { TriadError } from '../../../src-shared/errors';
import { describeConnectionTarget, redactSecrets } from '../store-errors';
import type { SqlExecutor, SqlQueryable, SqlRow } from '../sql-executor';

/** How to reach a PostgreSQL server. */
export interface PostgresExecutorOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** Most connections held open at once. */
  maxConnections?: number;
  /** How long to wait for a new connection before failing. */
  connectTimeoutMs?: number;
}

function queryable(client: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<T extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await client.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

/**
 * Opens a connection pool to a PostgreSQL server and checks that it answers. Throws `store_unavailable`
 * naming host, port and database (never the password) when it does not.
 */
export async function openPostgresExecutor(options: PostgresExecutorOptions): Promise<SqlExecutor> {
  // Loaded when a server is used, not with the app, whose default store is the embedded one.
  const { default: pgDriver } = await import('pg');
  const pool = new pgDriver.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
  });
  // An idle connection dropped by the server is reported here; without a listener it would crash the
  // process. The pool replaces the connection, and the next query reports any lasting failure.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const target = describeConnectionTarget(options.connectionString);
    const reason = redactSecrets((error as Error).message || String((error as { code?: string }).code ?? error));
    throw new TriadError(
      { code: 'store_unavailable', message: `cannot connect to PostgreSQL at ${target}: ${reason}`, retryable: true },
      { cause: error },
    );
  }
  const direct = queryable(pool);
  let closed = false;
  return {
    engine: 'postgres',
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A connection lost mid-transaction fails the running query (reported below) and also emits 'error' on
      // the checked-out client, which would crash the process without a listener.
      const onLostConnection = (error: Error) => {
        broken = error;
      };
      client.on('error', onLostConnection);
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        // A connection that could not roll back is in an unknown state: destroy it rather than reuse it.
        client.removeListener('error', onLostConnection);
        client.release(broken);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
