import { TriadError } from '../../src-shared/errors';
import { createOperatorClient, requirePublicKey, requireSafeProjectUrl } from '../store/supabase/operator-client';
import { translatePostgrestError, type PostgrestFailure } from '../store/supabase/postgrest-errors';
import { timedFetch } from './timed-fetch';

/** What a connection test answers: whether the app can use the project, and in words why (not). */
export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

/** The function of the newest migration the app needs (migrations/010), with its parameters. */
const NEWEST_FUNCTION = {
  name: 'triad_sync_feedback',
  args: {
    p_id: null, p_request_id: null, p_user_id: null, p_thumbs: null, p_rating: null, p_comment: null,
    p_corrected_answer: null, p_created_at: null, p_updated_at: null,
  },
};

/**
 * Checks, without signing in and without changing anything, that the project at `url` answers, accepts
 * `anonKey`, and has Triad's migrations: Triad's functions refuse the anon role ("permission denied"), which
 * tells that they exist; an unknown function means the migrations (or the newest of them) were not applied.
 */
export async function testConnection(url: string, anonKey: string, timeoutMs: number): Promise<ConnectionTestResult> {
  let origin: string;
  try {
    origin = requireSafeProjectUrl(url).origin;
    requirePublicKey(anonKey);
  } catch (error) {
    if (TriadError.isInstance(error)) return { ok: false, message: error.message };
    throw error;
  }
  const where = `Supabase at ${origin}`;
  const client = createOperatorClient({ url, anonKey, autoRefreshToken: false, fetch: timedFetch(timeoutMs) });
  const probe = async (name: string, args?: Record<string, null>) => {
    const { error, status } = await client.rpc(name, args).retry(false);
    return { error: error as PostgrestFailure | null, status };
  };

  const session = await probe('triad_session');
  const refused = judge(session.error, session.status, origin);
  if (refused) return refused;
  const newest = await probe(NEWEST_FUNCTION.name, NEWEST_FUNCTION.args);
  if (newest.error?.code === 'PGRST202' || newest.error?.code === '42883') {
    return {
      ok: false,
      message: `${where} has Triad's schema, but not its newest migrations (no ${NEWEST_FUNCTION.name}): an admin must apply the newer migrations/ (docs/team-mode.md)`,
    };
  }
  const refusedNewest = judge(newest.error, newest.status, origin);
  if (refusedNewest) return refusedNewest;
  return { ok: true, message: `${where} answers, accepts the anon key and has Triad's migrations` };
}

/** Undefined when the answer is the expected refusal of the anon role; otherwise why the project cannot be used. */
function judge(error: PostgrestFailure | null, status: number, origin: string): ConnectionTestResult | undefined {
  const where = `Supabase at ${origin}`;
  if (error?.code === '42501') return undefined;
  if (status === 0) return { ok: false, message: translatePostgrestError(error ?? {}, status, 'testing the connection', origin).message };
  if (error?.code === 'PGRST202' || error?.code === 'PGRST205' || error?.code === '42883') {
    return { ok: false, message: `${where} answers, but does not have Triad's schema: an admin must apply migrations/ to it (docs/team-mode.md)` };
  }
  if (status === 401) {
    return { ok: false, message: `${where} refused the anon key (${error?.message ?? 'unauthorized'}): copy the anon (publishable) key from the project's API settings` };
  }
  if (!error) return { ok: false, message: `${where} answered an anonymous call to Triad's functions: its privileges are not Triad's (migrations/008)` };
  return { ok: false, message: `${where} answered ${status}${error.code ? ` ${error.code}` : ''}: ${error.message ?? 'unexpected answer'}` };
}
