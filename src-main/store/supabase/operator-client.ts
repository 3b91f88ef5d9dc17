import {

  createClient,
  isAuthApiError,
  isAuthRetryableFetchError,
  type SupabaseClient,
  type SupportedStorage,
  type WebSocketLikeConstructor,
} from '@supabase/supabase-js';
import WebSocket from 'ws';
import { TriadError } from '../../../src-shared/errors';
import { isHttpsOrLoopback } from '../../../src-shared/secure-url';

/** How to reach a team's Supabase project. */
export interface OperatorClientOptions {
  /** The project URL, e.g. https://abcd.supabase.co; plain http only on this machine. */
  url: string;
  /** The project's anon (publishable) key. A service-role key is refused: it would bypass row-level security. */
  anonKey: string;
  /** Where supabase-js keeps the session between runs (the OS keychain in the app); in memory when absent. */
  storage?: SupportedStorage;
  /** The key the session is stored under in `storage` (supabase-js's default names the project: `sb-<ref>-auth-token`). */
  storageKey?: string;
  /** The fetch every request goes through (Auth and REST); the global fetch by default. */
  fetch?: typeof fetch;
  /** Whether supabase-js refreshes the access token before it expires (default true). */
  autoRefreshToken?: boolean;
  /**
   * For a process that is handed the operator's access token rather than their session: every request
   * carries what this returns, and the client has no `auth` of its own (supabase-js's third-party auth mode).
   */
  accessToken?: () => Promise<string | null>;
}

/** Throws `validation_failed` unless `url` is https, or http to this machine (a local team stack). */
export function requireSafeProjectUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TriadError({ code: 'validation_failed', message: `the Supabase URL '${url}' is not a URL` });
  }
  if (isHttpsOrLoopback(parsed)) return parsed;
  throw new TriadError({
    code: 'validation_failed',
    message: `the Supabase URL must use https (plain http only to this machine), got '${parsed.origin}'`,
  });
}

/** Throws `validation_failed` for a key that is not a public one: a legacy service_role JWT or an sb_secret_ key. */
export function requirePublicKey(key: string): void {
  if (key.startsWith('sb_secret_')) throw secretKeyError();
  const payload = key.split('.')[1];
  if (payload === undefined) return;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { role?: unknown };
    if (claims.role === 'service_role') throw secretKeyError();
  } catch (error) {
    if (TriadError.isInstance(error)) throw error;
  }
}

function secretKeyError(): TriadError {
  return new TriadError({
    code: 'validation_failed',
    message: "this is the project's secret (service-role) key, which bypasses row-level security: give Triad the anon (publishable) key",
  });
}

/**
 * A supabase-js client for one operator of the project: not signed in yet (see {@link signInOperator}),
 * unless `accessToken` is given. Its realtime transport is the `ws` package: on Node 20, which has no
 * WebSocket, supabase-js refuses to create a client without one (Electron's Node has it built in).
 */
export function createOperatorClient(options: OperatorClientOptions): SupabaseClient {
  requireSafeProjectUrl(options.url);
  requirePublicKey(options.anonKey);
  return createClient(options.url, options.anonKey, {
    auth: {
      storage: options.storage,
      ...(options.storageKey === undefined ? {} : { storageKey: options.storageKey }),
      persistSession: options.storage !== undefined,
      autoRefreshToken: options.autoRefreshToken ?? true,
      detectSessionInUrl: false,
    },
    // ws's class is the WebSocket supabase-js expects; its (undeclared) types are not, hence the cast.
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    ...(options.fetch ? { global: { fetch: options.fetch } } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
  });
}

/** The signed-in operator as Supabase Auth knows them. */
export interface SignedInOperator {
  /** auth.uid(): the operator's id in `users` too. */
  userId: string;
  email: string;
}

/**
 * Signs the operator in with email and password. Failures are TriadErrors: `unauthorized` with what was
 * wrong (wrong email or password, unconfirmed email…), `store_unavailable` when Supabase Auth cannot be reached.
 */
export async function signInOperator(client: SupabaseClient, url: string, credentials: { email: string; password: string }): Promise<SignedInOperator> {
  const { data, error } = await client.auth.signInWithPassword(credentials);
  if (error) throw translateAuthError(error, `signing in ${credentials.email} to ${requireSafeProjectUrl(url).origin}`);
  return { userId: data.user.id, email: data.user.email ?? credentials.email };
}

/** Plain-language reasons for the GoTrue error codes an operator can meet when signing in. */
const AUTH_ERROR_EXPLANATIONS: Record<string, string> = {
  invalid_credentials: 'wrong email or password',
  email_not_confirmed: 'the email address is not confirmed yet: follow the link in the confirmation email first',
  user_banned: 'this account is suspended: ask an admin of the project',
  over_request_rate_limit: 'too many attempts: wait a minute and try again',
};

/** An error of supabase-js's auth client as a TriadError saying what `action` was and what went wrong. */
export function translateAuthError(error: unknown, action: string): TriadError {
  if (isAuthRetryableFetchError(error)) {
    return new TriadError({ code: 'store_unavailable', retryable: true, message: `${action}: Supabase Auth cannot be reached (${error.message})` }, { cause: error });
  }
  if (isAuthApiError(error)) {
    // Before GoTrue 2.16x a wrong password came without a code, only the message.
    const reason = (error.code && AUTH_ERROR_EXPLANATIONS[error.code]) ?? (error.message === 'Invalid login credentials' ? AUTH_ERROR_EXPLANATIONS.invalid_credentials : error.message);
    return new TriadError({ code: 'unauthorized', message: `${action}: ${reason}` }, { cause: error });
  }
  return new TriadError({ code: 'unauthorized', message: `${action}: ${(error as Error).message ?? String(error)}` }, { cause: error });
}
