import type { SupabaseClient } from '@supabase/supabase-js';
import { TriadError } from '../../../src-shared/errors';
import type { Role } from '../../../src-shared/domain';
import { translatePostgrestError, type PostgrestFailure } from './postgrest-errors';

/** A row as PostgREST returns it: column name → JSON value. */
export type ApiRow = Record<string, unknown>;

/** A postgrest-js query or RPC call, before it is awaited. */
export interface PostgrestCall<T> extends PromiseLike<{ data: T | null; error: PostgrestFailure | null; status: number }> {
  retry(enabled: boolean): PostgrestCall<T>;
}

/**
 * Rows per page when reading a whole list: Supabase's default "Max rows", the most PostgREST returns for
 * one request (more are cut off silently). A project configured lower than this returns short lists.
 */
export const PAGE_SIZE = 1000;

/** Who the store acts for, as the database sees them. */
export interface Operator {
  /** auth.uid(). */
  userId: string;
  /** Their role in `users`; null when the directory does not know them. */
  role: Role | null;
}

/**
 * The signed-in operator's access to the project's REST API, shared by the repositories: runs calls, turns
 * failures into TriadErrors, reads long lists page by page.
 */
export class OperatorApi {
  private closed = false;

  constructor(
    readonly client: SupabaseClient,
    /** The project URL, named in error messages. */
    readonly projectUrl: string,
    readonly operator: Operator,
  ) {}

  /**
   * Awaits one call and returns its data; throws a TriadError (see translatePostgrestError) when it failed.
   * postgrest-js's own retries are turned off: they wait up to 7 s before a failure is reported, and the
   * callers (the request-log writer, the cached configuration reads) have their own.
   */
  async run<T>(action: string, call: PostgrestCall<T>): Promise<T> {
    if (this.closed) throw new TriadError({ code: 'store_unavailable', message: `${action}: the store is closed` });
    const { data, error, status } = await call.retry(false);
    if (error) throw translatePostgrestError(error, status, action, this.projectUrl);
    return data as T;
  }

  /** Every row of an ordered query, a page at a time; `page` must order by a unique key so pages do not overlap. */
  async readAll(action: string, page: (from: number, to: number) => PostgrestCall<ApiRow[]>, limit = Infinity): Promise<ApiRow[]> {
    const rows: ApiRow[] = [];
    while (rows.length < limit) {
      const size = Math.min(PAGE_SIZE, limit - rows.length);
      const next = await this.run(action, page(rows.length, rows.length + size - 1));
      rows.push(...next);
      if (next.length < size) break;
    }
    return rows;
  }

  close(): void {
    this.closed = true;
  }
}
