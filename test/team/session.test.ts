import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TeamViewSchema } from '../../src-shared/ipc-contract';
import { KeychainSecretStore, requireKeytar } from '../../src-main/secrets/keychain-secret-store';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';
import { signJwt } from '../support/team-stack/auth-stand-in';
import { freePort } from '../support/free-port';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { createTestApp, type TestApp } from '../support/test-app';
import { apiClient, type ApiClient } from './api-client';
import { dataFolder, TEST_TEAM_TIMING } from './support';

// Team sign-in through the API, with the session in the real keychain (the suite's gnome-keyring, a keychain
// service of its own per app) and supabase-js against the local team stack.

let stack: TeamStack;
let lead: TeamOperator;
const company = `s-${randomUUID().slice(0, 6)}`;
const open: Array<{ app: TestApp; client: ApiClient }> = [];

beforeAll(async () => {
  stack = await startTeamStack();
  lead = await stack.createOperator({ role: 'ml_lead', companies: [company], displayName: 'Lena Lead' });
}, 60_000);

afterEach(async () => {
  for (const { app, client } of open.splice(0)) {
    client.close();
    await app.close();
  }
});

afterAll(async () => {
  await stack?.stop();
});

async function start(options: { dataDir?: string; keychainService?: string } = {}): Promise<{ app: TestApp; client: ApiClient }> {
  const app = await createTestApp({ team: TEST_TEAM_TIMING, ...options });
  const client = apiClient(app);
  open.push({ app, client });
  return { app, client };
}

async function stop(started: { app: TestApp; client: ApiClient }): Promise<void> {
  open.splice(open.indexOf(started), 1);
  started.client.close();
  await started.app.close();
}

/** Every file under `dir`, recursively, as bytes. */
function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path)];
  });
}

describe('team sign-in', () => {
  it('keeps the session in the keychain only: a restart is signed in without a password, signing out deletes the entry', async () => {
    const dataDir = dataFolder();
    const keychainService = `triad-test-${randomUUID()}`;
    const keytar = requireKeytar();
    const first = await start({ dataDir, keychainService });

    const configured = await first.client.call('team.configure', { mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
    expect(configured).toMatchObject({ connection: { mode: 'supabase', url: stack.url, anonKeySet: true }, session: null, sync: { state: 'signed-out' } });
    expect(await keytar.getPassword(keychainService, 'supabase-anon-key')).toBe(stack.anonKey);

    const signedIn = await first.client.call('team.signIn', { email: lead.email, password: lead.password });
    expect(signedIn.session).toMatchObject({ userId: lead.id, email: lead.email, displayName: 'Lena Lead', role: 'ml_lead', companies: [company] });
    expect(signedIn.sync.state).toBe('online');
    expect(Date.parse(signedIn.session!.expiresAt!)).toBeGreaterThan(Date.now());
    await vi.waitFor(() => expect(first.client.teamEvents.at(-1)?.session?.userId).toBe(lead.id));
    // What the renderer receives follows the contract.
    for (const view of [configured, signedIn, ...first.client.teamEvents]) expect(TeamViewSchema.parse(view)).toEqual(view);
    expect((await first.client.call('settings.get', {})).user).toEqual({ id: lead.id, displayName: 'Lena Lead', role: 'ml_lead' });
    expect((await first.client.call('status.get', {})).store).toBe('supabase');

    const stored = JSON.parse((await keytar.getPassword(keychainService, 'supabase-session'))!) as { refresh_token: string; user: { id: string } };
    expect(stored.user.id).toBe(lead.id);
    await stop(first);
    // Never a file: the data folder holds neither token.
    for (const file of filesUnder(dataDir)) expect(file.includes(stored.refresh_token)).toBe(false);

    const second = await start({ dataDir, keychainService });
    const restored = await second.client.call('team.get', {});
    expect(restored.session).toMatchObject({ userId: lead.id, role: 'ml_lead', companies: [company] });
    await vi.waitFor(async () => expect((await second.client.call('team.get', {})).sync.state).toBe('online'));
    expect((await second.client.call('settings.get', {})).user.id).toBe(lead.id);

    const signedOut = await second.client.call('team.signOut', {});
    expect(signedOut).toMatchObject({ connection: { mode: 'supabase', url: stack.url }, session: null, sync: { state: 'signed-out', lastError: null } });
    expect(await keytar.getPassword(keychainService, 'supabase-session')).toBeNull();
    expect((await second.client.call('settings.get', {})).user.id).toBe(second.app.localOperator.id);
    expect((await second.client.call('status.get', {})).store).toBe('pglite');
    // The refresh token is dead at Supabase too.
    expect((await stack.anonClient().auth.refreshSession({ refresh_token: stored.refresh_token })).error?.code).toBe('refresh_token_not_found');
  });

  it('holds a session of several KB in the keychain, while other secrets stay under 4 KB', async () => {
    const keychain = new KeychainSecretStore({ redactor: new TokenSecretRedactor(), service: `triad-test-${randomUUID()}` });
    // A session whose user carries generous metadata: well over the 4 KB of an API key.
    const session = JSON.stringify({ access_token: 'a'.repeat(1_200), refresh_token: 'r'.repeat(40), user: { user_metadata: { notes: 'n'.repeat(20_000) } } });
    await keychain.set('supabase-session', session);
    expect(await keychain.get('supabase-session')).toBe(session);
    await expect(keychain.set('supabase-session', `{"x":"${'x'.repeat(70_000)}"}`)).rejects.toMatchObject({ message: expect.stringContaining('longer than 65536 bytes') });
    await expect(keychain.set('supabase-anon-key', 'k'.repeat(5_000))).rejects.toMatchObject({ message: expect.stringContaining('longer than 4096 bytes') });
    await keychain.delete('supabase-session');
    expect(await keychain.get('supabase-session')).toBeUndefined();
  });

  it('says "wrong email or password" for a wrong password, and logs no password', async () => {
    const { app, client } = await start();
    await client.call('team.configure', { mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
    const password = `wrong-${randomUUID()}`;
    const error = await client.refusal('team.signIn', { email: lead.email, password });
    expect(error).toMatchObject({ code: 'unauthorized', message: `signing in ${lead.email} to ${stack.url}: wrong email or password` });
    expect((await client.call('team.get', {})).session).toBeNull();
    expect(await requireKeytar().getPassword(app.keychainService, 'supabase-session')).toBeNull();
    expect(app.logText()).not.toContain(password);
    expect(app.logText()).not.toContain(lead.password);
  });

  it('refuses a Supabase URL that is plain http to another computer, and tests a connection without changing anything', async () => {
    const { client } = await start();
    const refused = await client.refusal('team.configure', { mode: 'supabase', url: 'http://supabase.example.com', anonKey: stack.anonKey });
    expect(refused).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/must use https .*'http:\/\/supabase\.example\.com'/) });
    expect((await client.call('team.get', {})).connection).toEqual({ mode: 'embedded', url: null, anonKeySet: false });

    expect(await client.call('team.testConnection', { url: 'http://supabase.example.com', anonKey: stack.anonKey })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/must use https/),
    });
    expect(await client.call('team.testConnection', { url: stack.url, anonKey: stack.anonKey })).toEqual({
      ok: true,
      message: `Supabase at ${stack.url} answers, accepts the anon key and has Triad's migrations`,
    });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await client.call('team.testConnection', { url: closed, anonKey: stack.anonKey });
    expect(unreachable.ok).toBe(false);
    expect(unreachable.message).toMatch(new RegExp(`Supabase at ${closed} cannot be reached \\(.*ECONNREFUSED`));
    const foreignKey = await signJwt({ role: 'anon' }, 'another secret, thirty-two bytes long!', 3600);
    expect(await client.call('team.testConnection', { url: stack.url, anonKey: foreignKey })).toMatchObject({ ok: false, message: expect.stringMatching(/refused the anon key \(Invalid API key\)/) });
    expect(await client.call('team.testConnection', { url: stack.url, anonKey: stack.serviceKey })).toMatchObject({ ok: false, message: expect.stringMatching(/service-role/) });
    // A project whose admin has not applied the newest migration.
    const signature = 'triad_sync_feedback(uuid, uuid, uuid, smallint, smallint, text, text, timestamptz, timestamptz)';
    const definition = (await stack.query<{ definition: string }>(`SELECT pg_get_functiondef('${signature}'::regprocedure) AS definition`))[0]!.definition;
    try {
      await stack.query(`DROP FUNCTION ${signature}`);
      await stack.query("NOTIFY pgrst, 'reload schema'");
      await vi.waitFor(async () =>
        expect(await client.call('team.testConnection', { url: stack.url, anonKey: stack.anonKey })).toEqual({
          ok: false,
          message: `Supabase at ${stack.url} has Triad's schema, but not its newest migrations (no triad_sync_feedback): an admin must apply the newer migrations/ (docs/team-mode.md)`,
        }),
      );
    } finally {
      await stack.query(definition);
      await stack.query(`REVOKE EXECUTE ON FUNCTION ${signature} FROM PUBLIC, anon`);
      await stack.query(`GRANT EXECUTE ON FUNCTION ${signature} TO authenticated, service_role`);
      await stack.query("NOTIFY pgrst, 'reload schema'");
    }
    // Testing stored nothing.
    expect((await client.call('team.get', {})).connection).toEqual({ mode: 'embedded', url: null, anonKeySet: false });
  });

  it('renews an expiring session on its own, and signs out with the reason when Supabase refuses to renew it', async () => {
    stack.auth.accessTokenSeconds = 2;
    try {
      const { app, client } = await start();
      await client.call('team.configure', { mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
      const first = await client.call('team.signIn', { email: lead.email, password: lead.password });
      // Past the first token's lifetime, the operator still works online: supabase-js refreshed it.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await client.call('conversations.list', {})).toEqual([]);
      const renewed = await client.call('team.get', {});
      expect(renewed.sync.state).toBe('online');
      expect(Date.parse(renewed.session!.expiresAt!)).toBeGreaterThan(Date.parse(first.session!.expiresAt!));

      // An admin revokes the operator's sessions: the next renewal is refused.
      await stack.query('DELETE FROM auth.sessions WHERE user_id = $1', [lead.id]);
      await vi.waitFor(
        async () => {
          await client.call('conversations.list', {});
          expect((await client.call('team.get', {})).session).toBeNull();
        },
        { timeout: 15_000, interval: 500 },
      );
      const view = await client.call('team.get', {});
      expect(view.sync).toMatchObject({ state: 'signed-out', lastError: expect.stringMatching(/^signed out: Supabase refused to renew the session .*sign in again/) });
      expect(await requireKeytar().getPassword(app.keychainService, 'supabase-session')).toBeNull();
      expect((await client.call('settings.get', {})).user.id).toBe(app.localOperator.id);
    } finally {
      stack.auth.accessTokenSeconds = 3600;
    }
  });
});
