import { TriadError } from '../../src-shared/errors';
import type { SupabaseStore } from '../store/supabase/supabase-store';

/** What is known of the way to Supabase: nothing yet, it answers, or it does not. */
export type LinkState = 'unknown' | 'online' | 'offline';

/** Options of {@link RemoteLink}. */
export interface RemoteLinkOptions {
  /** The project URL, for messages. */
  url: string;
  /** Opens the Supabase store (one call to the project); called again after a failed opening. */
  open(): Promise<SupabaseStore>;
  /** The state or the last error changed. */
  onChange(): void;
  /** Supabase refused the session: the caller decides whether the operator is still signed in. */
  onUnauthorized(error: TriadError): void;
}

/**
 * The team store's way to Supabase, and what it knows of it. Calls go to Supabase only while it is known to
 * answer: once a call fails because Supabase cannot be reached (or before anything got through, after a restart),
 * reads go to the local copy without waiting for the network, and only the outbox sender tries (with backoff)
 * until a call gets through. A restored session's first call may wait for supabase-js to renew an expired token,
 * which retries for up to 30 s while offline: that wait is the sender's, never a reader's.
 */
export class RemoteLink {
  private store: SupabaseStore | undefined;
  private opening: Promise<SupabaseStore> | undefined;
  private closed = false;
  state: LinkState = 'unknown';
  /** Why the last call failed, while the link is not online. */
  lastError: string | null = null;

  constructor(private readonly options: RemoteLinkOptions) {}

  /** Uses a store already opened (by sign-in). */
  adopt(store: SupabaseStore): void {
    this.store = store;
    this.mark('online', null);
  }

  /** Runs `work` on Supabase; unless it is known to answer, fails at once with `store_unavailable`, without a call. */
  run<T>(work: (remote: SupabaseStore) => Promise<T>): Promise<T> {
    if (this.state !== 'online') return Promise.reject(this.offlineError());
    return this.attempt(work);
  }

  /** Runs `work` on Supabase even while offline: the sender's deliveries and probes. */
  async attempt<T>(work: (remote: SupabaseStore) => Promise<T>): Promise<T> {
    if (this.closed) throw new TriadError({ code: 'store_unavailable', message: `Supabase at ${this.options.url}: the team store is closed` });
    try {
      const result = await work(await this.connect());
      this.mark('online', null);
      return result;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  /** The error a call fails with while Supabase is not known to answer. */
  offlineError(): TriadError {
    const message =
      this.state === 'unknown'
        ? `Supabase at ${this.options.url} has not answered yet`
        : `Supabase at ${this.options.url} cannot be reached${this.lastError ? ` (last error: ${this.lastError})` : ''}`;
    return new TriadError({ code: 'store_unavailable', retryable: true, message });
  }

  close(): void {
    this.closed = true;
    this.store?.close().catch(() => undefined);
  }

  private connect(): Promise<SupabaseStore> {
    if (this.store) return Promise.resolve(this.store);
    this.opening ??= this.options.open().then(
      (store) => {
        this.store = store;
        return store;
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  private failed(error: unknown): void {
    if (!TriadError.isInstance(error)) return;
    if (error.code === 'store_unavailable') this.mark('offline', error.message);
    else if (error.code === 'unauthorized') {
      this.mark('offline', error.message);
      this.options.onUnauthorized(error);
    }
  }

  private mark(state: LinkState, lastError: string | null): void {
    if (this.state === state && this.lastError === lastError) return;
    this.state = state;
    this.lastError = lastError;
    this.options.onChange();
  }
}

/** Whether a read may fall back to the local copy after `error`: Supabase could not be asked, or not as this operator. */
export function isUnreachable(error: unknown): error is TriadError {
  return TriadError.isInstance(error) && (error.code === 'store_unavailable' || error.code === 'unauthorized');
}
