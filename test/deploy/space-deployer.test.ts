import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettingsService } from '../../src-main/config/settings-service';
import { SpaceDeployer } from '../../src-main/deploy/space-deployer';
import { createHubFetch } from '../../src-main/hub/hub-fetch';
import { SpaceApi } from '../../src-main/hub/space-api';
import { openStore } from '../../src-main/store/open-store';
import type { RegisteredModel, TriadStore, UserAccess } from '../../src-main/store/repositories';
import { createHubSpaces, type HubSpaces, type SpaceBuildScript } from '../support/hub/spaces-routes';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { thrownBy } from '../store/support';
import { recordCompletedEvaluation } from './completed-evaluation';

/**
 * Deploys to the tiers' Spaces against the Hub stand-in (repos and commits through the real @huggingface/hub,
 * Space management through SpaceApi) with a Space app that answers chat once RUNNING and 503 before, every step
 * recorded in a real PostgreSQL store.
 */
const quiet = { info: () => undefined, warn: () => undefined };
const BUILD_ERROR: SpaceBuildScript = {
  stages: [{ stage: 'BUILDING', forMs: 60 }, { stage: 'BUILD_ERROR', forMs: 0, errorMessage: 'Build failed with exit code: 1' }],
  buildLines: ['Step 3/6 : RUN useradd --create-home --uid 1000 user', 'ERROR: failed to solve: process "/bin/sh -c useradd" did not complete successfully'],
  runLines: [],
};

describe('deploying a model version to a tier Space', () => {
  let database: TestDatabase;
  let store: TriadStore;
  let hub: HubStandIn;
  let spaces: HubSpaces;
  let app: OpenAiCompatibleServer;
  let lead: UserAccess;
  let v1: RegisteredModel;
  let v2: RegisteredModel;
  let token: string | undefined;
  let servingSpace = '';

  const deployer = (options: { buildTimeoutMs?: number; healthTimeoutMs?: number; installationId?: string } = {}) =>
    new SpaceDeployer({
      store: () => store,
      gateSettings: () => new SettingsService(store.settings).get('deploy.gate'),
      spaces: new SpaceApi({ hubUrl: hub.url, fetch: createHubFetch({ sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 30))) }), getToken: async () => token }),
      hubUrl: hub.url,
      fetch: createHubFetch({ sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 30))) }),
      getToken: async () => token,
      logger: quiet,
      pollIntervalMs: 25,
      buildTimeoutMs: options.buildTimeoutMs ?? 5_000,
      healthTimeoutMs: options.healthTimeoutMs ?? 2_000,
      installationId: options.installationId,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ backend: 'postgres', connectionString: database.url });
    lead = await store.directory.createUser({ displayName: 'Lena (ML lead)', role: 'ml_lead' });
    const model = (version: string) => ({ name: 'triad-ml/triad-company-sft', version, tier: 'company' as const, hfModelId: 'triad-ml/triad-company-sft', hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'triad-company-sft-q8_0.gguf' });
    v1 = await store.registry.register(model('1'.repeat(40)));
    v2 = await store.registry.register(model('2'.repeat(40)));
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });
  beforeEach(async () => {
    token = STAND_IN_TOKEN;
    app = await startOpenAiCompatibleServer();
    // The Space's app: 503 until its Space is RUNNING, as a Space's proxy answers while it builds.
    app.reply({ kind: 'decide', decide: () => (spaces.stageOf(servingSpace) === 'RUNNING' ? { kind: 'stream', chunks: ['ready'] } : { kind: 'status', status: 503, body: { error: 'Space is building' } }) });
    hub = await startHubStandIn({
      routes: (shared) => [(spaces = createHubSpaces(shared.accounts, shared.rateLimit, () => app.url))],
      onRepoCreated: (type, id, owner) => type === 'space' && spaces.created(id, owner),
      onCommit: (type, id) => type === 'space' && spaces.committed(id),
    });
  });
  afterEach(async () => {
    // Each test's deploys end before the next starts, so the next may deploy the same tier.
    await hub.close();
    await app.close();
  });

  it('deploys to the staging Space: creates it, commits the template, sets variables, secret and hardware, waits for RUNNING, checks a chat, records every step', async () => {
    servingSpace = 'triad-ml/triad-company-staging';
    const record = await deployer().deploy({ tier: 'company', model: `${v1.name}@${v1.version}`, staging: true, hardware: 'cpu-upgrade', sleepTimeSeconds: 3600 }, lead);
    expect(record.deploymentStatus).toBe('succeeded');
    expect(record.steps.map((s) => [s.name, s.status])).toEqual([
      ['check', 'done'], ['gate', 'skipped'], ['create_space', 'done'], ['commit', 'done'], ['variables', 'done'], ['secrets', 'done'],
      ['hardware', 'done'], ['restart', 'done'], ['build', 'done'], ['health_check', 'done'], ['activate', 'done'],
    ]);
    expect(record.steps.find((s) => s.name === 'build')!.log).toEqual(expect.arrayContaining(['— BUILDING', '— RUNNING', 'Successfully built 3f2a1c0d']));
    expect(record.steps.every((s) => s.status === 'skipped' || (s.startedAt && s.finishedAt))).toBe(true);
    expect(record).toMatchObject({ target: 'staging', spaceRepo: servingSpace, modelVersion: `${v1.name}@${v1.version}`, createdBy: lead.id, finishedAt: expect.any(Date) });

    expect(hub.repos.get(`spaces/${servingSpace}`)).toMatchObject({ private: true });
    const files = [...hub.repos.get(`spaces/${servingSpace}`)!.commits.at(-1)!.files.keys()];
    expect(files).toEqual(expect.arrayContaining(['README.md', 'Dockerfile', 'start.sh']));
    expect(spaces.environmentOf(servingSpace)).toMatchObject({ MODEL_REPO: v1.name, MODEL_REVISION: v1.version, MODEL_FILE: 'triad-company-sft-q8_0.gguf', HF_TOKEN: STAND_IN_TOKEN });
    expect(app.requests.at(-1)?.headers.authorization).toBe(`Bearer ${STAND_IN_TOKEN}`);
    expect(JSON.stringify(record)).not.toContain(STAND_IN_TOKEN);

    const staging = (await store.spaces.list()).find((s) => s.spaceName === servingSpace)!;
    expect(staging).toMatchObject({ apiEndpoint: app.url, isActive: false, modelVersion: `${v1.name}@${v1.version}` });
    expect((await store.registry.list()).find((m) => m.id === v1.id)).toMatchObject({ hfSpaceId: servingSpace, hfSpaceUrl: app.url });
  });

  it('refuses to promote to the live tier without an evaluation or an override reason, saying what to do, changing nothing', async () => {
    const record = await deployer().deploy({ tier: 'company', model: v1.id }, lead);
    expect(record.deploymentStatus).toBe('failed');
    const gate = record.steps.find((s) => s.name === 'gate')!;
    expect(gate).toMatchObject({ status: 'failed', gate: { status: 'missing', evaluationRunId: null, thresholds: { minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 20 } } });
    expect(gate.message).toBe(
      'triad-ml/triad-company-sft@1111111 has no completed evaluation against the serving version of the company tier (the gate needs ≥ 50% and a lower bound ≥ 40% over at least 20 verdicts). ' +
        `Promoting it to the live company tier needs a passing evaluation: evaluate it first (triad eval run --model ${v1.name}@${v1.version}, then judge the pairs), or give an override reason (recorded)`,
    );
    expect(record.deploymentLogs).toMatch(/Nothing on the Space was changed/);
    expect(hub.repos.has('spaces/triad-ml/triad-company')).toBe(false);
    expect(await store.spaces.activeSpaceFor('company')).toBeUndefined();
  });

  it('promotes with an override reason, recorded, and the tier then answers from the new Space; a failed build rolls it back by itself', async () => {
    servingSpace = 'triad-ml/triad-company';
    const first = await deployer().deploy({ tier: 'company', model: v1.id, overrideReason: 'first version: nothing to compare with' }, lead);
    expect(first).toMatchObject({ deploymentStatus: 'succeeded', overrideReason: 'first version: nothing to compare with' });
    expect(first.steps.find((s) => s.name === 'gate')).toMatchObject({ status: 'done', message: expect.stringMatching(/^overridden: first version: nothing to compare with \(triad-ml\/triad-company-sft@1111111 has no completed evaluation/) });
    expect(await store.spaces.activeSpaceFor('company')).toMatchObject({ spaceName: servingSpace, apiEndpoint: app.url, modelVersion: `${v1.name}@${v1.version}`, isActive: true });

    spaces.scriptBuilds(servingSpace, BUILD_ERROR);
    const broken = await deployer().deploy({ tier: 'company', model: v2.id, overrideReason: 'hotfix' }, lead);
    expect(broken.deploymentStatus).toBe('rolled_back');
    const build = broken.steps.find((s) => s.name === 'build')!;
    expect(build).toMatchObject({ status: 'failed', message: 'the Space stopped at BUILD_ERROR: Build failed with exit code: 1' });
    expect(build.log).toContain('ERROR: failed to solve: process "/bin/sh -c useradd" did not complete successfully');
    expect(broken.steps.at(-1)).toMatchObject({ name: 'rollback', status: 'done', message: `back on ${v1.name}@${v1.version}` });
    expect(broken.deploymentLogs).toMatch(new RegExp(`rolled back to ${v1.name}@${v1.version} automatically`));
    expect(spaces.environmentOf(servingSpace).MODEL_REVISION).toBe(v1.version);
    expect(spaces.stageOf(servingSpace)).toBe('RUNNING');
    expect((await store.spaces.activeSpaceFor('company'))!.modelVersion).toBe(`${v1.name}@${v1.version}`);
  });

  it('promotes a version whose newest completed evaluation meets the deploy.gate thresholds, naming the numbers, and refuses one that does not', async () => {
    servingSpace = 'triad-ml/triad-company';
    const settings = new SettingsService(store.settings);
    const register = (version: string) => store.registry.register({ name: 'triad-ml/triad-company-sft', version, tier: 'company', hfModelId: 'triad-ml/triad-company-sft', hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'triad-company-sft-q8_0.gguf' });
    const [good, weak] = [await register('4'.repeat(40)), await register('5'.repeat(40))];
    const serving = `${v1.name}@${v1.version}`;
    const pct = (share: number) => `${Math.round(share * 100)}%`;
    const figures = (run: { id: string; report: Record<string, unknown> | null }) => {
      const { winRate, interval, judged } = (run.report as { overall: { winRate: number; interval: { low: number; high: number }; judged: number } }).overall;
      return `evaluation ${run.id.slice(0, 8)}…: win rate ${pct(winRate)} (95% CI ${Math.round(interval.low * 100)}–${pct(interval.high)}) over ${judged} verdicts`;
    };

    const evaluation = await recordCompletedEvaluation(store, { model: good, tier: 'company', servingVersion: serving, judgedBy: lead.id, wins: 28, losses: 9, ties: 3 });
    const passed = await deployer().deploy({ tier: 'company', model: good.id }, lead);
    expect(passed).toMatchObject({ deploymentStatus: 'succeeded', overrideReason: null });
    const gate = passed.steps.find((s) => s.name === 'gate')!;
    expect(gate.message).toBe(`${figures(evaluation)}, needs ≥ 50% and a lower bound ≥ 40%: passed`);
    expect(gate.message).toMatch(/win rate 74% \(95% CI 58–85%\) over 40 verdicts/);
    expect(gate.gate).toMatchObject({ status: 'passed', evaluationRunId: evaluation.id, winRate: 0.7375, judged: 40, advice: null });
    expect((await store.spaces.activeSpaceFor('company'))!.modelVersion).toBe(`${good.name}@${good.version}`);

    const losing = await recordCompletedEvaluation(store, { model: weak, tier: 'company', servingVersion: `${good.name}@${good.version}`, judgedBy: lead.id, wins: 12, losses: 24, ties: 4 });
    const refused = await deployer().deploy({ tier: 'company', model: weak.id }, lead);
    expect(refused.deploymentStatus).toBe('failed');
    expect(refused.steps.find((s) => s.name === 'gate')!.message).toBe(
      `${figures(losing)}, needs ≥ 50% and a lower bound ≥ 40%: failed (win rate below 50%; lower bound below 40%). ` +
        'Promoting it to the live company tier needs a passing evaluation: promote a version that does better (evaluate it with triad eval run --model …), or give an override reason (recorded)',
    );
    expect(refused.deploymentLogs).toMatch(/Nothing on the Space was changed/);
    expect((await store.spaces.activeSpaceFor('company'))!.modelVersion).toBe(`${good.name}@${good.version}`);

    // An override promotes it anyway; the history keeps the reason and the numbers it overrode.
    const overridden = await deployer().deploy({ tier: 'company', model: weak.id, overrideReason: 'the customer asked for this version' }, lead);
    expect(overridden).toMatchObject({ deploymentStatus: 'succeeded', overrideReason: 'the customer asked for this version' });
    expect(overridden.steps.find((s) => s.name === 'gate')).toMatchObject({
      status: 'done',
      message: `overridden: the customer asked for this version (${figures(losing)}, needs ≥ 50% and a lower bound ≥ 40%: failed (win rate below 50%; lower bound below 40%))`,
      gate: { status: 'failed', evaluationRunId: losing.id },
    });
    expect((await store.registry.listDeployments()).find((d) => d.id === overridden.id)!.steps.find((s) => s.name === 'gate')!.gate).toMatchObject({ status: 'failed', winRate: 0.35 });

    // The thresholds are the deploy.gate setting's; the newest completed evaluation is the one read.
    await settings.set('deploy.gate', { minWinRate: 0.8 });
    const stricter = await deployer().deploy({ tier: 'company', model: good.id }, lead);
    expect(stricter.steps.find((s) => s.name === 'gate')!.message).toMatch(/win rate 74% .* needs ≥ 80% and a lower bound ≥ 40%: failed \(win rate below 80%\)/);
    const better = await recordCompletedEvaluation(store, { model: good, tier: 'company', servingVersion: `${weak.name}@${weak.version}`, judgedBy: lead.id, wins: 36, losses: 3, ties: 1 });
    const promoted = await deployer().deploy({ tier: 'company', model: good.id }, lead);
    expect(promoted.deploymentStatus).toBe('succeeded');
    expect(promoted.steps.find((s) => s.name === 'gate')!.gate).toMatchObject({ status: 'passed', evaluationRunId: better.id });
    // An evaluation for another tier says nothing of this one.
    expect((await deployer().gateVerdict(good, `${good.name}@${good.version}`, 'base')).status).toBe('missing');
    await settings.set('deploy.gate', {});
  }, 90_000);

  it('refuses deploy.gate thresholds that are not ones, naming the field', async () => {
    const settings = new SettingsService(store.settings);
    const refusal = async (value: unknown) => (await thrownBy(() => settings.set('deploy.gate', value))).message;
    expect(await refusal({ minWinRate: 1.5 })).toMatch(/^new setting 'deploy\.gate' is invalid: minWinRate: must be from 0 to 1/);
    expect(await refusal({ minIntervalLow: 'high' })).toMatch(/minIntervalLow: must be a number from 0 to 1/);
    expect(await refusal({ minJudged: 2.5 })).toMatch(/minJudged: must be a whole number of verdicts/);
    expect(await refusal({ minJudged: 0 })).toMatch(/minJudged: must be at least 1/);
    expect(await refusal({ minWinrate: 0.6 })).toMatch(/minWinrate/);
    expect(await settings.get('deploy.gate')).toEqual({ minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 20 });
    expect(await settings.set('deploy.gate', { minJudged: 30 })).toEqual({ minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 30 });
    await settings.set('deploy.gate', {});
  });

  it('rolls back in one call to an earlier successful deployment, recorded like a deploy', async () => {
    servingSpace = 'triad-ml/triad-company';
    const deploy = deployer();
    const first = await deploy.deploy({ tier: 'company', model: v1.id, overrideReason: 'baseline' }, lead);
    await deploy.deploy({ tier: 'company', model: v2.id, overrideReason: 'better on the team eval' }, lead);
    expect((await store.spaces.activeSpaceFor('company'))!.modelVersion).toBe(`${v2.name}@${v2.version}`);
    const back = await deploy.rollback({ tier: 'company', to: first.id }, lead);
    expect(back).toMatchObject({ kind: 'rollback', deploymentStatus: 'succeeded', previousDeploymentId: first.id, modelVersion: `${v1.name}@${v1.version}` });
    expect(back.steps.find((s) => s.name === 'gate')!.status).toBe('skipped');
    expect((await store.spaces.activeSpaceFor('company'))!.modelVersion).toBe(`${v1.name}@${v1.version}`);
    expect((await thrownBy(() => deploy.rollback({ tier: 'abstraction' }, lead))).message).toMatch(/no earlier successful deployment/);
  });

  it('gives up on a Space that never leaves BUILDING, and on one that never answers a chat', async () => {
    servingSpace = 'triad-ml/triad-company-staging';
    spaces.scriptBuilds(servingSpace, { stages: [{ stage: 'BUILDING', forMs: 0 }], buildLines: [], runLines: [] });
    const stuck = await deployer({ buildTimeoutMs: 300 }).deploy({ tier: 'company', model: v1.id, staging: true }, lead);
    expect(stuck.deploymentStatus).toBe('failed');
    expect(stuck.steps.find((s) => s.name === 'build')!.message).toMatch(/timed out: the Space was still BUILDING after 0 s/);

    app.reply({ kind: 'status', status: 503, body: { error: 'Space is building' } });
    const silent = await deployer({ healthTimeoutMs: 200 }).deploy({ tier: 'company', model: v1.id, staging: true }, lead);
    expect(silent.deploymentStatus).toBe('failed');
    expect(silent.steps.find((s) => s.name === 'health_check')!.message).toMatch(/did not answer a chat/);
  });

  it('saves the build log while the build runs, throttled, so a reader of the store sees it before the step ends; no line twice', async () => {
    servingSpace = 'triad-ml/triad-company-staging';
    const buildLines = Array.from({ length: 120 }, (_, i) => `#${i + 1} [build] layer ${i + 1}/120`);
    // Held until the reader below has seen the log, then let go (a timed stage can pass unseen on a loaded machine).
    spaces.scriptBuilds(servingSpace, { stages: [{ stage: 'BUILDING', forMs: 60_000 }, { stage: 'RUNNING', forMs: 0 }], buildLines, runLines: [] });
    const deploy = deployer();
    const writesWhileBuilding: number[] = [];
    deploy.onChange((d) => {
      const build = d.steps.find((s) => s.name === 'build')!;
      if (build.status === 'running') writesWhileBuilding.push(build.log.length);
    });
    const running = deploy.deploy({ tier: 'company', model: v1.id, staging: true }, lead);

    // Another reader of the store, as `triad deployments` or another operator's app would be.
    const seenRunning = await vi.waitFor(
      async () => {
        const [latest] = await store.registry.listDeployments();
        const build = latest!.steps.find((s) => s.name === 'build')!;
        expect(build.status).toBe('running');
        expect(build.log).toContain('#120 [build] layer 120/120');
        return build.log;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(seenRunning).toContain('— BUILDING');
    spaces.endStage(servingSpace);

    const record = await running;
    expect(record.deploymentStatus).toBe('succeeded');
    const log = record.steps.find((s) => s.name === 'build')!.log;
    expect(log.filter((line) => line.startsWith('#'))).toEqual(buildLines);
    expect(new Set(log).size).toBe(log.length);
    // 121 lines: the step's start, then a handful of log writes (first line, every 50 lines or a second).
    expect(writesWhileBuilding.length).toBeGreaterThanOrEqual(3);
    expect(writesWhileBuilding.length).toBeLessThanOrEqual(8);
    expect(writesWhileBuilding).toEqual([...writesWhileBuilding].sort((a, b) => a - b));
  });

  it('refuses a second deploy of a tier while one runs, naming it', async () => {
    servingSpace = 'triad-ml/triad-company-staging';
    spaces.scriptBuilds(servingSpace, { stages: [{ stage: 'BUILDING', forMs: 400 }, { stage: 'RUNNING', forMs: 0 }], buildLines: [], runLines: [] });
    const deploy = deployer();
    const first = deploy.deploy({ tier: 'company', model: v1.id, staging: true }, lead);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await thrownBy(() => deploy.deploy({ tier: 'company', model: v2.id, staging: true }, lead));
    expect(second.message).toMatch(new RegExp(`company tier \\(staging\\) is already running: deployment [0-9a-f-]{36} of ${v1.name}@${v1.version}`));
    expect((await first).deploymentStatus).toBe('succeeded');
  });

  it('marks a deploy the app was closed in as failed at the next start, never leaving it running', async () => {
    const [space] = await store.spaces.list();
    const orphan = await store.registry.recordDeployment({
      spaceId: space!.id, modelId: v1.id, deploymentStatus: 'running', tier: 'base', target: 'staging',
      steps: [{ name: 'build', status: 'running', startedAt: new Date(), finishedAt: null, message: null, log: [] }],
    });
    const recovered = await deployer().recoverInterrupted();
    expect(recovered.map((d) => d.id)).toContain(orphan.id);
    const after = (await store.registry.listDeployments()).find((d) => d.id === orphan.id)!;
    expect(after).toMatchObject({ deploymentStatus: 'failed', deploymentLogs: expect.stringMatching(/the app closed during build/) });
    expect(after.steps[0]).toMatchObject({ status: 'failed', message: 'the app closed during this step' });
  });

  it("in a shared store marks failed only this installation's interrupted deploys; another computer's, stuck, is named in the refusal and an ML lead marks it failed", async () => {
    const [space] = await store.spaces.list();
    const building = () => [{ name: 'build' as const, status: 'running' as const, startedAt: new Date(), finishedAt: null, message: null, log: [] }];
    const [here, there] = [randomUUID(), randomUUID()];
    const orphan = (target: 'live' | 'staging', installationId: string) => store.registry.recordDeployment({
      spaceId: space!.id, modelId: v1.id, deploymentStatus: 'running', tier: 'abstraction', target, steps: building(), installationId, createdBy: lead.id, modelVersion: `${v1.name}@${v1.version}`,
    });
    const mine = await orphan('staging', here);
    const theirs = await orphan('live', there);
    const deploy = deployer({ installationId: here });
    expect((await deploy.recoverInterrupted({ onlyThisInstallation: true })).map((d) => d.id)).toEqual([mine.id]);
    const stillRunning = () => store.registry.listDeployments().then((all) => all.find((d) => d.id === theirs.id)!.deploymentStatus);
    expect(await stillRunning()).toBe('running');

    // A young one may still be at work on its computer; an analyst marks none.
    expect((await thrownBy(() => deploy.markStuckFailed(theirs.id, lead))).message).toMatch(/less than 5 min ago \(the longest a deploy runs\), and may still be at work/);
    const analyst = await store.directory.createUser({ displayName: 'Ana', role: 'analyst' });
    expect((await thrownBy(() => deploy.markStuckFailed(theirs.id, analyst))).message).toMatch(/Ana is an analyst; only ML leads and admins do/);
    expect(await stillRunning()).toBe('running');

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60 * 60_000);
    try {
      const refused = await thrownBy(() => deploy.deploy({ tier: 'abstraction', model: v1.id }, lead));
      expect(refused.message).toMatch(new RegExp(`abstraction tier is already running: deployment ${theirs.id} of .*\\(60 min ago\\) by you from another computer\\. It has run longer than a deploy may \\(5 min\\).*triad deployments --mark-failed ${theirs.id}$`));
      const marked = await deploy.markStuckFailed(theirs.id, lead);
      expect(marked).toMatchObject({ deploymentStatus: 'failed', deploymentLogs: expect.stringMatching(/^Lena \(ML lead\) marked it failed after 5 min, during build: /) });
      expect(marked.steps[0]).toMatchObject({ status: 'failed', message: 'marked failed by Lena (ML lead): still running after 5 min' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('explains a revoked token, and refuses analysts and versions a CPU Space cannot serve', async () => {
    hub.revokeToken(STAND_IN_TOKEN);
    const revoked = await thrownBy(() => deployer().deploy({ tier: 'company', model: v1.id, staging: true }, lead));
    expect(revoked.message).toMatch(/refused the Hugging Face token/);
    expect(revoked.message).not.toContain(STAND_IN_TOKEN);

    const analyst = await store.directory.createUser({ displayName: 'Ari', role: 'analyst' });
    expect((await thrownBy(() => deployer().deploy({ tier: 'company', model: v1.id, staging: true }, analyst))).message).toMatch(/Ari is an analyst; only ML leads and admins deploy/);
    const noGguf = await store.registry.register({ name: 'triad-ml/no-gguf', version: '3'.repeat(40), tier: 'company', hfModelId: null, hfSpaceId: null, hfSpaceUrl: null });
    expect((await thrownBy(() => deployer().deploy({ tier: 'company', model: noGguf.id, staging: true }, lead))).message).toMatch(/CPU hardware serves a GGUF file and this version has none/);
    expect((await thrownBy(() => deployer().deploy({ tier: 'company', model: 'nobody/nothing@main', staging: true }, lead))).message).toMatch(/is not a registered model version/);
  });
});
