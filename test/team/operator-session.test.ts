import { isAuthApiError, isAuthSessionMissingError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import { openStore } from '../../src-main/store/open-store';
import { createOperatorClient, signInOperator } from '../../src-main/store/supabase/operator-client';
import { REQUIRED_API_VERSION } from '../../src-main/store/supabase/supabase-store';
import { thrownBy } from '../store/support';
import { signJwt } from '../support/team-stack/auth-stand-in';
import { freePort } from '../support/free-port';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';

let stack: TeamStack;
let analyst: TeamOperator;

beforeAll(async () => {
  stack = await startTeamStack();
  analyst = await stack.createOperator({ role: 'analyst', email: 'ana@team.triad.test', password: 'correct horse battery' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function expectTriadError(error: unknown, code: TriadError['code']): TriadError {
  expect(TriadError.isInstance(error), String(error)).toBe(true);
  expect((error as TriadError).code).toBe(code);
  return error as TriadError;
}

describe('operator sign-in', () => {
  it('refuses a wrong password or an unknown email the way Supabase Auth does, and says so plainly', async () => {
    for (const credentials of [{ email: analyst.email, password: 'wrong' }, { email: 'nobody@team.triad.test', password: 'x' }]) {
      const { data, error } = await stack.anonClient().auth.signInWithPassword(credentials);
      expect(data.session).toBeNull();
      expect(isAuthApiError(error)).toBe(true);
      expect({ status: error?.status, code: error?.code, message: error?.message }).toEqual({
        status: 400,
        code: 'invalid_credentials',
        message: 'Invalid login credentials',
      });
    }
    const refused = expectTriadError(
      await thrownBy(() => signInOperator(stack.anonClient(), stack.url, { email: analyst.email, password: 'wrong' })),
      'unauthorized',
    );
    expect(refused.message).toBe(`signing in ${analyst.email} to ${stack.url}: wrong email or password`);
  });

  it('says Supabase Auth is unreachable, naming where, when nothing answers', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    // auth-js logs the failed fetch itself before returning the error.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const client = createOperatorClient({ url: deadUrl, anonKey: stack.anonKey, autoRefreshToken: false });
      const error = expectTriadError(await thrownBy(() => signInOperator(client, deadUrl, analyst)), 'store_unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(deadUrl);
    } finally {
      quiet.mockRestore();
    }
  });

  it('signs in, refreshes the session into a token PostgREST accepts, and signing out ends the session', async () => {
    const client = await stack.signIn(analyst);
    const first = (await client.auth.getSession()).data.session!;
    expect(first.user.id).toBe(analyst.id);
    expect((await client.rpc('triad_session')).data).toEqual({ api_version: REQUIRED_API_VERSION, user_id: analyst.id, role: 'analyst' });

    const { data, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    expect(data.session!.access_token).not.toBe(first.access_token);
    expect((await client.auth.getUser()).data.user?.email).toBe(analyst.email);
    const store = await openStore({ backend: 'supabase', url: stack.url, client });
    expect((await store.directory.getUserAccess(analyst.id))?.role).toBe('analyst');

    // A refresh token is used once.
    const reused = await stack.anonClient().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(reused.error?.code).toBe('refresh_token_already_used');

    const { refresh_token } = data.session!;
    expect((await client.auth.signOut()).error).toBeNull();
    expect((await stack.anonClient().auth.refreshSession({ refresh_token })).error?.code).toBe('refresh_token_not_found');
    // GoTrue's session_not_found, which auth-js reports as a missing session.
    expect(isAuthSessionMissingError((await stack.anonClient().auth.getUser(data.session!.access_token)).error)).toBe(true);
  });
});

describe('the Supabase store and the session', () => {
  it('refuses an expired or forged access token as unauthorized, without repeating the token', async () => {
    const claims = { sub: analyst.id, role: 'authenticated', aud: 'authenticated', session_id: 'none' };
    for (const token of [await signJwt(claims, stack.jwtSecret, -120), await signJwt(claims, 'another secret of thirty-two bytes!', 3600)]) {
      const client = createOperatorClient({ url: stack.url, anonKey: stack.anonKey, accessToken: async () => token });
      const error = expectTriadError(await thrownBy(() => openStore({ backend: 'supabase', url: stack.url, client })), 'unauthorized');
      expect(error.message).toMatch(/session is not valid .*sign in again/);
      expect(error.message).not.toContain(token);
      expect(error.message).not.toContain(stack.anonKey);
    }
  });

  it('names the project URL, and no key, when the project cannot be reached', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const client = createOperatorClient({ url: deadUrl, anonKey: stack.anonKey, autoRefreshToken: false });
    const error = expectTriadError(await thrownBy(() => openStore({ backend: 'supabase', url: deadUrl, client })), 'store_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(new RegExp(`Supabase at ${deadUrl} cannot be reached \\(.*ECONNREFUSED`));
    expect(error.message).not.toContain(stack.anonKey);
  });

  it('refuses a service-role key and a plain-http URL that is not this machine', () => {
    expect(() => createOperatorClient({ url: stack.url, anonKey: stack.serviceKey })).toThrow(/service-role/);
    expect(() => createOperatorClient({ url: stack.url, anonKey: 'sb_secret_abc' })).toThrow(/service-role/);
    expect(() => createOperatorClient({ url: 'http://supabase.example.com', anonKey: stack.anonKey })).toThrow(/must use https/);
    expect(createOperatorClient({ url: 'https://abcd.supabase.co', anonKey: stack.anonKey })).toBeDefined();
  });

  it('tells an admin to apply the migrations when the project lacks them or has older ones', async () => {
    const client = await stack.signIn(analyst);
    const original = (await stack.query<{ definition: string }>("SELECT pg_get_functiondef('triad_session()'::regprocedure) AS definition"))[0]!.definition;
    try {
      await stack.query(original.replace(`'api_version', ${REQUIRED_API_VERSION}`, `'api_version', ${REQUIRED_API_VERSION - 1}`));
      const older = expectTriadError(await thrownBy(() => openStore({ backend: 'supabase', url: stack.url, client })), 'store_unavailable');
      expect(older.message).toMatch(new RegExp(`version ${REQUIRED_API_VERSION - 1}, this app needs ${REQUIRED_API_VERSION}.*apply the newer migrations`));

      // PostgREST only sees a dropped function once its schema cache is reloaded.
      await stack.query('DROP FUNCTION triad_session()');
      await stack.query("NOTIFY pgrst, 'reload schema'");
      await vi.waitFor(async () => expect((await client.rpc('triad_session')).error?.code).toBe('PGRST202'), { timeout: 5_000 });
      const missing = expectTriadError(await thrownBy(() => openStore({ backend: 'supabase', url: stack.url, client })), 'store_unavailable');
      expect(missing.message).toMatch(/does not have Triad's schema .*apply migrations\/ .*docs\/team-mode\.md/);
    } finally {
      await stack.query(original);
      await stack.query('REVOKE EXECUTE ON FUNCTION triad_session() FROM PUBLIC, anon');
      await stack.query('GRANT EXECUTE ON FUNCTION triad_session() TO authenticated, service_role');
      await stack.query("NOTIFY pgrst, 'reload schema'");
    }
  });
});
