import type { ErrorCode } from '../../src-shared/errors';
import { TriadError } from '../../src-shared/errors';
import type { Provider } from '../../src-shared/domain';

/** Maps an upstream HTTP status to Triad's error code and whether a retry may help. */
export function classifyHttpStatus(status: number): { code: ErrorCode; retryable: boolean } {
  if (status === 401 || status === 403) return { code: 'upstream_auth_failed', retryable: false };
  if (status === 408) return { code: 'upstream_timeout', retryable: true };
  if (status === 429) return { code: 'upstream_rate_limited', retryable: true };
  // A sleeping or building Hugging Face Space answers 503 until it is up.
  if (status === 503) return { code: 'upstream_unavailable', retryable: true };
  if (status === 409 || status >= 500) return { code: 'upstream_error', retryable: true };
  return { code: 'upstream_rejected', retryable: false };
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Where a failure happened, for messages that name the endpoint. */
export interface UpstreamPlace {
  provider: Provider;
  /** Endpoint URL or model path, as a person would recognise it. */
  endpoint: string;
}

/** A TriadError for an upstream HTTP error status, naming the endpoint and quoting the upstream's reason. */
export function httpStatusError(place: UpstreamPlace, status: number, detail: string, retryAfterMs?: number): TriadError {
  const { code, retryable } = classifyHttpStatus(status);
  const reason = detail.trim().slice(0, 300);
  return new TriadError({
    code,
    retryable,
    provider: place.provider,
    retryAfterMs,
    message: `${place.endpoint} answered HTTP ${status}${reason ? `: ${reason}` : ''}`,
  });
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Finds a Node/undici network error code anywhere in an error's cause chain. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A TriadError for a connection that could not be made or was cut. */
export function unreachableError(place: UpstreamPlace, error: unknown): TriadError {
  const code = networkErrorCode(error);
  const why = code ?? (error instanceof Error ? error.message : String(error));
  return new TriadError(
    { code: 'upstream_unreachable', retryable: true, provider: place.provider, message: `cannot reach ${place.endpoint}: ${why}` },
    { cause: error },
  );
}

/** A TriadError for a response Triad cannot use (malformed stream, cut mid-answer). */
export function badResponseError(place: UpstreamPlace, what: string): TriadError {
  return new TriadError({ code: 'upstream_bad_response', retryable: true, provider: place.provider, message: `${place.endpoint}: ${what}` });
}

/** True when an error is an abort (DOMException AbortError or a library's own abort class). */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || error.name === 'APIUserAbortError' || (error as { code?: unknown }).code === 'ABORT_ERR';
}
