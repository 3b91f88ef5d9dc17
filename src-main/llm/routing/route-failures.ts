import type { Tier } from '../../../src-shared/domain';
import { TriadError } from '../../../src-shared/errors';
import type { RouteAttempt, StrategyNode, TargetRef } from '../../../src-shared/routing';

/** The last failure of a route, with every attempt, so the facade can log them. */
export class RoutingError extends TriadError {
  constructor(
    last: TriadError,
    readonly attempts: RouteAttempt[],
  ) {
    super(last.toShape(), { cause: last });
  }
}

/** A target reference as a person reads it, before it is resolved. */
export function describeRef(ref: TargetRef, tier?: Tier): string {
  if (ref.provider === 'huggingface') return `${ref.space === 'tier' ? (tier ?? 'the tier') : ref.space} Space`;
  return ref.provider === 'openai' ? 'OpenAI' : 'local model';
}

const UNAVAILABLE = new Set(['upstream_unreachable', 'upstream_unavailable', 'circuit_open', 'not_configured', 'provider_disabled', 'model_not_found', 'model_load_failed', 'keychain_unavailable', 'keychain_locked']);

/** Whether a fallback's conditions let it move on after this failure. */
export function conditionsAllow(error: unknown, on: Extract<StrategyNode, { mode: 'fallback' }>['on']): boolean {
  if (!TriadError.isInstance(error)) return false;
  if (error.code === 'aborted' || error.code === 'validation_failed') return false;
  if (/\(after \d+ characters of the answer\)$/.test(error.message)) return on?.streamCut ?? true;
  if (error.code === 'upstream_timeout') return on?.timeout ?? true;
  if (UNAVAILABLE.has(error.code)) return on?.unavailable ?? true;
  const status = /answered HTTP (\d{3})/.exec(error.message)?.[1];
  if (status && on?.statusCodes) return on.statusCodes.includes(Number(status));
  return true;
}

/**
 * The attempts with secrets removed from their two free-text fields (a target's label and a reason that may
 * quote an upstream's error); provider, outcome and tries are enums and counts the executor set itself.
 * Cheaper than a deep copy on every answer.
 */
export function redactAttempts(attempts: readonly RouteAttempt[], redact: (text: string) => string): RouteAttempt[] {
  return attempts.map((attempt) => ({ ...attempt, target: redact(attempt.target), reason: redact(attempt.reason) }));
}
