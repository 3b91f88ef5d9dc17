import { describe, expect, it } from 'vitest';
import { createAppStores } from '../../src-renderer/app/app-stores';
import type { SettingsView } from '../../src-shared/ipc-contract';
import { TriadCallError } from '../../src-renderer/transport/triad-client';
import { FakeTriadClient, answerParts, ids, settle } from './support/fake-triad-client';
import { signedInView, signedOutView, teamIds } from './support/team-views';

function settingsFor(user: { id: string; displayName: string }): SettingsView {
  return {
    user: { ...user, role: 'analyst' },
    flags: [],
    spaces: [],
    localModels: {} as SettingsView['localModels'],
    openai: {} as SettingsView['openai'],
    contentFilter: {} as SettingsView['contentFilter'],
    companies: [],
    companyContext: null,
    secrets: {} as SettingsView['secrets'],
  };
}

/** The app's stores over a fake main process whose answers depend on who is signed in. */
function setup() {
  let operator: { id: string; displayName: string } | null = { id: teamIds.ana, displayName: 'Ana Analyst' };
  const unauthorized = () => {
    throw new TriadCallError({ code: 'unauthorized', message: 'nobody is signed in to the team project: sign in again', retryable: false });
  };
  const client = new FakeTriadClient()
    .handle('team.get', () => signedInView())
    .handle('team.signOut', () => {
      operator = null;
      return signedOutView();
    })
    .handle('team.signIn', (input) => {
      operator = { id: teamIds.bob, displayName: 'Bob' };
      return signedInView({ userId: teamIds.bob, email: input.email, displayName: 'Bob' });
    })
    .handle('settings.get', () => (operator ? settingsFor(operator) : unauthorized()))
    .handle('conversations.list', () =>
      operator ? [{ id: ids.conversation, title: `${operator.displayName}'s question`, company: null, updatedAt: '2026-01-01T00:00:00.000Z' }] : unauthorized(),
    )
    .handle('status.get', () => {
      const ready = { state: 'ready', detail: 'local model' } as const;
      return { provider: 'local', tiers: { base: ready, company: ready, abstraction: ready }, store: 'supabase', breakers: [] };
    })
    .handle('chat.start', () => ({ streamId: ids.stream, requestId: ids.request, conversationId: ids.conversation }))
    .handle('chat.cancel', () => ({ cancelled: true }));
  const stores = createAppStores(client);
  return { client, stores };
}

describe('when the operator changes', () => {
  it("drops the previous operator's conversation and settings and reads the new operator's", async () => {
    const { client, stores } = setup();
    stores.team.getState().follow();
    await stores.settings.getState().load();
    await stores.chat.getState().loadConversations();
    stores.chat.getState().setDraft('What is our churn?');
    await stores.chat.getState().send();
    for (const part of answerParts(ids.request, ['3%'])) client.part(ids.stream, part);
    await settle();
    expect(stores.settings.getState().view?.user.displayName).toBe('Ana Analyst');
    expect(stores.chat.getState().conversations[0]?.title).toBe("Ana Analyst's question");

    await stores.team.getState().signOut();
    await settle();
    expect(stores.chat.getState()).toMatchObject({ conversationId: null, items: [], conversations: [] });
    expect(stores.chat.getState().listError).toMatch(/sign in again/);
    expect(stores.settings.getState().view).toBeNull();
    expect(stores.settings.getState().loadError).toMatch(/sign in again/);

    await stores.team.getState().signIn({ email: 'bob@team.test', password: 'pw' });
    await settle();
    expect(stores.settings.getState().view?.user.displayName).toBe('Bob');
    expect(stores.chat.getState().conversations[0]?.title).toBe("Bob's question");
    expect(stores.chat.getState().listError).toBeNull();
    expect(client.callsTo('status.get').length).toBeGreaterThanOrEqual(2);
    stores.dispose();
  });

  it('cancels an answer still streaming for the previous operator', async () => {
    const { client, stores } = setup();
    stores.team.getState().follow();
    await settle();
    stores.chat.getState().setDraft('long question');
    await stores.chat.getState().send();
    expect(stores.chat.getState().streaming).not.toBeNull();
    client.emit('team.changed', signedOutView());
    await settle();
    expect(client.callsTo('chat.cancel')).toEqual([{ streamId: ids.stream }]);
    expect(stores.chat.getState().streaming).toBeNull();
    stores.dispose();
  });
});
