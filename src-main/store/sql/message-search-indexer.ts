import type { SqlQueryable } from '../sql-executor';

/** When the indexer runs; the defaults suit the app, tests shorten them. */
export interface MessageSearchIndexerTiming {
  /** How often it looks whether there is work and the log is quiet. */
  intervalMs: number;
  /** How long the log must have been quiet (no write) before a batch runs. */
  quietMs: number;
  /** The longest the index may wait under a log that is never quiet: then a batch runs anyway. */
  maxWaitMs: number;
  /** Messages per batch: one statement, so a request that arrives meanwhile waits at most one batch's time. */
  batchSize: number;
}

const DEFAULT_TIMING: MessageSearchIndexerTiming = { intervalMs: 1_000, quietMs: 1_000, maxWaitMs: 10_000, batchSize: 200 };

/**
 * Fills the review's full-text index of the embedded store off the request log's write path (migration 020):
 * a logged message is only noted as pending, and this indexes the pending ones in batches once the log has been
 * quiet a moment. A search finds pending messages too (read one by one), so nothing waits for it to be found;
 * it only keeps the pending set small. A batch that fails (the store closing, the disk full) leaves its messages
 * pending for the next one: nothing is lost.
 */
export class MessageSearchIndexer {
  private readonly timing: MessageSearchIndexerTiming;
  private lastWriteAt = 0;
  private lastBatchAt = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: SqlQueryable,
    timing: Partial<MessageSearchIndexerTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  /** The request log wrote: batches wait until it has been quiet for `quietMs`. */
  noteWrite(): void {
    this.lastWriteAt = Date.now();
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.timing.intervalMs);
    // The index is never a reason to keep the process alive.
    this.timer.unref();
  }

  /** Indexes every pending message now; returns how many notes it took. */
  async indexAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const taken = await this.indexBatch();
      total += taken;
      if (taken < this.timing.batchSize) return total;
    }
  }

  /** Stops the timer and waits for a batch under way, so the store can close after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    const now = Date.now();
    if (now - this.lastWriteAt < this.timing.quietMs && now - this.lastBatchAt < this.timing.maxWaitMs) return;
    this.running = this.drainWhileQuiet()
      .catch(() => undefined) // left pending, taken up by the next tick
      .finally(() => (this.running = undefined));
  }

  private async drainWhileQuiet(): Promise<void> {
    for (;;) {
      const taken = await this.indexBatch();
      if (taken < this.timing.batchSize || this.stopped || Date.now() - this.lastWriteAt < this.timing.quietMs) return;
    }
  }

  private async indexBatch(): Promise<number> {
    const [row] = await this.db.query<{ taken: number }>('SELECT triad_index_message_search($1) AS taken', [this.timing.batchSize]);
    this.lastBatchAt = Date.now();
    return row?.taken ?? 0;
  }
}
