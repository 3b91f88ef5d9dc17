import { TriadError } from '../../src-shared/errors';
import type { RequestLogEntry } from '../store/repositories';
import type { RequestLogWriter, RequestLogWriterLogger, RequestLogWriterStats } from './request-log-writer';

/** The request log as the app uses it: record off the response path, wait for delivery, show the state, close. */
export interface RequestLog {
  /** Queues the entry and returns at once; never fails because of the store. */
  record(entry: RequestLogEntry): Promise<void>;
  /** Resolves when every entry recorded before is in the store; rejects `store_unavailable` when it is not. */
  flush(): Promise<void>;
  stats(): Promise<RequestLogWriterStats>;
  /** Delivers what it can; the rest waits on disk for the next start. */
  close(): Promise<void>;
}

/** The requests a writer hosted in another thread answers (the PGlite worker's `log-*` requests). */
export type HostedLogRequest =
  | { op: 'log-record'; entries: RequestLogEntry[] }
  | { op: 'log-flush' }
  | { op: 'log-stats' }
  | { op: 'log-close' };

/** Entries are posted when this many wait, or {@link POST_AFTER_MS} after the first (the writer there batches for 25 ms anyway). */
const POST_BATCH = 256;
const POST_AFTER_MS = 5;
/**
 * Most entries posted and not yet taken by the writer there. While its writer delivers a backlog, PGlite's
 * thread reads no messages, so the entries wait in the message queue, outside the writer's own memory bound
 * and disk queue; beyond this many, entries go to the main thread's writer instead, which spills to disk.
 */
const MAX_UNTAKEN = 10_000;

/**
 * The main thread's side of a {@link RequestLogWriter} that runs in another thread. `record` only appends to a
 * batch, posted a few milliseconds later: the structured clone of an entry (~5 µs here) is all logging costs
 * this thread, and turning entries into rows, batching and the disk queue cost the other one. Should that
 * thread be gone, entries go to `fallback` (the main thread's writer), so none is lost.
 */
export class HostedRequestLog implements RequestLog {
  private batch: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Entries posted whose message the other thread has not answered yet. */
  private untaken = 0;

  constructor(
    private readonly call: <T>(request: HostedLogRequest) => Promise<T>,
    private readonly fallback: Pick<RequestLog, 'record'>,
    private readonly logger: RequestLogWriterLogger,
  ) {}

  async record(entry: RequestLogEntry): Promise<void> {
    if (this.untaken >= MAX_UNTAKEN) return this.fallback.record(entry);
    this.batch.push(entry);
    if (this.batch.length >= POST_BATCH) void this.post();
    else this.timer ??= setTimeout(() => void this.post(), POST_AFTER_MS);
  }

  async flush(): Promise<void> {
    await this.post();
    await this.call({ op: 'log-flush' }).catch((error: unknown) => {
      throw new TriadError({ code: 'store_unavailable', retryable: true, message: error instanceof Error ? error.message : String(error) }, { cause: error });
    });
  }

  stats(): Promise<RequestLogWriterStats> {
    return this.call<RequestLogWriterStats>({ op: 'log-stats' });
  }

  async close(): Promise<void> {
    await this.post();
    await this.call({ op: 'log-close' }).catch((error: unknown) => this.logger.error({ err: error }, 'the request log in the PGlite worker did not close cleanly'));
  }

  /** Posts the batch; on failure its entries go to the fallback writer. */
  private async post(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.batch;
    if (entries.length === 0) return;
    this.batch = [];
    this.untaken += entries.length;
    try {
      await this.call({ op: 'log-record', entries });
    } catch (error) {
      this.logger.error({ err: error, entries: entries.length }, 'the PGlite worker could not take request log entries; the main thread writes them');
      for (const entry of entries) void this.fallback.record(entry);
    } finally {
      this.untaken -= entries.length;
    }
  }
}

/**
 * The app's request log: entries go to the embedded store's writer in the PGlite worker while that store is
 * in use (`useEmbedded`), and to the main thread's writer otherwise (a team's store, PostgreSQL, or before
 * team mode has restored a session). Each entry is routed once, when it is recorded, so it ends up in the
 * store that was in use when it was logged.
 */
export class RoutedRequestLog implements RequestLog {
  constructor(
    private readonly main: RequestLogWriter,
    private readonly embedded: RequestLog | undefined,
    private readonly useEmbedded: () => boolean,
  ) {}

  record(entry: RequestLogEntry): Promise<void> {
    return this.embedded && this.useEmbedded() ? this.embedded.record(entry) : this.main.record(entry);
  }

  async flush(): Promise<void> {
    await Promise.all([this.main.flush(), this.embedded?.flush()]);
  }

  async stats(): Promise<RequestLogWriterStats> {
    const main = this.main.stats();
    if (!this.embedded) return main;
    const hosted = await this.embedded.stats();
    return {
      pendingInMemory: main.pendingInMemory + hosted.pendingInMemory,
      pendingOnDisk: main.pendingOnDisk + hosted.pendingOnDisk,
      spilled: main.spilled + hosted.spilled,
      written: main.written + hosted.written,
      dropped: main.dropped + hosted.dropped,
      rejected: main.rejected + hosted.rejected,
      lastError: hosted.lastError ?? main.lastError,
      lastSuccessAt: !main.lastSuccessAt || (hosted.lastSuccessAt && hosted.lastSuccessAt > main.lastSuccessAt) ? hosted.lastSuccessAt : main.lastSuccessAt,
    };
  }

  /** The hosted writer first: entries it can no longer take fall back to the main writer, which must still be open. */
  async close(): Promise<void> {
    await this.embedded?.close();
    await this.main.close();
  }
}
