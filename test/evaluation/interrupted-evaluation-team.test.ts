import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { dataFolder, signedInApp, TEST_TEAM_TIMING } from '../team/support';
import { eventually, HUB_TOKEN, seedCandidate, sftRows, startEvaluationWorld, type EvaluationWorld } from './evaluation-fixture';

// An evaluation whose app was closed mid-run, in a team's Supabase project (PostgREST under row-level security):
// the app started again on its data folder, its team session restored, carries on once the team's project
// answers, with the items still unanswered, and no side answers an item twice.

const PROMPTS = ['First question?', 'Second question?', 'Third question?', 'Fourth question?'];
let stack: TeamStack;
let world: EvaluationWorld;
let admin: TeamOperator;
const apps: TestApp[] = [];
const env = () => ({ HF_ENDPOINT: world.hub.url, HF_TOKEN: HUB_TOKEN });

beforeAll(async () => {
  stack = await startTeamStack();
  admin = await stack.createOperator({ role: 'admin', companies: [`ev-${randomUUID().slice(0, 6)}`] });
  world = await startEvaluationWorld();
}, 90_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await world?.close();
  await stack?.stop();
});

const lastPrompt = (space: { requests: Array<{ body: Record<string, unknown> }> }) => (space.requests.at(-1)!.body.messages as Array<{ content: string }>).at(-1)!.content;
const prompts = (space: { requests: Array<{ body: Record<string, unknown> }> }) => space.requests.map((r) => (r.body.messages as Array<{ content: string }>).at(-1)!.content);
const recorded = (runId: string) =>
  stack.query<{ status: string; candidate_answer: { text: string } | null; serving_answer: { text: string } | null }>('SELECT r.status, i.candidate_answer, i.serving_answer FROM evaluation_runs r JOIN evaluation_items i ON i.run_id = r.id WHERE r.id = $1 ORDER BY i.position', [runId]);

describe('a team evaluation the app was closed in', () => {
  it('is carried on by the app started on its data folder, answering nothing twice', async () => {
    const dataDir = dataFolder();
    const keychainService = `triad-test-${randomUUID()}`;
    const first = await signedInApp(stack, admin, { dataDir, keychainService, env: env() });
    apps.push(first);
    await first.flags.set('provider', 'huggingface');
    const model = await seedCandidate(first, world, { evalJsonl: sftRows(PROMPTS) });
    // The live Space answers the first two prompts, then hangs on the third: the app is closed while it waits.
    world.live.reply({
      kind: 'decide',
      decide: () => (lastPrompt(world.live) === PROMPTS[2] && world.live.requests.length <= 3 ? { kind: 'hang' } : { kind: 'stream', chunks: ['Serving', ' answer'] }),
    });
    const run = await first.evaluations.start({ modelId: model.id }, (await first.store.directory.getUserAccess(admin.id))!);
    await eventually(() => recorded(run.id), (items) => items.filter((i) => i.serving_answer).length === 2);
    await eventually(async () => world.live.requests.length, (n) => n === 3);
    // The candidate's answer to the third prompt is recorded before the app closes; closing earlier would rightly
    // ask the candidate again, as its answer was never kept.
    await eventually(() => recorded(run.id), (items) => items[2]?.candidate_answer != null);
    await first.close();

    // Started again with the session kept in the keychain: Supabase has not answered yet when the app starts.
    const restarted = await createTestApp({ dataDir, keychainService, env: env(), team: TEST_TEAM_TIMING });
    apps.push(restarted);
    const items = await eventually(() => recorded(run.id), (rows) => rows[0]?.status === 'judging', 30_000);
    expect(items.map((i) => i.serving_answer?.text)).toEqual(['Serving answer', 'Serving answer', 'Serving answer', 'Serving answer']);
    expect(prompts(world.staging).sort()).toEqual([...PROMPTS].sort());
    expect(prompts(world.live)).toEqual([PROMPTS[0], PROMPTS[1], PROMPTS[2], PROMPTS[2], PROMPTS[3]]);
  }, 120_000);
});
