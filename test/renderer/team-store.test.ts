import { describe, expect, it, vi } from 'vitest';
import type { TeamView } from '../../src-shared/ipc-contract';
import { createTeamStore } from '../../src-renderer/features/team/team-store';
import { FakeTriadClient, settle } from './support/fake-triad-client';
import { embeddedView, signedInView, signedOutView, teamIds } from './support/team-views';

function setup(initial: TeamView = signedOutView()) {
  const client = new FakeTriadClient().handle('team.get', () => initial);
  const onOperatorChanged = vi.fn();
  const team = createTeamStore(client, { onOperatorChanged });
  return { client, team, onOperatorChanged };
}

describe('the team store', () => {
  it('reads the team view, then follows team.changed', async () => {
    const { client, team } = setup();
    const stop = team.getState().follow();
    await settle();
    expect(team.getState().view?.sync.state).toBe('signed-out');

    client.emit('team.changed', { ...signedInView(), sync: { state: 'offline', pending: 3, lastSuccessAt: null, lastError: 'Supabase cannot be reached' } });
    expect(team.getState().view?.sync).toMatchObject({ state: 'offline', pending: 3 });
    stop();
    client.emit('team.changed', embeddedView());
    expect(team.getState().view?.connection.mode).toBe('supabase');
  });

  it('keeps an event that arrives while team.get is on its way over its older answer', async () => {
    let answer!: (view: TeamView) => void;
    const client = new FakeTriadClient().handle('team.get', () => new Promise<TeamView>((resolve) => (answer = resolve)));
    const team = createTeamStore(client);
    team.getState().follow();
    client.emit('team.changed', signedInView());
    answer(signedOutView());
    await settle();
    expect(team.getState().view?.session?.userId).toBe(teamIds.ana);
  });

  it('shows why the team view could not be read', async () => {
    const client = new FakeTriadClient().refuse('team.get', { code: 'internal', message: 'no handler for team.get' });
    const team = createTeamStore(client);
    team.getState().follow();
    await settle();
    expect(team.getState().loadError).toBe('no handler for team.get');
  });

  it('announces a new operator once, on sign-in, sign-out and a mode switch, but not for sync progress', async () => {
    const { client, team, onOperatorChanged } = setup();
    client.handle('team.signIn', () => signedInView()).handle('team.signOut', () => signedOutView()).handle('team.configure', () => embeddedView());
    team.getState().follow();
    await settle();
    expect(onOperatorChanged).not.toHaveBeenCalled();

    expect(await team.getState().signIn({ email: 'ana@team.test', password: 'secret' })).toBe(true);
    // The main process announces the same change as an event too.
    client.emit('team.changed', signedInView());
    expect(onOperatorChanged).toHaveBeenCalledTimes(1);
    expect(team.getState().view?.session?.displayName).toBe('Ana Analyst');

    client.emit('team.changed', { ...signedInView(), sync: { state: 'online', pending: 5, lastSuccessAt: null, lastError: null } });
    expect(onOperatorChanged).toHaveBeenCalledTimes(1);

    client.emit('team.changed', signedInView({ userId: teamIds.bob, email: 'bob@team.test' }));
    expect(onOperatorChanged).toHaveBeenCalledTimes(2);

    await team.getState().signOut();
    expect(team.getState().view?.sync.state).toBe('signed-out');
    expect(onOperatorChanged).toHaveBeenCalledTimes(3);

    await team.getState().configure({ mode: 'embedded' });
    expect(onOperatorChanged).toHaveBeenCalledTimes(4);
    expect(onOperatorChanged).toHaveBeenLastCalledWith(embeddedView());
  });

  it("shows the main process's message for a wrong password, and passes the password on without keeping it", async () => {
    const { client, team } = setup();
    client.refuse('team.signIn', { code: 'unauthorized', message: 'signing in ana@team.test to http://127.0.0.1:54321: wrong email or password' });
    team.getState().follow();
    await settle();
    expect(await team.getState().signIn({ email: 'ana@team.test', password: 'not-it' })).toBe(false);
    expect(team.getState().errors.signIn).toBe('signing in ana@team.test to http://127.0.0.1:54321: wrong email or password');
    expect(team.getState().busy).toBeNull();
    expect(JSON.stringify(team.getState())).not.toContain('not-it');

    client.handle('team.signIn', () => signedInView());
    await team.getState().signIn({ email: 'ana@team.test', password: 'right' });
    expect(team.getState().errors.signIn).toBeUndefined();
  });

  it('refuses plain http to another computer before sending anything', async () => {
    const { client, team } = setup(embeddedView());
    client.handle('team.configure', (input) => ({ ...signedOutView(input.url), connection: { mode: 'supabase', url: input.url ?? null, anonKeySet: true } }));
    client.handle('team.testConnection', () => ({ ok: true, message: 'reached' }));
    team.getState().follow();
    await settle();

    expect(await team.getState().configure({ mode: 'supabase', url: 'http://db.example.com', anonKey: 'anon' })).toBe(false);
    expect(team.getState().errors.configure).toBe('plain http is accepted only on this computer (localhost, 127.0.0.1): use https://db.example.com');
    expect(await team.getState().testConnection({ url: 'http://db.example.com' })).toBe(false);
    expect(team.getState().errors.test).toMatch(/^plain http is accepted only on this computer/);
    expect(client.callsTo('team.configure')).toEqual([]);
    expect(client.callsTo('team.testConnection')).toEqual([]);

    expect(await team.getState().configure({ mode: 'supabase', url: 'http://127.0.0.1:54321', anonKey: 'anon' })).toBe(true);
    expect(await team.getState().configure({ mode: 'supabase', url: 'https://abcd.supabase.co' })).toBe(true);
    expect(client.callsTo('team.configure')).toHaveLength(2);
    expect(team.getState().errors.configure).toBeUndefined();
  });

  it('asks for the anon key when none is saved yet', async () => {
    const { client, team } = setup(embeddedView());
    client.handle('team.configure', () => signedOutView());
    team.getState().follow();
    await settle();
    expect(await team.getState().configure({ mode: 'supabase', url: 'https://abcd.supabase.co' })).toBe(false);
    expect(team.getState().errors.configure).toBe("paste the project's anon key: none is saved yet");
    expect(client.callsTo('team.configure')).toEqual([]);
  });

  it("shows the main process's refusal of a configuration", async () => {
    const { client, team } = setup(embeddedView());
    client.refuse('team.configure', { code: 'validation_failed', message: "this is the project's secret (service-role) key: give Triad the anon key" });
    team.getState().follow();
    await settle();
    expect(await team.getState().configure({ mode: 'supabase', url: 'https://abcd.supabase.co', anonKey: 'service' })).toBe(false);
    expect(team.getState().errors.configure).toBe("this is the project's secret (service-role) key: give Triad the anon key");
    expect(team.getState().view?.connection.mode).toBe('embedded');
  });

  it('keeps the result of a connection test for the URL tested, and forgets it on request', async () => {
    const { client, team } = setup(embeddedView());
    team.getState().follow();
    await settle();
    client.handle('team.testConnection', () => ({ ok: false, message: 'the project has no Triad migrations: an admin must apply them' }));
    expect(await team.getState().testConnection({ url: 'https://abcd.supabase.co', anonKey: 'anon' })).toBe(true);
    expect(team.getState().test).toEqual({ url: 'https://abcd.supabase.co', ok: false, message: 'the project has no Triad migrations: an admin must apply them' });
    expect(client.callsTo('team.testConnection')).toEqual([{ url: 'https://abcd.supabase.co', anonKey: 'anon' }]);
    team.getState().clearTest();
    expect(team.getState().test).toBeNull();

    // Once another project (or operator) is in use, an earlier test says nothing about it.
    client.handle('team.testConnection', () => ({ ok: true, message: 'answers' }));
    await team.getState().testConnection({ url: 'https://abcd.supabase.co' });
    client.emit('team.changed', signedOutView('https://abcd.supabase.co'));
    expect(team.getState().test).toBeNull();

    client.refuse('team.testConnection', { code: 'validation_failed', message: 'team.testConnection: url: must be an http(s) URL' });
    expect(await team.getState().testConnection({ url: 'https://abcd.supabase.co' })).toBe(false);
    expect(team.getState().errors.test).toBe('team.testConnection: url: must be an http(s) URL');
  });
});
