import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { createTestApp, type TestApp } from '../support/test-app';
import { apiClient, type ApiClient } from '../team/api-client';
import { dataFolder, TEST_TEAM_TIMING } from '../team/support';

// Team mode never gets the demo: it is seeded only into this computer's embedded store, and while a team's
// store is in use Settings neither shows nor removes it.

let stack: TeamStack;
let operator: TeamOperator;
const company = `t-${randomUUID().slice(0, 6)}`;
const dataDir = dataFolder();
/** One keychain for both starts, so that the second one restores the operator's session. */
const keychainService = `triad-test-${randomUUID()}`;
let app: TestApp;
let client: ApiClient;
/** The project before any app ran against it. */
let before: { companies: string[]; insights: number };

async function start(): Promise<void> {
  app = await createTestApp({ dataDir, keychainService, team: TEST_TEAM_TIMING });
  client = apiClient(app);
}

beforeAll(async () => {
  stack = await startTeamStack();
  operator = await stack.createOperator({ role: 'analyst', companies: [company], displayName: 'Ana Analyst' });
  before = await projectContents();
  await start();
  await client.call('team.configure', { mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
  await client.call('team.signIn', { email: operator.email, password: operator.password });
}, 90_000);

afterAll(async () => {
  client?.close();
  await app?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the team's project holds, as its superuser sees it. */
async function projectContents(): Promise<{ companies: string[]; insights: number }> {
  const companies = await stack.query<{ slug: string }>('SELECT slug FROM companies ORDER BY slug');
  const [insights] = await stack.query<{ count: number }>('SELECT count(*)::int AS count FROM cross_company_insights');
  return { companies: companies.map((c) => c.slug), insights: insights!.count };
}

describe('the demo workspace in team mode', () => {
  it("is not shown while the team's store is in use, and cannot be removed from there", async () => {
    const view = await client.call('settings.get', {});
    expect(view.user.id).toBe(operator.id);
    expect(view.companies.map((c) => c.slug)).toEqual([company]);
    expect(view.demoWorkspace).toBeUndefined();
    expect(await client.refusal('settings.removeDemoWorkspace', {})).toMatchObject({
      code: 'validation_failed',
      message: "there is no demo workspace to remove here: it lives only in this computer's embedded store, and a team's store is in use",
    });
    // The refusal touched nothing on this computer either.
    expect(await app.demoWorkspace?.describe()).toMatchObject({ companies: [{ slug: 'acme' }, { slug: 'northwind-coffee' }] });
  });

  it("never seeds the team's project, also when the app starts again signed in", async () => {
    expect(before.companies).toEqual([company]);
    expect(await projectContents()).toEqual(before);
    client.close();
    await app.close();
    await start();
    expect((await client.call('team.get', {})).session?.userId).toBe(operator.id);
    expect(await projectContents()).toEqual(before);
  }, 60_000);
});
