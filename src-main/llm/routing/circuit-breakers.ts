import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  SamplingBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
  type IBreaker,
} from 'cockatiel';
import { TriadError } from '../../../src-shared/errors';
import type { RoutingSettings } from '../../../src-shared/routing';

/** A breaker's state as the status bar and the dashboard show it. */
export interface BreakerSnapshot {
  endpoint: string;
  state: 'closed' | 'open' | 'half-open';
  /** When an open circuit lets its single probe through. */
  nextProbeAt: string | null;
}

/** Opens on N consecutive failures or on a failure rate over a window, whichever comes first. */
class ConsecutiveOrRateBreaker implements IBreaker {
  constructor(
    private readonly consecutive: ConsecutiveBreaker,
    private readonly rate: SamplingBreaker,
  ) {}

  get state(): unknown {
    return { consecutive: this.consecutive.state, rate: this.rate.state };
  }

  set state(value: unknown) {
    const { consecutive, rate } = value as { consecutive: number; rate: unknown };
    this.consecutive.state = consecutive;
    this.rate.state = rate;
  }

  success(state: CircuitState): void {
    this.consecutive.success();
    this.rate.success(state);
  }

  failure(state: CircuitState): boolean {
    const byCount = this.consecutive.failure();
    const byRate = this.rate.failure(state);
    return byCount || byRate;
  }
}

/** Failures that say the endpoint is unwell (not the request, not the user's cancel). */
export function isEndpointFault(error: unknown): boolean {
  return TriadError.isInstance(error) && error.code.startsWith('upstream_');
}

interface Entry {
  policy: CircuitBreakerPolicy;
  openedAt: number | null;
  halfOpenAfterMs: number;
}

/** A breaker's settings (from the routing settings). */
export type BreakerSettings = RoutingSettings['breaker'];

/**
 * One circuit breaker per remote endpoint (cockatiel). An open circuit refuses calls until `halfOpenAfterMs`
 * has passed, then lets a single probe through: success closes it, failure opens it again.
 */
export class CircuitBreakers {
  private readonly entries = new Map<string, Entry>();

  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Calls `listener` whenever a circuit changes state; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` through the endpoint's breaker (created with `settings` on first use); an open circuit
   * throws `circuit_open` naming the endpoint and the time to the next probe.
   */
  async execute<T>(endpoint: string, settings: BreakerSettings, work: () => Promise<T>): Promise<T> {
    const entry = this.entry(endpoint, settings);
    try {
      return await entry.policy.execute(work);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const wait = Math.max(0, (entry.openedAt ?? this.now()) + entry.halfOpenAfterMs - this.now());
        throw new TriadError({
          code: 'circuit_open',
          retryable: true,
          retryAfterMs: wait,
          message: `circuit open for ${endpoint} after repeated failures; next probe in ${Math.ceil(wait / 1000)} s`,
        });
      }
      throw error;
    }
  }

  snapshot(): BreakerSnapshot[] {
    return [...this.entries].map(([endpoint, entry]) => {
      const state = entry.policy.state;
      return {
        endpoint,
        state: state === CircuitState.Open ? 'open' : state === CircuitState.HalfOpen ? 'half-open' : 'closed',
        nextProbeAt: state === CircuitState.Open && entry.openedAt !== null ? new Date(entry.openedAt + entry.halfOpenAfterMs).toISOString() : null,
      };
    });
  }

  private entry(endpoint: string, settings: BreakerSettings): Entry {
    let entry = this.entries.get(endpoint);
    if (!entry) {
      const policy = circuitBreaker(handleWhen(isEndpointFault), {
        halfOpenAfter: new ConstantBackoff(settings.halfOpenAfterMs),
        breaker: new ConsecutiveOrRateBreaker(
          new ConsecutiveBreaker(settings.consecutiveFailures),
          new SamplingBreaker({ threshold: settings.failureRate, duration: settings.windowMs, minimumRps: settings.minimumRps }),
        ),
      });
      const created: Entry = { policy, openedAt: null, halfOpenAfterMs: settings.halfOpenAfterMs };
      policy.onBreak(() => {
        created.openedAt = this.now();
      });
      policy.onStateChange(() => this.listeners.forEach((listener) => listener()));
      this.entries.set(endpoint, created);
      entry = created;
    }
    return entry;
  }
}
