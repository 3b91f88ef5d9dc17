import { TriadError } from '../../src-shared/errors';

/** Replaces the password of every `scheme://user:password@` in `text` with `***`. */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@');
}

/** `host:port/database` of a connection string, for messages; never the user or password. */
export function describeConnectionTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || decodeURIComponent(url.searchParams.get('host') ?? '') || 'localhost';
    return `${host}:${url.port || '5432'}${url.pathname || '/postgres'}`;
  } catch {
    return 'an unparseable connection string';
  }
}

/** What the driver errors carry (pg and PGlite both use pg-protocol's DatabaseError). */
interface DriverError {
  code?: string;
  message?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

/** Plain-language explanations of the constraints in migrations/, keyed by constraint name. */
const CONSTRAINT_EXPLANATIONS: Record<string, string> = {
  feedback_rating_range: 'rating must be a whole number from 1 to 5',
  feedback_thumbs_valid: 'thumbs must be 1 (up) or -1 (down)',
  feedback_one_per_user_and_request: 'this user already gave feedback on this request',
  companies_slug_unique: 'a company with this slug already exists',
  companies_slug_format: 'a company slug is 1–63 lowercase letters, digits and dashes, not starting with a dash',
  users_email_unique: 'a user with this email already exists',
  users_role_valid: "role must be 'analyst', 'ml_lead' or 'admin'",
  model_registry_name_version_unique: 'this version of this model is already registered',
  model_registry_tier_valid: "tier must be 'base', 'company' or 'abstraction'",
  hf_spaces_config_space_type_valid: "space type must be 'base', 'company' or 'abstraction'",
  llm_requests_status_valid: "status must be 'ok', 'error', 'rejected' or 'aborted'",
  cross_company_insights_sample_size_not_negative: 'sample size must not be negative',
  preferences_two_or_three_answers: 'a comparison has two or three answers',
  preferences_verdict_valid: "verdict must be 'winner', 'tie' or 'both_bad'",
  preferences_winner_shown: 'the winner must be one of the compared answers, and only a winner verdict names one',
  hf_deployments_one_running_per_tier_idx: 'a deploy of this tier is already running (one at a time)',
  model_registry_training_run_idx: 'this training run has already registered its model',
};

/** Network-level failures of the Node socket, before PostgreSQL answered. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

function isConnectionFailure(error: DriverError): boolean {
  const code = error.code ?? '';
  if (CONNECTION_ERROR_CODES.has(code)) return true;
  // 08: connection exception; 57P0x: server shutting down or starting; 53300: too many connections;
  // 28: authentication failed; 3D000: the database does not exist.
  if (/^(08|28)/.test(code) || /^57P0/.test(code) || code === '53300' || code === '3D000') return true;
  return /connection terminated|timeout expired|cannot use a pool after|client has encountered a connection error|PGlite is closed/i.test(
    error.message ?? '',
  );
}

/**
 * Turns what a driver threw into a TriadError whose message says what `action` was and what was wrong.
 * Constraint and data errors become `validation_failed`; lost connections `store_unavailable`.
 */
export function translateStoreError(error: unknown, action: string): TriadError {
  if (TriadError.isInstance(error)) return error;
  const driverError: DriverError = typeof error === 'object' && error !== null ? (error as DriverError) : { message: String(error) };
  const code = driverError.code ?? '';
  const original = redactSecrets(driverError.message ?? String(error));
  const explanation = driverError.constraint ? CONSTRAINT_EXPLANATIONS[driverError.constraint] : undefined;

  if (/^23/.test(code)) {
    // The detail of a foreign-key or unique violation names the key ("Key (company_id)=(…) is not present
    // in table "companies""); a check violation's detail repeats the whole row (prompts included), so it is left out.
    const detail = code === '23514' || code === '23502' ? '' : driverError.detail ? ` (${redactSecrets(driverError.detail)})` : '';
    const reason = explanation ?? original;
    return new TriadError({ code: 'validation_failed', message: `${action}: ${reason}${detail}` }, { cause: error });
  }
  if (/^22/.test(code)) {
    return new TriadError({ code: 'validation_failed', message: `${action}: ${original}` }, { cause: error });
  }
  if (code === '40001' || code === '40P01' || code === '55P03') {
    return new TriadError({ code: 'store_unavailable', message: `${action}: ${original}`, retryable: true }, { cause: error });
  }
  if (isConnectionFailure(driverError)) {
    const retryable = !/^(28|3D)/.test(code);
    return new TriadError({ code: 'store_unavailable', message: `${action}: the database is unavailable: ${original}`, retryable }, { cause: error });
  }
  return new TriadError({ code: 'internal', message: `${action}: ${original}` }, { cause: error });
}

/** Runs `work`, translating anything it throws with {@link translateStoreError}. */
export async function withStoreErrors<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateStoreError(error, action);
  }
}

/** A `validation_failed` error for input rejected before it reached the database. */
export function invalidInput(message: string): TriadError {
  return new TriadError({ code: 'validation_failed', message });
}
