import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredModel } from '../../src-main/store/repositories';
import { createHubSpaces, DEFAULT_BUILD, type HubSpaces } from '../support/hub/spaces-routes';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { recordCompletedEvaluation } from '../deploy/completed-evaluation';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

/**
 * An admin deploys registered versions of the Base tier's model from the Deployments page in Chromium, against the
 * Hub stand-in's Space API: to staging first, then to live with an override reason, then a version whose completed
 * evaluation passes the gate without one; watches the steps to RUNNING and activate; sees Chat answer from the new
 * Space; rolls back from the history; and reads the reason in the history.
 */
const STAGING = 'triad-ml/triad-base-staging';
const LIVE = 'triad-ml/triad-base';
const MODEL = 'triad-ml/triad-base-sft';

let hub: HubStandIn;
let spaces: HubSpaces;
let spaceApp: OpenAiCompatibleServer;
let triad: BrowserMode;
let page: Page;
let v1: RegisteredModel;
let v2: RegisteredModel;

beforeAll(async () => {
  spaceApp = await startOpenAiCompatibleServer();
  // The Spaces' app: 503 while building, as a Space's proxy answers; once running, it says which revision it serves.
  spaceApp.reply({
    kind: 'decide',
    decide: () => {
      const serving = spaces.stageOf(LIVE) === 'RUNNING' ? LIVE : spaces.stageOf(STAGING) === 'RUNNING' ? STAGING : undefined;
      if (!serving) return { kind: 'status', status: 503, body: { error: 'Space is building' } };
      return { kind: 'stream', chunks: ['served by ', (spaces.environmentOf(serving).MODEL_REVISION ?? 'nothing').slice(0, 7)] };
    },
  });
  hub = await startHubStandIn({
    routes: (shared) => [(spaces = createHubSpaces(shared.accounts, shared.rateLimit, () => spaceApp.url))],
    onRepoCreated: (type, id, owner) => type === 'space' && spaces.created(id, owner),
    onCommit: (type, id) => type === 'space' && spaces.committed(id),
  });
  triad = await startBrowserMode({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN } });
  // General questions, so Auto picks the Base tier; the tiers answer from their Spaces, not the local model.
  await triad.app.settings.set('session.companyContext', { company: null });
  await triad.app.flags.set('provider', 'huggingface');
  const version = (v: string) => ({ name: MODEL, version: v.repeat(40), tier: 'base' as const, hfModelId: MODEL, hfSpaceId: null, hfSpaceUrl: null, ggufFile: 'triad-base-sft-q8_0.gguf' });
  v1 = await triad.app.store.registry.register(version('1'));
  v2 = await triad.app.store.registry.register(version('2'));
  page = await triad.openPage();
}, 120_000);
afterAll(async () => {
  await triad?.close();
  await hub?.close();
  await spaceApp?.close();
});

const form = () => page.getByRole('form', { name: 'Deploy a model version' });
const progress = () => page.getByRole('region', { name: 'Deploy progress' });
const baseCard = () => page.getByTestId('tier-card-base');
const stepStatus = (step: string) => progress().locator(`[data-step="${step}"]`).getAttribute('data-status');

/** Waits for the deploy whose heading matches to be shown, then for it to end; answers its status. */
async function deployEnded(heading: RegExp): Promise<string | null> {
  await expect.poll(() => progress().locator('h2').textContent(), { timeout: 20_000 }).toMatch(heading);
  await expect.poll(() => progress().getByTestId('deployment-status').first().textContent(), { timeout: 60_000 }).not.toBe('running');
  return progress().getByTestId('deployment-status').first().textContent();
}

async function askChat(question: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat' }).click();
  await page.getByLabel('Message').fill(question);
  await page.getByLabel('Message').press('Enter');
  const answer = page.getByTestId('answer').last();
  await expect.poll(() => answer.getAttribute('data-status'), { timeout: 40_000 }).toBe('done');
  const text = (await answer.locator('.markdown').textContent()) ?? '';
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deployments' }).click();
  await form().waitFor();
  return text;
}

describe('Deployments in browser mode', () => {
  it('deploys a registered version to staging from the form and follows its steps to RUNNING and activate', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deployments' }).click();
    await form().waitFor();
    await baseCard().getByTestId('no-live-space').waitFor();
    expect(await form().getByLabel('Hardware').locator('option').allTextContents()).toContain('CPU upgrade (cpu-upgrade) · $0.03/h');
    await form().getByLabel('Model version').selectOption(v1.id);
    expect(await form().getByLabel('Tier').inputValue()).toBe('base');
    expect(await form().getByLabel('Staging Space').isChecked()).toBe(true);
    // The build is held until the test has watched it run and its log come in (a timed stage was missed in CI
    // when the machine was loaded), then let go.
    spaces.scriptBuilds(STAGING, { ...DEFAULT_BUILD, stages: [{ stage: 'BUILDING', forMs: 60_000 }, ...DEFAULT_BUILD.stages.slice(1)] });
    await form().getByRole('button', { name: 'Deploy to Base staging' }).click();

    // The steps come in while it runs: the deploy is seen running before it ends.
    await expect.poll(() => progress().getByTestId('deployment-status').first().textContent(), { timeout: 20_000 }).toBe('running');
    // The build's log lines stream in while the step still runs.
    const buildLogWhileRunning = () =>
      page.evaluate(() => {
        const step = document.querySelector('[aria-label="Deploy progress"] [data-step="build"]');
        return step?.getAttribute('data-status') === 'running' && (step.querySelector('[data-testid="step-log"]')?.textContent ?? '').includes('Successfully built 3f2a1c0d');
      });
    await expect.poll(buildLogWhileRunning, { timeout: 20_000 }).toBe(true);
    spaces.endStage(STAGING);
    expect(await deployEnded(/^Deploy of triad-ml\/triad-base-sft@1111111 to Base staging/)).toBe('succeeded');
    expect(await stepStatus('build')).toBe('done');
    expect(await stepStatus('activate')).toBe('done');
    expect(await stepStatus('gate')).toBe('skipped');
    const build = progress().locator('[data-step="build"]');
    expect(await build.getByTestId('step-message').textContent()).toMatch(/^RUNNING after \d+\.\d s$/);
    expect(await build.getByTestId('step-log').textContent()).toContain('— RUNNING');
    expect(await build.locator('.deploy-step-duration').textContent()).toMatch(/^\d+\.\d s$/);

    const staging = baseCard().getByTestId('space-staging');
    await expect.poll(() => staging.getByTestId('space-stage').textContent(), { timeout: 15_000 }).toBe('RUNNING');
    expect(await staging.getByTestId('space-model').textContent()).toBe(`${MODEL}@1111111`);
    expect(await staging.getByTestId('space-hardware').textContent()).toBe('cpu-basic · free');
    expect(await baseCard().getByTestId('no-live-space').count()).toBe(1);
  }, 90_000);

  it('needs an override reason to promote a version not evaluated, promotes one whose evaluation passes the gate without one, and Chat answers from it', async () => {
    await form().getByLabel('Staging Space').uncheck();
    await form().getByRole('button', { name: 'Promote to live Base' }).click();
    expect(await page.getByTestId('deploy-error').textContent()).toMatch(/^An override reason is required to promote to the live base tier/);
    expect((await triad.app.store.registry.listDeployments()).filter((d) => d.target === 'live')).toEqual([]);

    await form().getByLabel('Model version').selectOption(v1.id);
    await form().getByLabel('Override reason').fill('baseline: the first live version');
    await form().getByRole('button', { name: 'Promote to live Base' }).click();
    expect(await deployEnded(/^Deploy of triad-ml\/triad-base-sft@1111111 to Base live/)).toBe('succeeded');
    expect(await progress().locator('[data-step="gate"]').getByTestId('step-message').textContent()).toMatch(/^overridden: baseline: the first live version \(triad-ml\/triad-base-sft@1111111 has no completed evaluation/);

    // v2 was evaluated against v1 and judged better: the form shows the gate passing, and no reason is asked for.
    const evaluation = await recordCompletedEvaluation(triad.app.store, { model: v2, tier: 'base', servingVersion: `${MODEL}@${v1.version}`, judgedBy: triad.app.localOperator.id, wins: 27, losses: 10, ties: 3 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deployments' }).click();
    await form().getByLabel('Model version').selectOption(v2.id);
    await form().getByLabel('Staging Space').uncheck();
    const verdict = form().getByTestId('gate-verdict');
    await expect.poll(() => verdict.getAttribute('data-gate'), { timeout: 15_000 }).toBe('passed');
    expect(await verdict.getAttribute('data-evaluation-run')).toBe(evaluation.id);
    expect(await verdict.textContent()).toMatch(/evaluation [0-9a-f]{8}…: win rate 71% \(95% CI \d+–\d+%\) over 40 verdicts, needs ≥ 50% and a lower bound ≥ 40%: passed/);
    expect(await form().getByLabel('Override reason').count()).toBe(0);
    await form().getByRole('button', { name: 'Promote to live Base' }).click();
    expect(await deployEnded(/^Deploy of triad-ml\/triad-base-sft@2222222 to Base live/)).toBe('succeeded');
    expect(await progress().locator('[data-step="gate"]').getByTestId('gate-verdict').getAttribute('data-gate')).toBe('passed');
    const live = baseCard().getByTestId('space-live');
    await expect.poll(() => live.getByTestId('space-model').textContent(), { timeout: 15_000 }).toBe(`${MODEL}@2222222`);
    expect(await live.getByTestId('space-stage').textContent()).toBe('RUNNING');

    expect(await askChat('Which version answers?')).toBe('served by 2222222');
  }, 150_000);

  it('rolls back from the history after a confirmation, Chat answers from the earlier version, and the history keeps the reason', async () => {
    const history = page.getByRole('region', { name: 'Deployment history' });
    const baselineRow = history.getByTestId('deployment-row').filter({ hasText: 'baseline: the first live version' });
    await baselineRow.getByRole('button', { name: 'Roll back to this' }).click();
    expect(await baselineRow.getByRole('group', { name: 'Confirm rollback' }).textContent()).toContain(`Deploy ${MODEL}@1111111 to Base live again?`);
    await baselineRow.getByRole('button', { name: 'Confirm rollback' }).click();
    expect(await deployEnded(/^Rollback of triad-ml\/triad-base-sft@1111111 to Base live/)).toBe('succeeded');
    await expect.poll(() => baseCard().getByTestId('space-live').getByTestId('space-model').textContent(), { timeout: 15_000 }).toBe(`${MODEL}@1111111`);
    expect(await askChat('And now?')).toBe('served by 1111111');

    const rows = history.getByTestId('deployment-row');
    expect(await rows.count()).toBe(4);
    expect(await history.getByTestId('override-reason').allTextContents()).toEqual(['', '', 'baseline: the first live version', '']);
    // Each row opens to its steps and logs.
    await rows.first().getByRole('button', { expanded: false }).click();
    expect(await history.locator('[data-step="build"]').first().getByTestId('step-log').textContent()).toContain('— RUNNING');
    await history.getByLabel('Filter by kind').selectOption('rollback');
    expect(await rows.count()).toBe(1);
    await history.getByLabel('Filter by kind').selectOption('all');

    // The two chats were answered by the Base tier's Space, without errors. (The log records the model name the
    // Space's answer gives, which two versions of one GGUF share.)
    const stats = page.getByTestId('version-stats-row');
    await expect.poll(() => stats.allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^Base.+Hugging Face Space20\d/)]));
    await page.getByTestId('latency-chart').locator('.recharts-bar-rectangle').first().waitFor();

    const timeline = page.getByTestId('deploy-timeline');
    await expect.poll(() => timeline.locator('.deploy-marker').count()).toBe(4);
    expect(await timeline.locator('path.deploy-marker').count()).toBe(1);
    await page.getByRole('region', { name: 'Deployments over time' }).evaluate((plot) => plot.scrollIntoView({ block: 'start' }));
    await triad.screenshot(page, 'deployments-history');
    await page.getByRole('region', { name: 'Tier Spaces' }).evaluate((cards) => cards.scrollIntoView({ block: 'start' }));
    await triad.screenshot(page, 'deployments');
    expect(triad.pageErrors).toEqual([]);
  }, 150_000);
});
