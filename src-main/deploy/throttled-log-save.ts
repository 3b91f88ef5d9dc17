/** How often a running step's new log lines are saved at most, and after how many new lines they are saved sooner. */
export const LOG_SAVE_INTERVAL_MS = 1_000;
export const LOG_SAVE_LINES = 50;

/**
 * Saves a running step's log while lines come in, so that every reader of the store (the app's own UI, another
 * operator's app in team mode, `triad deployments`) sees the build as it goes: the first line at once, then at most
 * one write a second, or sooner once `lines` new lines wait. One write at a time: lines that come during a write
 * go with the next one. The step's own end saves whatever is left, so `stop` only cancels what is scheduled.
 */
export class ThrottledLogSave {
  private unsaved = 0;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress, if any. */
  private writing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly save: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly limits: { intervalMs: number; lines: number } = { intervalMs: LOG_SAVE_INTERVAL_MS, lines: LOG_SAVE_LINES },
  ) {}

  /** A line was added to the step's log. */
  added(): void {
    if (this.stopped) return;
    this.unsaved += 1;
    this.schedule();
  }

  /** No more saves from here; resolves once a write in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
  }

  private schedule(): void {
    if (this.writing || this.unsaved === 0) return;
    const wait = this.unsaved >= this.limits.lines ? 0 : Math.max(0, this.lastSaveAt + this.limits.intervalMs - Date.now());
    if (wait === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.write();
    } else this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, wait);
  }

  private write(): void {
    if (this.stopped || this.writing) return;
    this.unsaved = 0;
    this.lastSaveAt = Date.now();
    this.writing = this.save()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.writing = undefined;
        if (!this.stopped) this.schedule();
      });
  }
}
