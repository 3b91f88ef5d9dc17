/** One result row as the driver returns it: column name → parsed value. */
export type SqlRow = Record<string, unknown>;

/** What can run statements: a connection, or a transaction on one. */
export interface SqlQueryable {
  /** Runs one statement with `$1…$n` parameters and returns its rows. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * A PostgreSQL connection (PGlite in-process, or a server through a pool). Repositories are written against
 * this and nothing else, so the same SQL serves every backend.
 */
export interface SqlExecutor extends SqlQueryable {
  /** Which engine is behind it, for status displays and error messages. */
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Use only `tx`
   * inside `fn`; calling the executor itself there deadlocks PGlite, which has a single connection.
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s); further calls fail. */
  close(): Promise<void>;
}
