import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Deployment, UserAccess } from '../../src-main/store/repositories';
import { createHubSpaces, type HubSpaces } from '../support/hub/spaces-routes';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { createTestApp, type TestApp } from '../support/test-app';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { thrownBy } from '../store/support';
import { dataFolder, signedInApp, TEST_TEAM_TIMING } from '../team/support';

// A team deploy whose app was closed mid-build, in a team's Supabase project (PostgREST under row-level security):
// another computer's app leaves it running (it may still be at work there) and is refused a second deploy of the
// tier, naming it; the app that ran it, started again on its data folder, marks it failed with the step it was in,
// and the tier takes a new deploy.

const SPACE = 'triad-ml/triad-company-staging';
let stack: TeamStack;
let hub: HubStandIn;
let spaces: HubSpaces;
let spaceApp: OpenAiCompatibleServer;
let lead: TeamOperator;
let admin: TeamOperator;
const apps: TestApp[] = [];
const env = () => ({ HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN });

beforeAll(async () => {
  stack = await startTeamStack();
  const company = `dp-${randomUUID().slice(0, 6)}`;
  [lead, admin] = await Promise.all([
    stack.createOperator({ role: 'ml_lead', companies: [company], displayName: 'Lena Lead' }),
    stack.createOperator({ role: 'admin', companies: [company] }),
  ]);
  spaceApp = await startOpenAiCompatibleServer();
  // The Space's app: 503 until its Space is RUNNING, as a Space's proxy answers while it builds.
  spaceApp.reply({ kind: 'decide', decide: () => (spaces.stageOf(SPACE) === 'RUNNING' ? { kind: 'stream', chunks: ['ready'] } : { kind: 'status', status: 503, body: { error: 'Space is building' } }) });
  hub = await startHubStandIn({
    routes: (shared) => [(spaces = createHubSpaces(shared.accounts, shared.rateLimit, () => spaceApp.url))],
    onRepoCreated: (type, id, owner) => type === 'space' && spaces.created(id, owner),
    onCommit: (type, id) => type === 'space' && spaces.committed(id),
  });
}, 90_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await hub?.close();
  await spaceApp?.close();
  await stack?.stop();
});

const operatorOf = async (app: TestApp, operator: TeamOperator): Promise<UserAccess> => (await app.store.directory.getUserAccess(operator.id))!;
const recorded = async (id: string) => (await stack.query<{ deployment_status: string; deployment_logs: string | null; steps: Deployment['steps'] }>('SELECT deployment_status, deployment_logs, steps FROM hf_deployments WHERE id = $1', [id]))[0]!;

describe('a team deploy the app was closed in', () => {
  it('stays running for another computer, which is refused naming it, and is marked failed when its own app starts again', async () => {
    const dataDir = dataFolder();
    const keychainService = `triad-test-${randomUUID()}`;
    const first = await signedInApp(stack, lead, { dataDir, keychainService, env: env() });
    apps.push(first);
    const model = await first.store.registry.register({ name: 'triad-ml/triad-company-sft', version: '1'.repeat(40), tier: 'company', hfModelId: 'triad-ml/triad-company-sft', hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'triad-company-sft-q8_0.gguf' });
    // The first build outlasts the test; the next one comes up at once.
    const stuck = { stages: [{ stage: 'BUILDING', forMs: 600_000 }], buildLines: [], runLines: [] };
    spaces.scriptBuilds(SPACE, stuck, { stages: [{ stage: 'BUILDING', forMs: 100 }, { stage: 'RUNNING', forMs: 0 }], buildLines: [], runLines: [] });

    let id = '';
    first.deployer.onChange((d) => (id ||= d.id));
    // Closing the app ends its team session: what the deploy would write after it reaches Supabase no more.
    const abandoned = first.deployer.deploy({ tier: 'company', model: model.id, staging: true }, await operatorOf(first, lead)).catch((error: unknown) => error);
    await vi.waitFor(async () => expect((await recorded(id)).steps.find((s) => s.name === 'build')).toMatchObject({ status: 'running', log: ['— BUILDING'] }), { timeout: 20_000, interval: 100 });
    await first.close();

    // Another installation signs in meanwhile: the deploy is not its own, so it stays running, and blocks the tier.
    const other = await signedInApp(stack, admin, { env: env() });
    apps.push(other);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await recorded(id)).deployment_status).toBe('running');
    const adminAccess = await operatorOf(other, admin);
    const refused = await thrownBy(() => other.deployer.deploy({ tier: 'company', model: model.id, staging: true }, adminAccess));
    expect(refused.message).toMatch(new RegExp(`company tier \\(staging\\) is already running: deployment ${id} of triad-ml/triad-company-sft@1{40}, started \\S+ \\(\\d+ min ago\\) by Lena Lead from another computer; wait for it to end`));

    // The app that ran it starts again on its data folder (its session restored from the keychain).
    const restarted = await createTestApp({ dataDir, keychainService, env: env(), team: TEST_TEAM_TIMING });
    apps.push(restarted);
    await vi.waitFor(async () => expect((await recorded(id)).deployment_status).toBe('failed'), { timeout: 15_000, interval: 100 });
    const failed = await recorded(id);
    expect(failed.deployment_logs).toMatch(/^the app closed during build: .*Deploy again\.$/);
    expect(failed.steps.find((s) => s.name === 'build')).toMatchObject({ status: 'failed', message: 'the app closed during this step' });
    expect(failed.steps.find((s) => s.name === 'restart')).toMatchObject({ status: 'done' });

    // The tier takes a new deploy, which serves.
    const next = await restarted.deployer.deploy({ tier: 'company', model: model.id, staging: true }, await operatorOf(restarted, lead));
    expect(next).toMatchObject({ deploymentStatus: 'succeeded' });
    // Both were this installation's: the id kept in the data folder outlived the restart.
    const before = (await other.store.registry.listDeployments()).find((d) => d.id === id)!;
    expect(before.installationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(next.installationId).toBe(before.installationId);
    await abandoned;
    // What the closed app's deploy did after closing changed nothing in the record.
    expect((await recorded(id)).deployment_status).toBe('failed');
  }, 120_000);
});
