/**
 * Aborts when nothing has arrived for `ms`. Streaming answers can legitimately run for minutes, so the
 * limit is on silence, not on total time. `touch()` on every chunk.
 *
 * Per answer this is on the path of every chunk, so it is kept cheap: one controller linked to the caller's
 * signal by a listener (not `AbortSignal.any`, which builds a second signal and a weak-ref registry), and
 * `touch()` only notes the time; the one timer, when it fires, re-arms itself for the silence left.
 */
export class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private silent = false;
  private readonly onCallerAbort: () => void;
  /** Aborts on the caller's signal or on silence. */
  readonly signal: AbortSignal;

  constructor(
    private readonly ms: number,
    private readonly callerSignal: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.onCallerAbort = () => this.controller.abort(callerSignal.reason);
    if (callerSignal.aborted) this.onCallerAbort();
    else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    this.lastActivity = performance.now();
    this.arm(ms);
  }

  /** True when the abort came from silence rather than from the caller. */
  get timedOut(): boolean {
    return this.silent;
  }

  touch(): void {
    this.lastActivity = performance.now();
  }

  /** Stops the timer and lets go of the caller's signal. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.callerSignal.removeEventListener('abort', this.onCallerAbort);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.check(), delay);
    this.timer.unref();
  }

  private check(): void {
    const quietFor = performance.now() - this.lastActivity;
    if (quietFor < this.ms) {
      this.arm(this.ms - quietFor);
      return;
    }
    if (this.controller.signal.aborted) return;
    this.silent = true;
    this.controller.abort(new DOMException('idle timeout', 'TimeoutError'));
  }
}
