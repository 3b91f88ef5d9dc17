import { z } from 'zod';
import { PROVIDERS, TIERS } from './domain';

/** Every failure Triad reports, by stable code. */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'tier_disabled',
  'provider_disabled',
  'no_tier_available',
  'not_configured',
  'model_not_found',
  'model_load_failed',
  'upstream_unreachable',
  'upstream_timeout',
  'upstream_rate_limited',
  'upstream_unavailable',
  'upstream_auth_failed',
  'upstream_rejected',
  'upstream_error',
  'upstream_bad_response',
  'rate_limited',
  'budget_exhausted',
  'circuit_open',
  'keychain_unavailable',
  'keychain_locked',
  'store_unavailable',
  'store_locked',
  'aborted',
  'internal',
] as const;
/** A stable, machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one serialisable error shape that crosses process boundaries. */
export const TriadErrorShapeSchema = z.object({
  /** Stable code a program can branch on. */
  code: z.enum(ERROR_CODES),
  /** Human-readable explanation naming what was wrong; never contains a secret. */
  message: z.string(),
  /** Whether trying the same request again later may succeed. */
  retryable: z.boolean(),
  /** The tier the failure belongs to, when there is one. */
  tier: z.enum(TIERS).optional(),
  /** The provider the failure belongs to, when there is one. */
  provider: z.enum(PROVIDERS).optional(),
  /** How long the upstream asked us to wait before retrying, when it said. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
/** Plain-data error: what a renderer, a log row or an HTTP client receives. */
export type TriadErrorShape = z.infer<typeof TriadErrorShapeSchema>;

const MARKER = Symbol.for('triad.error');

/** An error carrying the shared shape; main-process code throws these. */
export class TriadError extends Error {
  readonly [MARKER] = true;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly tier?: TriadErrorShape['tier'];
  readonly provider?: TriadErrorShape['provider'];
  readonly retryAfterMs?: number;

  constructor(shape: Omit<TriadErrorShape, 'retryable'> & { retryable?: boolean }, options?: { cause?: unknown }) {
    super(shape.message, options);
    this.name = 'TriadError';
    this.code = shape.code;
    this.retryable = shape.retryable ?? false;
    this.tier = shape.tier;
    this.provider = shape.provider;
    this.retryAfterMs = shape.retryAfterMs;
  }

  /** True for a TriadError even across module copies (the marker is a global symbol). */
  static isInstance(value: unknown): value is TriadError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** The plain-data form, without undefined fields. */
  toShape(): TriadErrorShape {
    const shape: TriadErrorShape = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.tier) shape.tier = this.tier;
    if (this.provider) shape.provider = this.provider;
    if (this.retryAfterMs !== undefined) shape.retryAfterMs = this.retryAfterMs;
    return shape;
  }
}
