import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestStats } from '../../src-main/api/deploy-handlers';
import type { RegisteredModel, RequestLogEntry } from '../../src-main/store/repositories';
import { DeployDashboardSchema, DeploymentViewSchema, type DeployableModel, type DeployDashboard, type DeploymentView } from '../../src-shared/deploy-contract';
import { recordCompletedEvaluation } from '../deploy/completed-evaluation';
import { createHubSpaces, DEFAULT_BUILD, type HubSpaces } from '../support/hub/spaces-routes';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { createTestApp, type TestApp } from '../support/test-app';
import { apiChannels, type ApiChannels } from './support';

/**
 * The deploy channels over the real app services (PGlite store, the app's own SpaceDeployer and SpaceApi) against
 * the Hub stand-in's Space API, with a Space app that answers chat once its Space is RUNNING and 503 before.
 */
const STAGING = 'triad-ml/triad-company-staging';
const LIVE = 'triad-ml/triad-company';

let hub: HubStandIn;
let spaces: HubSpaces;
let spaceApp: OpenAiCompatibleServer;
let app: TestApp;
let channels: ApiChannels;
let v1: RegisteredModel;
let v2: RegisteredModel;
const announced: DeploymentView[] = [];

beforeAll(async () => {
  spaceApp = await startOpenAiCompatibleServer();
  const running = () => [STAGING, LIVE].some((id) => spaces.stageOf(id) === 'RUNNING');
  spaceApp.reply({ kind: 'decide', decide: () => (running() ? { kind: 'stream', chunks: ['ready'] } : { kind: 'status', status: 503, body: { error: 'Space is building' } }) });
  hub = await startHubStandIn({
    routes: (shared) => [(spaces = createHubSpaces(shared.accounts, shared.rateLimit, () => spaceApp.url))],
    onRepoCreated: (type, id, owner) => type === 'space' && spaces.created(id, owner),
    onCommit: (type, id) => type === 'space' && spaces.committed(id),
  });
  app = await createTestApp({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN } });
  channels = await apiChannels(app, (event, payload) => {
    if (event === 'deploy.changed') announced.push(DeploymentViewSchema.parse(payload));
  });
  const model = (version: string) => ({ name: 'triad-ml/triad-company-sft', version, tier: 'company' as const, hfModelId: 'triad-ml/triad-company-sft', hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'triad-company-sft-q8_0.gguf' });
  v1 = await app.store.registry.register(model('1'.repeat(40)));
  v2 = await app.store.registry.register(model('2'.repeat(40)));
}, 60_000);
afterAll(async () => {
  channels?.close();
  await app?.close();
  await hub?.close();
  await spaceApp?.close();
});

/** The announcements of one deployment until it ends. */
async function finished(id: string, timeoutMs = 60_000): Promise<DeploymentView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = announced.filter((v) => v.id === id);
    if (views.some((v) => v.status !== 'running')) return views;
    if (Date.now() > deadline) throw new Error(`deployment ${id} did not end; last: ${JSON.stringify(views.at(-1)).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const dashboard = async () => DeployDashboardSchema.parse(await channels.call<DeployDashboard>('deploy.dashboard', {}));

describe('deploy channels', () => {
  it('shows no Space for a tier before its first deploy, the Space hardware with $/h, and the registered versions newest first', async () => {
    const board = await dashboard();
    expect(board.tiers.map((t) => [t.tier, t.live, t.staging])).toEqual([['base', null, null], ['company', null, null], ['abstraction', null, null]]);
    expect(board.hardwareError).toBeNull();
    expect(board.hardware.find((h) => h.name === 'cpu-upgrade')).toMatchObject({ prettyName: 'CPU upgrade', usdPerHour: expect.closeTo(0.03, 5) });
    expect(board.hardware.find((h) => h.name === 'a10g-small')!.usdPerHour).toBeCloseTo(1.0, 2);
    expect(board.provider).toBe('local');

    const models = await channels.call<Array<{ id: string; version: string; ggufFile: string | null }>>('deploy.models', {});
    expect(models.map((m) => m.id)).toEqual([v2.id, v1.id]);
    expect(models[0]).toMatchObject({ version: v2.version, ggufFile: 'triad-company-sft-q8_0.gguf' });
    // Not evaluated yet: promoting either to a live tier needs an override reason.
    expect((models[0] as unknown as DeployableModel).gate.company).toMatchObject({ status: 'missing', evaluationRunId: null, thresholds: { minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 20 } });
  });

  it('refuses analysts, unknown versions and a sleep time under a minute, naming what was wrong, and records nothing', async () => {
    const forbidden = await channels.refusal('deploy.start', { tier: 'company', model: v1.id, staging: true }, 'analyst');
    expect(forbidden).toMatchObject({ code: 'forbidden', message: 'deploying to the company tier: Ari (analyst) is an analyst; only ML leads and admins deploy' });
    const unknown = await channels.refusal('deploy.start', { tier: 'company', model: 'triad-ml/nothing@abc', staging: true });
    expect(unknown).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('triad-ml/nothing@abc is not a registered model version') });
    const short = await channels.refusal('deploy.start', { tier: 'company', model: v1.id, staging: true, sleepTimeSeconds: 5 });
    expect(short).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/sleepTimeSeconds: must be at least 60 seconds/) });
    const badTier = await channels.refusal('deploy.history', { tier: 'premium' });
    expect(badTier.message).toMatch(/^deploy\.history: tier/);
    expect(await channels.call('deploy.history', {})).toEqual([]);
    expect(hub.repos.size).toBe(0);
  });

  it('starts a staging deploy and answers at once with its id; every step is announced in order until the Space runs', async () => {
    // A build long enough to watch its log come in.
    spaces.scriptBuilds(STAGING, { ...DEFAULT_BUILD, stages: [{ stage: 'BUILDING', forMs: 2_500 }, ...DEFAULT_BUILD.stages.slice(1)] });
    const { deploymentId } = await channels.call<{ deploymentId: string }>('deploy.start', { tier: 'company', model: v1.id, staging: true, hardware: 'cpu-upgrade', sleepTimeSeconds: 3600 });
    // The answer came before the deploy ended: the record still runs.
    const [atAnswer] = await channels.call<DeploymentView[]>('deploy.history', { tier: 'company' });
    expect(atAnswer).toMatchObject({ id: deploymentId, status: 'running', target: 'staging', kind: 'deploy' });

    const views = await finished(deploymentId);
    const last = views.at(-1)!;
    expect(last).toMatchObject({ status: 'succeeded', spaceRepo: STAGING, modelVersion: `${v1.name}@${v1.version}`, hardware: 'cpu-upgrade', sleepTimeSeconds: 3600 });
    expect(last.steps.map((s) => [s.name, s.status])).toEqual([
      ['check', 'done'], ['gate', 'skipped'], ['create_space', 'done'], ['commit', 'done'], ['variables', 'done'], ['secrets', 'done'],
      ['hardware', 'done'], ['restart', 'done'], ['build', 'done'], ['health_check', 'done'], ['activate', 'done'],
    ]);
    expect(last.steps.find((s) => s.name === 'build')!.log).toEqual(expect.arrayContaining(['— RUNNING']));
    // Announcements only move forward: the count of finished steps never goes down.
    const done = views.map((v) => v.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(views[0]!.steps.every((s) => s.status === 'pending')).toBe(true);
    // The build log came in while the build ran, before the step (which records it) ended.
    const whileBuilding = views.filter((v) => v.steps.find((s) => s.name === 'build')!.status === 'running');
    expect(whileBuilding.some((v) => v.steps.find((s) => s.name === 'build')!.log.includes('Successfully built 3f2a1c0d'))).toBe(true);
    expect(JSON.stringify(views)).not.toContain(STAND_IN_TOKEN);

    const company = (await dashboard()).tiers.find((t) => t.tier === 'company')!;
    expect(company.live).toBeNull();
    expect(company.staging).toMatchObject({
      spaceName: STAGING, endpoint: spaceApp.url, modelVersion: `${v1.name}@${v1.version}`, stage: 'RUNNING', stageDetail: null,
      hardware: 'cpu-upgrade', usdPerHour: expect.closeTo(0.03, 5), sleepTimeSeconds: 3600, breaker: { state: 'closed', nextProbeAt: null },
    });
  }, 90_000);

  it('promotes to live with an override reason, then a version whose evaluation passes the gate without one, then rolls back from the history', async () => {
    const refusedGate = await channels.call<{ deploymentId: string }>('deploy.start', { tier: 'company', model: v1.id });
    const gated = (await finished(refusedGate.deploymentId)).at(-1)!;
    expect(gated.status).toBe('failed');
    expect(gated.steps.find((s) => s.name === 'gate')!.message).toMatch(/has no completed evaluation .* needs a passing evaluation: evaluate it first \(triad eval run --model .*\), or give an override reason \(recorded\)$/);

    const first = await channels.call<{ deploymentId: string }>('deploy.start', { tier: 'company', model: v1.id, overrideReason: 'first version: nothing to compare with' });
    expect((await finished(first.deploymentId)).at(-1)).toMatchObject({ status: 'succeeded', overrideReason: 'first version: nothing to compare with' });
    // v2 was evaluated against v1 and won: the form is told it passes, and it is promoted without a reason.
    const evaluation = await recordCompletedEvaluation(app.store, { model: v2, tier: 'company', servingVersion: `${v1.name}@${v1.version}`, judgedBy: app.localOperator.id, wins: 27, losses: 10, ties: 3 });
    const offered = await channels.call<DeployableModel[]>('deploy.models', {});
    expect(offered.find((m) => m.id === v2.id)!.gate).toMatchObject({ company: { status: 'passed', evaluationRunId: evaluation.id, judged: 40 }, base: { status: 'missing' } });
    expect(offered.find((m) => m.id === v1.id)!.gate.company.status).toBe('missing');
    const second = await channels.call<{ deploymentId: string }>('deploy.start', { tier: 'company', model: v2.id });
    const promoted = (await finished(second.deploymentId)).at(-1)!;
    expect(promoted.status).toBe('succeeded');
    expect(promoted.steps.find((s) => s.name === 'gate')).toMatchObject({
      status: 'done', message: expect.stringMatching(/^evaluation [0-9a-f]{8}…: win rate 71% \(95% CI \d+–\d+%\) over 40 verdicts, needs ≥ 50% and a lower bound ≥ 40%: passed$/),
      gate: { status: 'passed', evaluationRunId: evaluation.id },
    });
    let company = (await dashboard()).tiers.find((t) => t.tier === 'company')!;
    expect(company.live).toMatchObject({ spaceName: LIVE, modelVersion: `${v2.name}@${v2.version}`, stage: 'RUNNING' });
    expect(company.staging?.spaceName).toBe(STAGING);

    const back = await channels.call<{ deploymentId: string }>('deploy.rollback', { tier: 'company', to: first.deploymentId });
    const rolled = (await finished(back.deploymentId)).at(-1)!;
    expect(rolled).toMatchObject({ kind: 'rollback', status: 'succeeded', previousDeploymentId: first.deploymentId, modelVersion: `${v1.name}@${v1.version}` });
    company = (await dashboard()).tiers.find((t) => t.tier === 'company')!;
    expect(company.live!.modelVersion).toBe(`${v1.name}@${v1.version}`);

    const history = await channels.call<DeploymentView[]>('deploy.history', { tier: 'company' });
    expect(history.map((d) => [d.kind, d.target, d.status, d.overrideReason])).toEqual([
      ['rollback', 'live', 'succeeded', null],
      ['deploy', 'live', 'succeeded', null],
      ['deploy', 'live', 'succeeded', 'first version: nothing to compare with'],
      ['deploy', 'live', 'failed', null],
      ['deploy', 'staging', 'succeeded', null],
    ]);
    expect(await channels.call('deploy.history', { tier: 'base' })).toEqual([]);
    const noEarlier = await channels.refusal('deploy.rollback', { tier: 'base' });
    expect(noEarlier).toMatchObject({ code: 'validation_failed', message: 'rolling back the base tier: there is no earlier successful deployment to go back to' });
    expect((await channels.refusal('deploy.rollback', { tier: 'company', to: first.deploymentId }, 'analyst')).code).toBe('forbidden');
  }, 180_000);

  it('says why a Space stage is unknown when the app has no Hugging Face token', async () => {
    const tokenless = await createTestApp({ env: { HF_ENDPOINT: hub.url } });
    try {
      await tokenless.store.spaces.upsert({ spaceName: LIVE, spaceType: 'company', apiEndpoint: spaceApp.url, isActive: true, modelVersion: `${v1.name}@${v1.version}` });
      const tokenlessChannels = await apiChannels(tokenless);
      const board = DeployDashboardSchema.parse(await tokenlessChannels.call('deploy.dashboard', {}));
      expect(board.tiers.find((t) => t.tier === 'company')!.live).toMatchObject({
        spaceName: LIVE, stage: 'unknown', stageDetail: 'no Hugging Face token: set one in Settings → API keys to read the Space’s runtime', hardware: null, usdPerHour: null,
      });
      const model = await tokenless.store.registry.register({ name: v1.name, version: v1.version, tier: 'company', hfModelId: v1.name, hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'm.gguf' });
      const refused = await tokenlessChannels.refusal('deploy.start', { tier: 'company', model: model.id, staging: true });
      tokenlessChannels.close();
      expect(refused).toMatchObject({ code: 'not_configured', message: expect.stringMatching(/needs a Hugging Face token with write access/) });
      expect(await tokenless.store.registry.listDeployments()).toEqual([]);
    } finally {
      await tokenless.close();
    }
  }, 60_000);
});

describe('the last 24 hours per version', () => {
  const now = Date.parse('2031-01-02T12:00:00.000Z');
  const entry = (minutesAgo: number, change: Partial<RequestLogEntry>): RequestLogEntry =>
    ({ tier: 'company', provider: 'huggingface', modelId: 'acme-ml/triad-company', modelVersion: 'acme-ml/m@1', status: 'ok', latencyMs: 100, createdAt: new Date(now - minutesAgo * 60_000), ...change }) as RequestLogEntry;

  it('counts requests and errors per tier and version, with p50 / p95 latency of the answered ones, and leaves out refusals and older days', () => {
    const latencies = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    const entries = [
      ...latencies.map((latencyMs, i) => entry(i, { latencyMs })),
      entry(30, { status: 'error', latencyMs: 99_999 }),
      entry(31, { status: 'rejected' }),
      entry(32, { modelVersion: 'acme-ml/m@2', latencyMs: 700 }),
      entry(33, { tier: 'base', provider: 'local', modelVersion: null, modelId: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', latencyMs: 50 }),
      entry(25 * 60, { latencyMs: 5 }),
    ];
    const stats = requestStats(entries, now);
    expect(stats.since).toBe('2031-01-01T12:00:00.000Z');
    expect(stats.truncated).toBe(false);
    expect(stats.versions).toEqual([
      { tier: 'base', modelVersion: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', provider: 'local', requests: 1, errors: 0, p50LatencyMs: 50, p95LatencyMs: 50 },
      { tier: 'company', modelVersion: 'acme-ml/m@1', provider: 'huggingface', requests: 21, errors: 1, p50LatencyMs: 100, p95LatencyMs: 190 },
      { tier: 'company', modelVersion: 'acme-ml/m@2', provider: 'huggingface', requests: 1, errors: 0, p50LatencyMs: 700, p95LatencyMs: 700 },
    ]);
  });

  it('says when the read limit cut the day short, and has no latency for a version that only failed', () => {
    const full = Array.from({ length: 3 }, (_, i) => entry(i, { status: 'error' }));
    expect(requestStats(full, now, 3)).toMatchObject({ truncated: true, versions: [{ requests: 3, errors: 3, p50LatencyMs: null, p95LatencyMs: null }] });
    expect(requestStats([...full, entry(26 * 60, {})], now, 4).truncated).toBe(false);
    expect(requestStats([], now).versions).toEqual([]);
  });
});
