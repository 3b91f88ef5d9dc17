import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { createHubSpaces, type HubSpaces } from '../support/hub/spaces-routes';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';

const ROOT = join(import.meta.dirname, '../..');
/** Each run starts Node, tsx and the embedded store, which takes seconds on a busy machine. */
const SLOW = { timeout: 180_000 };
const MODEL = `triad-ml/triad-base-sft@${'4'.repeat(40)}`;

describe('triad deploy, rollback, deployments and deploy-gate', () => {
  let dataDir: string;
  let hub: HubStandIn;
  let spaces: HubSpaces;
  let app: OpenAiCompatibleServer;

  function triad(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin/triad.mjs'), '--data-dir', dataDir, ...args],
        { cwd: ROOT, env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN, NO_COLOR: '1' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'triad-deploy-cli-'));
    app = await startOpenAiCompatibleServer();
    app.reply({ kind: 'decide', decide: () => (spaces.stageOf('triad-ml/triad-base-staging') === 'RUNNING' ? { kind: 'stream', chunks: ['ready'] } : { kind: 'status', status: 503, body: { error: 'building' } }) });
    hub = await startHubStandIn({
      routes: (shared) => [(spaces = createHubSpaces(shared.accounts, shared.rateLimit, () => app.url))],
      onRepoCreated: (type, id, owner) => type === 'space' && spaces.created(id, owner),
      onCommit: (type, id) => type === 'space' && spaces.committed(id),
    });
    // A trained version in the app's own store, as a finished training run leaves it.
    const store = await openStore({ backend: 'pglite', dataDir: join(dataDir, 'db') });
    const [name, version] = MODEL.split('@') as [string, string];
    await store.registry.register({ name, version, tier: 'base', hfModelId: name, hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'triad-base-sft-q8_0.gguf' });
    await store.close();
  }, 120_000);
  afterAll(async () => {
    await hub.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('deploys to staging with every step on stderr and the record on stdout, then lists it in triad deployments', SLOW, async () => {
    const deployed = await triad(['deploy', '--tier', 'base', '--model', MODEL, '--staging', '--json']);
    expect(deployed.stderr).toMatch(/done +build: RUNNING after/);
    expect(deployed.stderr).toMatch(/done +health_check: answered at http:\/\/127\.0\.0\.1/);
    expect(deployed.code).toBe(0);
    const record = JSON.parse(deployed.stdout) as { id: string; deploymentStatus: string; spaceRepo: string };
    expect(record).toMatchObject({ deploymentStatus: 'succeeded', spaceRepo: 'triad-ml/triad-base-staging' });
    expect(deployed.stdout + deployed.stderr).not.toContain(STAND_IN_TOKEN);

    const listed = await triad(['deployments', '--json']);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>)[0]!.id).toBe(record.id);
    const table = await triad(['deployments', '--tier', 'base']);
    expect(table.stdout).toMatch(/succeeded +deploy +base \(staging\)/);
    expect(table.stdout).toMatch(/done +activate/);
    // Only a deploy still running (and older than the longest a deploy runs) is marked failed by hand.
    const notRunning = await triad(['deployments', '--mark-failed', record.id]);
    expect(notRunning.code).toBe(2);
    expect(notRunning.stderr).toContain(`marking deployment ${record.id} failed: it is not running (succeeded)`);
  });

  it('refuses to promote without an evaluation or override (exit 1, nothing changed), and to roll back with no earlier version (exit 2)', SLOW, async () => {
    const refused = await triad(['deploy', '--tier', 'base', '--model', MODEL]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/failed +gate: triad-ml\/triad-base-sft@4444444 has no completed evaluation against the serving version of the base tier .* or give an override reason \(recorded\)/);
    expect(hub.repos.has('spaces/triad-ml/triad-base')).toBe(false);

    const rollback = await triad(['rollback', '--tier', 'base', '--staging']);
    expect(rollback).toMatchObject({ code: 2, stderr: expect.stringMatching(/no earlier successful deployment to go back to/) });
    const bad = await triad(['deploy', '--tier', 'premium', '--model', MODEL]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/Allowed choices are base, company, abstraction/) });
  });

  it('shows and sets the deploy gate, refusing thresholds that are not ones, and tells the verdict on a version', SLOW, async () => {
    const shown = await triad(['deploy-gate', '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ thresholds: { minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 20 } });

    const set = await triad(['deploy-gate', '--min-win-rate', '0.55', '--min-judged', '30']);
    expect(set).toMatchObject({ code: 0, stdout: 'the gate needs a win rate ≥ 0.55, a lower bound ≥ 0.4 and at least 30 verdicts (saved)\n' });
    const tooHigh = await triad(['deploy-gate', '--min-interval-low', '40']);
    expect(tooHigh).toMatchObject({ code: 2, stderr: expect.stringMatching(/--min-interval-low must be a share from 0 to 1 \(0\.5 for 50%\), got '40'/) });
    const fractional = await triad(['deploy-gate', '--min-judged', '2.5']);
    expect(fractional).toMatchObject({ code: 2, stderr: expect.stringMatching(/--min-judged must be a whole number of verdicts, at least 1, got '2\.5'/) });

    const verdict = await triad(['deploy-gate', '--model', MODEL]);
    expect(verdict.code).toBe(1);
    expect(verdict.stdout).toMatch(/^missing: triad-ml\/triad-base-sft@4444444 has no completed evaluation against the serving version of the base tier \(the gate needs ≥ 55% and a lower bound ≥ 40% over at least 30 verdicts\)\. To promote it: evaluate it first/m);
    expect(verdict.stderr).toMatch(/does not pass the gate of the base tier/);
    expect(await triad(['deploy-gate', '--model', 'nobody/nothing@main'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a registered model version/) });
    await triad(['deploy-gate', '--min-win-rate', '0.5', '--min-judged', '20']);
  });
});
