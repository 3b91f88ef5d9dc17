/**
 * Aborts when nothing has arrived for `ms`. Streaming answers can legitimately run for minutes, so the
 * limit is on silence, not on total time. `touch()` on every chunk. With `firstTextMs`, it also aborts when
 * no text has come that long after the start (`textArrived()` on the first): the route's first-token limit,
 * kept here so that a call needs no controller of its own for it.
 *
 * Per answer this is on the path of every chunk, so it is kept cheap: one controller linked to the caller's
 * signal by a listener (not `AbortSignal.any`, which builds a second signal and a weak-ref registry), and
 * `touch()` only notes the time; the one timer, when it fires, re-arms itself for the silence left.
 */
export class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  private readonly startedAt: number;
  private waitingForText: boolean;
  private silent = false;
  private noText = false;
  private readonly onCallerAbort: () => void;
  /** Aborts on the caller's signal or on silence. */
  readonly signal: AbortSignal;

  constructor(
    private readonly ms: number,
    private readonly callerSignal: AbortSignal,
    /** The first-text limit, if any. */
    readonly firstTextMs?: number,
  ) {
    this.signal = this.controller.signal;
    this.onCallerAbort = () => this.controller.abort(callerSignal.reason);
    if (callerSignal.aborted) this.onCallerAbort();
    else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    this.startedAt = this.lastActivity = performance.now();
    this.waitingForText = firstTextMs !== undefined;
    this.arm(Math.min(ms, firstTextMs ?? ms));
  }

  /** True when the abort came from silence (or from no first text) rather than from the caller. */
  get timedOut(): boolean {
    return this.silent;
  }

  /** True when the abort came because no text arrived within `firstTextMs`. */
  get noFirstText(): boolean {
    return this.noText;
  }

  touch(): void {
    this.lastActivity = performance.now();
  }

  /** Text has arrived (call after `touch()`): from now on only silence counts. */
  textArrived(): void {
    this.waitingForText = false;
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
    const now = performance.now();
    const silenceLeft = this.ms - (now - this.lastActivity);
    const firstTextLeft = this.waitingForText ? this.firstTextMs! - (now - this.startedAt) : Infinity;
    if (silenceLeft > 0 && firstTextLeft > 0) {
      this.arm(Math.min(silenceLeft, firstTextLeft));
      return;
    }
    if (this.controller.signal.aborted) return;
    this.silent = true;
    this.noText = firstTextLeft <= 0;
    this.controller.abort(new DOMException('idle timeout', 'TimeoutError'));
  }
}
