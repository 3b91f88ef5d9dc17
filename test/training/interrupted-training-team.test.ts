import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrainingRun } from '../../src-main/store/repositories';
import { createHubJobs, trainingScript, type HubJobs } from '../support/hub/jobs-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { createTestApp, type TestApp } from '../support/test-app';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { dataFolder, signedInApp, TEST_TEAM_TIMING } from '../team/support';

// A training run whose app was closed mid-run, in a team's Supabase project (PostgREST under row-level security):
// the app started again on its data folder, its team session restored, follows the run once the team's project
// answers, and registers the model exactly once.

const TOKEN = 'hf_training_team_token_0123456789';
const LAUNCH = { dataset: 'acme-ml/company-sft@0123456789abcdef0123456789abcdef01234567', tier: 'company', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', kind: 'sft', flavor: 'a10g-small', timeoutSeconds: 3600 } as const;
let stack: TeamStack;
let hub: HubServer;
let jobs: HubJobs;
let lead: TeamOperator;
let otherLead: TeamOperator;
const apps: TestApp[] = [];
const env = () => ({ HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN });

beforeAll(async () => {
  stack = await startTeamStack();
  const company = `tr-${randomUUID().slice(0, 6)}`;
  [lead, otherLead] = await Promise.all([
    stack.createOperator({ role: 'ml_lead', companies: [company], displayName: 'Lena Lead' }),
    stack.createOperator({ role: 'ml_lead', companies: [company], displayName: 'Otto Lead' }),
  ]);
  hub = await startHubServer((shared) => [(jobs = createHubJobs(shared.accounts, shared.rateLimit))]);
}, 90_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await hub?.close();
  await stack?.stop();
});

const recorded = async (id: string) =>
  (await stack.query<{ stage: string; stage_history: TrainingRun['stageHistory']; progress: TrainingRun['progress']; model_id: string | null }>('SELECT stage, stage_history, progress, model_id FROM training_runs WHERE id = $1', [id]))[0]!;
const registeredModels = (runId: string) => stack.query<{ id: string; name: string }>('SELECT id, name FROM model_registry WHERE training_run_id = $1', [runId]);

describe('a team training run the app was closed in', () => {
  it('is followed again by the app started on its data folder, which registers the model once', async () => {
    const dataDir = dataFolder();
    const keychainService = `triad-test-${randomUUID()}`;
    const first = await signedInApp(stack, lead, { dataDir, keychainService, env: env() });
    apps.push(first);
    // Long enough to outlast the first app; its result comes after the restart.
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 8_000, schedulingMs: 50 }));
    const launched = await first.training.launch(LAUNCH, (await first.store.directory.getUserAccess(lead.id))!);
    await vi.waitFor(async () => expect((await recorded(launched.id)).stage).toBe('RUNNING'), { timeout: 15_000, interval: 100 });
    await first.close();
    expect((await recorded(launched.id)).model_id).toBeNull();

    // Started again with the session kept in the keychain: Supabase has not answered yet when the app starts.
    const restarted = await createTestApp({ dataDir, keychainService, env: env(), team: TEST_TEAM_TIMING });
    apps.push(restarted);
    await vi.waitFor(async () => expect((await recorded(launched.id)).stage).toBe('registered'), { timeout: 30_000, interval: 200 });
    const run = await recorded(launched.id);
    expect(run.progress.map((p) => p.step)).toEqual([5, 10, 15, 20]);
    expect(await registeredModels(launched.id)).toEqual([{ id: run.model_id, name: 'acme-ml/triad-company-sft-01234567' }]);
    expect(jobs.created).toHaveLength(1);
  }, 120_000);

  it('followed by two computers at once, records each stage and progress point once and registers the model once', async () => {
    const launching = await signedInApp(stack, lead, { env: env() });
    apps.push(launching);
    // Long enough for the second app to sign in and follow it while it runs.
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 20_000, schedulingMs: 50 }));
    const launched = await launching.training.launch(LAUNCH, (await launching.store.directory.getUserAccess(lead.id))!);
    // Another ML lead's app signs in mid-run and takes the team's unfinished runs up too.
    const other = await signedInApp(stack, otherLead, { env: env() });
    apps.push(other);
    // Only a follower reads the job's hardware samples.
    await vi.waitFor(() => expect(other.training.metricsOf(launched.id).length).toBeGreaterThan(0), { timeout: 15_000, interval: 100 });
    await vi.waitFor(async () => expect((await recorded(launched.id)).stage).toBe('registered'), { timeout: 45_000, interval: 200 });
    // Both followers have seen the end.
    await Promise.all([launching.training.wait(launched.id), other.training.wait(launched.id)]);
    const run = await recorded(launched.id);
    expect(run.progress.map((p) => p.step)).toEqual([5, 10, 15, 20]);
    const stages = run.stage_history.map((h) => h.stage);
    expect(stages).toEqual([...new Set(stages)]);
    expect(stages.at(-1)).toBe('registered');
    expect(await registeredModels(launched.id)).toHaveLength(1);
  }, 120_000);
});
