import type { RouteAttempt } from '../../../src-shared/routing';
import { PROVIDERS, TIERS } from '../../../src-shared/domain';
import { FINISH_REASONS } from '../../../src-shared/stream-parts';
import type { RequestLogEntry, RequestStatus } from '../repositories';
import type { SqlRow } from '../sql-executor';
import { invalidInput } from '../store-errors';
import { isUuid, toDate, toNumber, toText } from '../values';

// Between RequestLogEntry and the JSON rows / result rows of the request-log SQL.

const STATUSES: readonly RequestStatus[] = ['ok', 'error', 'rejected', 'aborted'];
const TIER_CHOICES: readonly string[] = [...TIERS, 'auto'];

/** The title of a conversation created by its first request: the prompt's first 80 characters. */
function conversationTitle(prompt: string | null): string {
  if (prompt === null) return 'Untitled conversation';
  // By code point, so an emoji is never cut in half.
  return storable(Array.from(prompt.slice(0, 160)).slice(0, 80).join(''))!;
}

/** What the conversation upsert needs of an entry (no answer, so its JSON stays small). */
export function toConversationRow(entry: RequestLogEntry): Record<string, unknown> {
  return {
    conversation_id: entry.conversationId,
    user_id: entry.userId,
    company_slug: entry.companySlug,
    title: conversationTitle(entry.prompt?.content ?? null),
    created_at: entry.createdAt.toISOString(),
    completed_at: entry.completedAt.toISOString(),
  };
}

/**
 * PostgreSQL text cannot hold NUL, and JSON with an unpaired surrogate (an answer cut mid-emoji) is refused:
 * either would fail the whole batch, so both become U+FFFD. A log row must never be lost to its content.
 */
function storable(text: string | null): string | null {
  if (text === null) return null;
  // Checked first: nearly every text needs neither change, and the checks cost less than the replacements.
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

/** An entry as one object of the JSON batch parameter (columns of `ENTRY_RECORD`). */
export function toJsonRow(entry: RequestLogEntry): Record<string, unknown> & { id: string } {
  return {
    id: entry.id,
    conversation_id: entry.conversationId,
    user_id: entry.userId,
    company_slug: entry.companySlug,
    requested_tier: entry.requestedTier,
    tier: entry.tier,
    provider: entry.provider,
    model_id: storable(entry.modelId),
    model_version: storable(entry.modelVersion),
    routing_reason: storable(entry.routingReason),
    status: entry.status,
    error_code: entry.errorCode,
    error_message: storable(entry.errorMessage),
    finish_reason: entry.finishReason,
    ttft_ms: entry.ttftMs,
    latency_ms: entry.latencyMs,
    tokens_in: entry.tokensIn,
    tokens_out: entry.tokensOut,
    created_at: entry.createdAt.toISOString(),
    completed_at: entry.completedAt.toISOString(),
    prompt_id: entry.prompt?.id ?? null,
    prompt: storable(entry.prompt?.content ?? null),
    answer_id: entry.answer?.id ?? null,
    answer: storable(entry.answer?.content ?? null),
    route_attempts: entry.routeAttempts.map((a) => ({ ...a, target: storable(a.target), reason: storable(a.reason) })),
    cache_hit: entry.cacheHit,
  };
}

/** Throws `validation_failed` naming the entry and every problem with it. */
export function validateEntry(entry: RequestLogEntry): void {
  const problems: string[] = [];
  checkUuid(problems, entry.conversationId, 'conversationId', true);
  checkUuid(problems, entry.userId, 'userId', true);
  if (!STATUSES.includes(entry.status)) problems.push(`status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(entry.status)}`);
  checkOneOf(problems, entry.requestedTier, TIER_CHOICES, 'requestedTier');
  checkOneOf(problems, entry.tier, TIERS, 'tier');
  checkOneOf(problems, entry.provider, PROVIDERS, 'provider');
  checkOneOf(problems, entry.finishReason, FINISH_REASONS, 'finishReason');
  checkCount(problems, entry.ttftMs, 'ttftMs', true, false);
  checkCount(problems, entry.latencyMs, 'latencyMs', false, false);
  checkCount(problems, entry.tokensIn, 'tokensIn', true, true);
  checkCount(problems, entry.tokensOut, 'tokensOut', true, true);
  checkDate(problems, entry.createdAt, 'createdAt');
  if (!Array.isArray(entry.routeAttempts)) problems.push('routeAttempts must be an array');
  if (typeof entry.cacheHit !== 'boolean') problems.push('cacheHit must be true or false');
  checkDate(problems, entry.completedAt, 'completedAt');
  checkMessage(problems, entry.prompt, 'prompt');
  checkMessage(problems, entry.answer, 'answer');
  if (!isUuid(entry.id)) problems.unshift(`id must be a UUID, got ${JSON.stringify(entry.id)}`);
  if (problems.length > 0) throw invalidInput(`request log entry ${String(entry.id)}: ${problems.join('; ')}`);
}

// The checks of validateEntry, at module level: it runs for every logged request, and closures made per call
// cost more than the checks themselves.
function checkUuid(problems: string[], value: unknown, field: string, nullable: boolean): void {
  if (!(isUuid(value) || (nullable && value === null))) problems.push(`${field} must be a UUID${nullable ? ' or null' : ''}`);
}

function checkOneOf(problems: string[], value: unknown, allowed: readonly string[], field: string): void {
  if (value !== null && !allowed.includes(value as string)) problems.push(`${field} must be one of ${allowed.join(', ')} or null, got ${JSON.stringify(value)}`);
}

function checkCount(problems: string[], value: unknown, field: string, nullable: boolean, whole: boolean): void {
  if (nullable && value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
    problems.push(`${field} must be a ${whole ? 'whole ' : ''}number ≥ 0${nullable ? ' or null' : ''}, got ${String(value)}`);
  }
}

function checkDate(problems: string[], value: unknown, field: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) problems.push(`${field} must be a valid Date`);
}

function checkMessage(problems: string[], message: RequestLogEntry['prompt'], field: string): void {
  if (message === null) return;
  checkUuid(problems, message.id, `${field}.id`, false);
  if (typeof message.content !== 'string') problems.push(`${field}.content must be a string`);
}

/** A row of the request-log SELECT (request joined with company and messages) as an entry. */
export function toEntry(row: SqlRow): RequestLogEntry {
  return {
    id: String(row.id),
    conversationId: toText(row.conversation_id),
    userId: toText(row.user_id),
    companySlug: toText(row.company_slug),
    requestedTier: toText(row.requested_tier) as RequestLogEntry['requestedTier'],
    tier: toText(row.tier) as RequestLogEntry['tier'],
    provider: toText(row.provider) as RequestLogEntry['provider'],
    modelId: toText(row.model_id),
    modelVersion: toText(row.model_version),
    routingReason: toText(row.routing_reason),
    status: row.status as RequestStatus,
    errorCode: toText(row.error_code) as RequestLogEntry['errorCode'],
    errorMessage: toText(row.error_message),
    finishReason: toText(row.finish_reason) as RequestLogEntry['finishReason'],
    ttftMs: toNumber(row.ttft_ms),
    latencyMs: Number(row.latency_ms),
    tokensIn: toNumber(row.tokens_in),
    tokensOut: toNumber(row.tokens_out),
    createdAt: toDate(row.created_at),
    completedAt: toDate(row.completed_at),
    prompt: row.prompt_id ? { id: String(row.prompt_id), content: String(row.prompt_content) } : null,
    answer: row.answer_id ? { id: String(row.answer_id), content: String(row.answer_content) } : null,
    routeAttempts: parseJson(row.route_attempts) as RouteAttempt[],
    cacheHit: row.cache_hit === true,
  };
}

/** A jsonb column: pg parses it, PGlite too; text is parsed here for safety. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? []);
}

/** The entries checked (one bad entry fails the call, naming it) and with repeated ids dropped, in order. */
export function validUniqueEntries(entries: RequestLogEntry[]): RequestLogEntry[] {
  const unique = new Map<string, RequestLogEntry>();
  for (const entry of entries) {
    validateEntry(entry);
    if (!unique.has(entry.id)) unique.set(entry.id, entry);
  }
  return [...unique.values()];
}
