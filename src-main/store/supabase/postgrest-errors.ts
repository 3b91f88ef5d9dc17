import { TriadError } from '../../../src-shared/errors';
import { redactSecrets, translateStoreError } from '../store-errors';

/** What PostgREST (or postgrest-js, for a request that never got an answer) reports. */
export interface PostgrestFailure {
  code?: string | null;
  message?: string | null;
  details?: string | null;
  hint?: string | null;
}

/** PostgREST's own codes for "the database is not reachable from PostgREST". */
const POSTGREST_CONNECTION_CODES = new Set(['PGRST000', 'PGRST001', 'PGRST002', 'PGRST003']);
/** The function or table is not in PostgREST's schema cache: the migrations were not applied. */
const MISSING_SCHEMA_CODES = new Set(['PGRST202', 'PGRST205', '42883', '42P01']);

/**
 * A failed PostgREST call as a TriadError whose message says what `action` was and what was wrong, naming
 * the project URL but never a key or token:
 * - no answer at all → `store_unavailable` (retryable), naming the URL;
 * - constraint and data errors → `validation_failed` with the same explanations as the SQL store;
 * - refused by a privilege or a row-level security policy → `forbidden`; no valid session → `unauthorized`;
 * - the schema is missing or older than the app → `store_unavailable` saying an admin must apply migrations.
 */
export function translatePostgrestError(failure: PostgrestFailure, status: number, action: string, projectUrl: string): TriadError {
  const code = failure.code ?? '';
  const message = redactSecrets(failure.message ?? 'unknown error');
  const where = `Supabase at ${projectUrl}`;

  if (status === 0) {
    return new TriadError({ code: 'store_unavailable', retryable: true, message: `${action}: ${where} cannot be reached (${networkCause(failure)})` });
  }
  if (/^2[23]/.test(code) || code === '40001' || code === '40P01' || code === '55P03') {
    // The SQL store's translation, fed with what PostgREST passes on of the PostgreSQL error.
    return translateStoreError({ code, message: failure.message ?? '', detail: failure.details ?? undefined, constraint: constraintOf(failure.message) }, action);
  }
  if (code === '42501') {
    // PostgREST answers 401 when the role was anon (no session), 403 for a signed-in operator.
    if (status === 401) return new TriadError({ code: 'unauthorized', message: `${action}: not signed in to ${where}` });
    return new TriadError({ code: 'forbidden', message: `${action}: not allowed for this operator (${message})` });
  }
  if (MISSING_SCHEMA_CODES.has(code)) {
    return new TriadError({
      code: 'store_unavailable',
      message: `${action}: ${where} does not have Triad's schema (${message}): an admin must apply migrations/ to it, see docs/team-mode.md`,
    });
  }
  if (status === 401 || /^PGRST30/.test(code)) {
    return new TriadError({ code: 'unauthorized', message: `${action}: the session is not valid for ${where} (${message}): sign in again` });
  }
  if (POSTGREST_CONNECTION_CODES.has(code) || status === 502 || status === 503 || status === 504 || code === '57014' || /^57P0/.test(code)) {
    return new TriadError({ code: 'store_unavailable', retryable: true, message: `${action}: ${where} is unavailable (${message})` });
  }
  return new TriadError({ code: 'internal', message: `${action}: ${where} answered ${status}${code ? ` ${code}` : ''}: ${message}` });
}

/** The constraint a PostgreSQL message names, e.g. `... violates check constraint "feedback_rating_range"`. */
function constraintOf(message: string | null | undefined): string | undefined {
  return /constraint "([^"]+)"/.exec(message ?? '')?.[1];
}

/** postgrest-js puts "Caused by: Error: connect ECONNREFUSED 127.0.0.1:54321 (ECONNREFUSED)" and a stack into details. */
function networkCause(failure: PostgrestFailure): string {
  const cause = /Caused by: ([^\n]+)/.exec(failure.details ?? '')?.[1];
  return redactSecrets(cause ?? failure.message ?? 'no answer');
}
