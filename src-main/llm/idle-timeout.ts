/**
 * Aborts when nothing has arrived for `ms`. Streaming answers can legitimately run for minutes, so the
 * limit is on silence, not on total time. `touch()` on every chunk.
 */
export class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** Aborts on the caller's signal or on silence. */
  readonly signal: AbortSignal;

  constructor(
    private readonly ms: number,
    callerSignal: AbortSignal,
  ) {
    this.signal = AbortSignal.any([callerSignal, this.controller.signal]);
    this.touch();
  }

  /** True when the abort came from silence rather than from the caller. */
  get timedOut(): boolean {
    return this.controller.signal.aborted;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new DOMException('idle timeout', 'TimeoutError')), this.ms);
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
