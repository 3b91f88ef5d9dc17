import { TriadError } from '../../src-shared/errors';
import type { RequestLogEntry, RequestLogRepository } from '../store/repositories';
import { RequestLogDiskQueue } from './request-log-disk-queue';

/** The slice of a pino logger the writer uses: it only ever reports problems. */
export interface RequestLogWriterLogger {
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Options of {@link RequestLogWriter}. */
export interface RequestLogWriterOptions {
  /** Where entries end up: the store's request log. */
  target: Pick<RequestLogRepository, 'recordMany'>;
  /** Folder of the on-disk queue (entries waiting for the store) and of the rejected file. */
  queueDir: string;
  /** Most entries per `recordMany` call from memory. Default 500. */
  maxBatch?: number;
  /**
   * Most entries kept in memory waiting for the store. Beyond it, the writer moves what it holds to the disk
   * queue and delivers from there (back-pressure: a store slower than the requests cannot grow the heap).
   * Default 2,000.
   */
  maxInMemory?: number;
  /** Most entries per `recordMany` call from the disk queue: a backlog goes in larger batches. Default 4 × maxBatch. */
  maxBacklogBatch?: number;
  /** How long entries wait in memory to be batched with others. Default 25 ms. */
  flushIntervalMs?: number;
  /** Bound of the on-disk queue; entries that do not fit are dropped and reported. Default 256 MiB. */
  maxQueueBytes?: number;
  /** How long `close()` tries to deliver before leaving the rest on disk. Default 2 s. */
  closeTimeoutMs?: number;
  logger: RequestLogWriterLogger;
  /** Clock for `lastSuccessAt` and rejection timestamps, epoch milliseconds. */
  now?: () => number;
}

/** The writer's state, for a status display. */
export interface RequestLogWriterStats {
  /** Recorded entries waiting in memory (at most `maxInMemory`, plus a batch being written). */
  pendingInMemory: number;
  /** Entries in the on-disk queue (or being appended to it), waiting for the store. */
  pendingOnDisk: number;
  /** Entries moved to the disk queue because memory held `maxInMemory` while the store was up but slower. */
  spilled: number;
  /** Entries written to the store by this writer. */
  written: number;
  /** Entries lost because the on-disk queue was full. */
  dropped: number;
  /** Entries the store refused as invalid; they are in the rejected file. */
  rejected: number;
  /** The last failure to write, or null. */
  lastError: string | null;
  /** When a batch was last written. */
  lastSuccessAt: Date | null;
}

/** Retries after a store failure wait 100 ms, 200 ms, 400 ms… up to this, each with jitter. */
const MAX_RETRY_DELAY_MS = 5_000;
const FIRST_RETRY_DELAY_MS = 100;

/** Someone waiting in `flush()` for the entries that were ahead of them. */
interface FlushWaiter {
  ahead: number;
  resolve(): void;
  reject(error: TriadError): void;
}

/** Where the batch being written came from. */
type Batch = { source: 'disk'; entries: RequestLogEntry[] } | { source: 'memory'; entries: RequestLogEntry[] };

/**
 * Writes the request log off the response path. `record()` only queues the entry in memory; a delivery loop
 * writes batches in order with `recordMany`. When the store is unavailable the entries go to a bounded queue
 * on disk and the loop retries with backoff; once the store is back it delivers the disk queue, then memory.
 * Delivery is at least once and `recordMany` is idempotent by entry id, so a batch whose fate is unknown is
 * simply sent again. An entry the store refuses as invalid is isolated by splitting its batch and goes to the
 * rejected file, so it cannot block the others. A store that is up but slower than the requests cannot grow
 * the heap: beyond `maxInMemory` entries, memory moves to the disk queue and the backlog is delivered from
 * there in larger batches.
 */
export class RequestLogWriter implements Pick<RequestLogRepository, 'record'> {
  private readonly target: Pick<RequestLogRepository, 'recordMany'>;
  private readonly logger: RequestLogWriterLogger;
  private readonly now: () => number;
  private readonly maxBatch: number;
  private readonly maxInMemory: number;
  private readonly maxBacklogBatch: number;
  private readonly flushIntervalMs: number;
  private readonly closeTimeoutMs: number;
  private readonly queueDir: string;
  private readonly maxQueueBytes: number;
  private readonly disk: RequestLogDiskQueue;
  private readonly loaded: Promise<void>;

  private memory: RequestLogEntry[] = [];
  /** A batch taken from `memory` while it is being written; it goes back to the front if that fails. */
  private inFlight: RequestLogEntry[] | null = null;
  private waiters: FlushWaiter[] = [];
  /** The running delivery loop or spill, if any: only one at a time. */
  private working: Promise<void> | null = null;
  /** Work requested while `working` ran. */
  private followUp: { retryNow: boolean } | null = null;
  private batchTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** A move of memory to the disk queue under way (back-pressure); deliveries wait for it, to keep the order. */
  private spilling: Promise<void> | null = null;
  /** Entries taken from memory and not yet on disk. */
  private inTransitToDisk = 0;
  /** After the disk refused a spill, the next is not tried before this time (epoch ms): no error per request. */
  private nextSpillAt = 0;
  /** Set while the store is failing: new entries go to disk, and only the retry timer or flush() tries the store. */
  private outage: { failures: number } | null = null;
  private closing: Promise<void> | null = null;
  /** Once close() stops waiting for the store: nothing is delivered any more, memory goes to disk. */
  private stopped = false;
  /** Once close() has resolved: entries recorded later are appended to disk directly. */
  private closed = false;

  private written = 0;
  private spilled = 0;
  private dropped = 0;
  private rejected = 0;
  private lastError: string | null = null;
  private lastSuccessAt: Date | null = null;

  constructor(options: RequestLogWriterOptions) {
    this.target = options.target;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInMemory = Math.max(options.maxInMemory ?? 2_000, 1);
    this.maxBacklogBatch = options.maxBacklogBatch ?? 4 * this.maxBatch;
    this.flushIntervalMs = options.flushIntervalMs ?? 25;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 2_000;
    this.queueDir = options.queueDir;
    this.maxQueueBytes = options.maxQueueBytes ?? 256 * 1024 * 1024;
    this.disk = new RequestLogDiskQueue({
      dir: options.queueDir,
      maxBytes: this.maxQueueBytes,
      now: this.now,
      onUnreadableLine: ({ file, reason }) => {
        this.rejected += 1;
        this.logger.error({ file, reason, rejectedFile: this.disk.rejectedPath }, 'unreadable line in the request log queue; moved to the rejected file');
        this.progress(1);
      },
    });
    // Entries a previous run left on disk are delivered first.
    this.loaded = this.disk.load().then(
      () => {
        if (this.disk.pending > 0) this.kick();
      },
      (error: unknown) => {
        this.lastError = messageOf(error);
        this.logger.error({ err: error, queueDir: options.queueDir }, 'cannot open the request log queue folder; entries stay in memory until the store takes them');
      },
    );
  }

  /** Resolves once the entries a previous run left on disk are counted and their delivery has started. */
  start(): Promise<void> {
    return this.loaded;
  }

  /**
   * Queues the entry and returns at once; it never waits for nor fails because of the store. Its whole cost
   * on the caller's path is an append to an array (and, once per `maxInMemory` entries, starting a move to
   * disk that runs after it).
   */
  async record(entry: RequestLogEntry): Promise<void> {
    if (this.closed) {
      this.recordAfterClose(entry);
      return;
    }
    this.memory.push(entry);
    // While closing, close() itself moves what arrives to disk; no new timer may start.
    if (this.stopped) return;
    if (this.memory.length >= this.maxInMemory) this.spillOverflow();
    if (this.memory.length >= this.maxBatch) this.kick();
    else this.batchTimer ??= setTimeout(() => this.kick(), this.flushIntervalMs);
  }

  /**
   * Resolves when every entry recorded before the call is in the store (or in the rejected file). Rejects
   * with `store_unavailable` when the store failed, once those entries are safely on disk. During an outage
   * it tries the store at once instead of waiting for the next retry.
   */
  async flush(): Promise<void> {
    await this.loaded;
    const ahead = this.pending();
    if (ahead === 0) return;
    if (this.stopped) throw this.unavailable('the request log writer is closed');
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ ahead, resolve, reject }));
    this.kick({ retryNow: true });
    return done;
  }

  /**
   * Tries to deliver everything within `closeTimeoutMs`; what is left goes to disk for the next start.
   * Leaves no timer running. Entries recorded afterwards are appended to the disk queue directly.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  stats(): RequestLogWriterStats {
    return {
      pendingInMemory: this.memory.length + (this.inFlight?.length ?? 0),
      pendingOnDisk: this.disk.pending + this.inTransitToDisk,
      spilled: this.spilled,
      written: this.written,
      dropped: this.dropped,
      rejected: this.rejected,
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  private pending(): number {
    return this.disk.pending + this.inTransitToDisk + (this.inFlight?.length ?? 0) + this.memory.length;
  }

  /**
   * Memory holds `maxInMemory` entries and the store has not taken them: they move to the disk queue, which
   * is delivered first (in larger batches), so memory stays bounded however far the store falls behind.
   * During an outage the delivery loop already sends everything to disk. Should a batch from memory that
   * was being written meanwhile fail, its rest is queued behind the spilled entries: delivered later than
   * them, never lost, never twice (the rows keep their own times).
   */
  private spillOverflow(): void {
    if (this.outage || this.stopped || this.now() < this.nextSpillAt) return;
    // Taken now, in order: the disk queue appends under one lock in call order, so spills never overtake.
    const entries = this.memory;
    this.memory = [];
    this.inTransitToDisk += entries.length;
    const spill: Promise<void> = this.saveToDisk(entries)
      .then((unsaved) => {
        this.inTransitToDisk -= entries.length;
        this.spilled += entries.length - unsaved.length;
        if (unsaved.length === 0) return;
        this.memory = [...unsaved, ...this.memory];
        this.nextSpillAt = this.now() + 1_000;
      })
      .finally(() => {
        // Only the latest spill clears the mark: appends finish in order, so the others are done by then.
        if (this.spilling === spill) this.spilling = null;
        this.kick();
      });
    this.spilling = spill;
  }

  /** Starts delivery (or, during an outage, a spill to disk) unless one is running; then it runs after it. */
  private kick(options: { retryNow?: boolean } = {}): void {
    const retryNow = options.retryNow ?? false;
    this.clearBatchTimer();
    if (this.stopped) return;
    if (this.working) {
      this.followUp = { retryNow: retryNow || (this.followUp?.retryNow ?? false) };
      return;
    }
    let work: Promise<void>;
    if (this.outage && !retryNow) {
      work = this.spillMemory().then(() => undefined);
    } else {
      this.clearRetryTimer();
      work = this.deliverAll();
    }
    this.working = work
      .catch((error: unknown) => this.recoverFromUnexpected(error))
      .finally(() => {
        this.working = null;
        const next = this.followUp;
        this.followUp = null;
        if (next) this.kick(next);
      });
  }

  /** The delivery loop: the disk queue first (it is older), then memory, in batches, until both are empty. */
  private async deliverAll(): Promise<void> {
    await this.loaded;
    while (!this.stopped) {
      const batch = await this.nextBatch();
      if (!batch || this.stopped) return;
      const { handled, failure } = await this.deliver(batch.entries);
      // close() gave up waiting for this batch: what is not confirmed is on disk for the next start.
      if (this.stopped) return;
      if (batch.source === 'disk') {
        await this.disk.consume(handled);
      } else if (this.inFlight === batch.entries) {
        this.memory = handled === batch.entries.length ? this.memory : [...batch.entries.slice(handled), ...this.memory];
        this.inFlight = null;
      }
      this.progress(handled);
      if (failure !== undefined) {
        await this.enterOutage(failure);
        return;
      }
      if (this.outage) {
        this.outage = null;
        this.logger.warn({ pendingOnDisk: this.disk.pending }, 'the request log store is reachable again; delivering the queued entries');
      }
      // Draining a few entries at a time would make every batch pay a transaction for almost nothing: what
      // arrived meanwhile waits for its batch timer, unless someone waits for it or a full batch is ready.
      if (this.disk.pending === 0 && this.waiters.length === 0 && this.memory.length < this.maxBatch) {
        if (this.memory.length > 0) this.batchTimer ??= setTimeout(() => this.kick(), this.flushIntervalMs);
        return;
      }
    }
  }

  private async nextBatch(): Promise<Batch | null> {
    // Entries on their way to disk are older than what memory holds now: they go first.
    while (this.spilling) await this.spilling;
    if (this.disk.pending > 0) {
      const entries = await this.disk.peek(this.maxBacklogBatch);
      // Every line left may have been unreadable; then the memory queue is next.
      if (entries.length > 0) return { source: 'disk', entries };
    }
    // Once close() has taken memory over, what arrives is its to save.
    if (this.memory.length === 0 || this.stopped) return null;
    const entries = this.memory.splice(0, this.maxBatch);
    this.inFlight = entries;
    return { source: 'memory', entries };
  }

  /**
   * Writes the entries in order. On `validation_failed` it splits the batch in halves until the refused
   * entries are alone, and rejects those. Returns how many leading entries are done (written or rejected)
   * and the failure that stopped it, if the store itself failed.
   */
  private async deliver(entries: RequestLogEntry[]): Promise<{ handled: number; failure?: unknown }> {
    try {
      await this.target.recordMany(entries);
      this.written += entries.length;
      this.lastSuccessAt = new Date(this.now());
      return { handled: entries.length };
    } catch (error) {
      if (!isRefusedEntry(error)) return { handled: 0, failure: error };
      if (entries.length === 1) {
        await this.reject(entries[0]!, error);
        return { handled: 1 };
      }
      const middle = Math.ceil(entries.length / 2);
      const first = await this.deliver(entries.slice(0, middle));
      if (first.failure !== undefined || this.stopped) return first;
      const second = await this.deliver(entries.slice(middle));
      return { handled: first.handled + second.handled, failure: second.failure };
    }
  }

  private async reject(entry: RequestLogEntry, error: TriadError): Promise<void> {
    this.rejected += 1;
    const context = { requestId: String(entry.id), reason: error.message, rejectedFile: this.disk.rejectedPath };
    try {
      await this.disk.reject(entry, error.message);
      this.logger.error(context, 'the store refused a request log entry; it is in the rejected file');
    } catch (writeError) {
      this.logger.error({ ...context, err: writeError }, 'the store refused a request log entry, and it could not be written to the rejected file');
    }
  }

  /** The store failed: everything in memory goes to disk, waiting flushes fail, and a retry is scheduled. */
  private async enterOutage(failure: unknown): Promise<void> {
    this.lastError = messageOf(failure);
    if (!this.outage) {
      this.outage = { failures: 0 };
      this.logger.warn({ err: failure, queueDir: this.queueDir }, 'the request log store is unavailable; queueing entries on disk');
    }
    this.outage.failures += 1;
    await this.spillMemory();
    this.rejectWaiters(`the request log store is unavailable (${this.lastError})`);
    if (!this.closing) this.scheduleRetry(this.outage.failures);
  }

  /** A bug or a disk failure escaped the loop: behave as in an outage, so that nothing waits forever. */
  private recoverFromUnexpected(error: unknown): void {
    if (this.inFlight) {
      this.memory = [...this.inFlight, ...this.memory];
      this.inFlight = null;
    }
    this.lastError = messageOf(error);
    this.logger.error({ err: error }, 'the request log writer failed unexpectedly; retrying later');
    this.rejectWaiters(`the request log writer failed (${this.lastError})`);
    this.outage ??= { failures: 0 };
    this.outage.failures += 1;
    if (!this.closing) this.scheduleRetry(this.outage.failures);
  }

  /** Moves every entry in memory to the disk queue, in order; returns how many are now on disk. */
  private async spillMemory(): Promise<number> {
    await this.loaded;
    const entries = this.memory;
    this.memory = [];
    this.inTransitToDisk += entries.length;
    let unsaved: RequestLogEntry[];
    try {
      unsaved = await this.saveToDisk(entries);
    } finally {
      this.inTransitToDisk -= entries.length;
    }
    if (unsaved.length > 0) this.memory = [...unsaved, ...this.memory];
    return entries.length - unsaved.length;
  }

  /** Appends to the disk queue; returns the entries that could not be written (a disk failure), in order. */
  private async saveToDisk(entries: RequestLogEntry[]): Promise<RequestLogEntry[]> {
    if (entries.length === 0) return [];
    try {
      const { dropped, pendingAfter } = await this.disk.append(entries);
      if (dropped > 0) this.reportDropped(dropped, pendingAfter);
      return [];
    } catch (error) {
      this.lastError = messageOf(error);
      this.logger.error({ err: error, entries: entries.length }, 'cannot write the request log queue to disk; keeping the entries in memory');
      return entries;
    }
  }

  private reportDropped(count: number, position: number): void {
    this.dropped += count;
    this.logger.error(
      { dropped: count, droppedTotal: this.dropped, pendingOnDisk: this.disk.pending, maxQueueBytes: this.maxQueueBytes, queueDir: this.queueDir },
      'the request log queue on disk is full: request log entries were DROPPED',
    );
    // The dropped entries sat right behind the `position` entries now on disk; flushes waiting for them stop waiting.
    for (const waiter of this.waiters) waiter.ahead -= Math.min(Math.max(waiter.ahead - position, 0), count);
    this.progress(0);
  }

  /** `count` entries at the head of the queue are done: flushes waiting only for those resolve. */
  private progress(count: number): void {
    const waiting: FlushWaiter[] = [];
    for (const waiter of this.waiters) {
      waiter.ahead -= count;
      if (waiter.ahead <= 0) waiter.resolve();
      else waiting.push(waiter);
    }
    this.waiters = waiting;
  }

  private rejectWaiters(reason: string): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(this.unavailable(reason));
  }

  private unavailable(reason: string): TriadError {
    return new TriadError({
      code: 'store_unavailable',
      retryable: true,
      message: `${reason}; ${this.disk.pending} entries are queued on disk and will be written when the store is back`,
    });
  }

  private scheduleRetry(failures: number): void {
    this.clearRetryTimer();
    const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (failures - 1));
    // Half fixed, half random: spreads retries without ever retrying at once.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick({ retryNow: true });
    }, delay);
    // A pending retry alone must not keep the process alive; close() is what guarantees the disk queue.
    this.retryTimer.unref();
  }

  private async shutDown(): Promise<void> {
    this.clearBatchTimer();
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (deadline = setTimeout(resolve, this.closeTimeoutMs)));
    await Promise.race([this.flush().catch(() => {}), timedOut]);
    clearTimeout(deadline);
    this.stopped = true;
    this.clearBatchTimer();
    this.clearRetryTimer();
    // A move to disk under way holds older entries than memory: it lands first.
    while (this.spilling) await this.spilling;
    // A batch close() stopped waiting for goes to disk too: if it did land, re-sending it later is harmless.
    let toSave = [...(this.inFlight ?? []), ...this.memory];
    this.inFlight = null;
    this.memory = [];
    let unsaved: RequestLogEntry[] = [];
    // Entries recorded while saving are saved after, in order.
    while (toSave.length > 0 && unsaved.length === 0) {
      unsaved = await this.saveToDisk(toSave);
      toSave = this.memory;
      this.memory = [];
    }
    this.closed = true;
    const lost = unsaved.length + toSave.length;
    if (lost > 0) {
      this.dropped += lost;
      this.logger.error({ dropped: lost, queueDir: this.queueDir }, 'request log entries could not be saved to disk before closing and are DROPPED');
    }
    this.rejectWaiters('the request log writer closed before the store took every entry');
  }

  private recordAfterClose(entry: RequestLogEntry): void {
    try {
      const { dropped } = this.disk.appendSync([entry]);
      if (dropped > 0) this.reportDropped(dropped, this.disk.pending);
    } catch (error) {
      this.dropped += 1;
      this.logger.error({ err: error, requestId: String(entry.id) }, 'a request log entry recorded after close could not be saved and is DROPPED');
    }
  }

  private clearBatchTimer(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** The store refused the entries themselves (a bad entry), rather than being unable to take any. */
function isRefusedEntry(error: unknown): error is TriadError {
  return TriadError.isInstance(error) && error.code === 'validation_failed';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
