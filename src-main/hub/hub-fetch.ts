/**
 * The `fetch` every Hub client of Triad passes to `@huggingface/hub` and to its own REST calls: it waits as the
 * Hub says when rate-limited (a 429's `Retry-After`, else the `RateLimit` header's reset time), retries a 502,
 * 503 or 504 a few times with backoff, and remembers how many calls the current window has left, so pollers can
 * slow down before they hit the limit. Streams (Server-Sent Events) go through unchanged once they answer 200.
 */

/** What the Hub last said about its rate limit (IETF `RateLimit: "api";r=<left>;t=<seconds>`). */
export interface HubRateLimitState {
  remaining: number | null;
  resetSeconds: number | null;
}

export interface HubFetchOptions {
  fetch?: typeof fetch;
  /** How long one wait for the rate limit may be; a longer one fails with the time to retry in the message. */
  maxWaitMs?: number;
  /** Retries of a 429 or 5xx before the answer is returned as it is. */
  retries?: number;
  /** Told about every wait (progress lines, logs). */
  onWait?: (wait: { status: number; ms: number; url: string }) => void;
  /** Waits; tests make time pass faster. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type HubFetch = typeof fetch & { readonly rateLimit: HubRateLimitState };

const RETRYABLE = new Set([429, 502, 503, 504]);

/** Parses `"api";r=12;t=30` (the first policy's remaining calls and seconds to reset). */
export function parseRateLimit(header: string | null): HubRateLimitState {
  const remaining = header ? /(?:^|;)\s*r=(\d+)/.exec(header)?.[1] : undefined;
  const reset = header ? /(?:^|;)\s*t=(\d+)/.exec(header)?.[1] : undefined;
  return { remaining: remaining === undefined ? null : Number(remaining), resetSeconds: reset === undefined ? null : Number(reset) };
}

/** How long a 429 asks to wait: Retry-After (seconds or an HTTP date), else the RateLimit reset. */
export function rateLimitWaitMs(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const { resetSeconds } = parseRateLimit(headers.get('ratelimit'));
  return resetSeconds === null ? null : resetSeconds * 1000;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

export function createHubFetch(options: HubFetchOptions = {}): HubFetch {
  const base = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const retries = options.retries ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
  const rateLimit: HubRateLimitState = { remaining: null, resetSeconds: null };

  const hubFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    // A body that is a stream can be sent once only; such requests are not retried.
    const replayable = init?.body === undefined || init.body === null || typeof init.body === 'string' || init.body instanceof Uint8Array || init.body instanceof Blob;
    for (let attempt = 0; ; attempt++) {
      const response = await base(input, init);
      const seen = parseRateLimit(response.headers.get('ratelimit'));
      if (seen.remaining !== null) Object.assign(rateLimit, seen);
      if (!RETRYABLE.has(response.status) || attempt >= retries || !replayable) return response;
      const asked = response.status === 429 ? rateLimitWaitMs(response.headers) : null;
      const wait = asked ?? Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (wait > maxWaitMs) return response;
      await response.body?.cancel().catch(() => undefined);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      options.onWait?.({ status: response.status, ms: wait, url });
      await sleep(wait, init?.signal ?? undefined);
    }
  };
  return Object.assign(hubFetch, { rateLimit }) as HubFetch;
}
