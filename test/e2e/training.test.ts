import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubJobs, trainingScript, type HubJobs } from '../support/hub/jobs-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

/**
 * An admin launches a training run from the Training page in Chromium against the Hub stand-in's Jobs API, sees a
 * bad dataset version refused, and follows the run live to its registered model: stages, loss and GPU charts,
 * log lines (shown as text, never HTML), cost.
 */
const TOKEN = 'hf_training_e2e_token_0123456789';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const DATASET = `acme-ml/base-sft@${COMMIT}`;
/** A log line that would run script if the page rendered it as HTML. */
const HOSTILE_LINE = '<img id="injected" src="x" onerror="window.injected = true">';

let hub: HubServer;
let jobs: HubJobs;
let triad: BrowserMode;
let page: Page;

beforeAll(async () => {
  hub = await startHubServer((shared) => [(jobs = createHubJobs(shared.accounts, shared.rateLimit))]);
  // Long enough for the app (which looks every 3 s) to see it run and read its GPU samples.
  jobs.scriptJobs((body) => {
    const script = trainingScript(body, { runMs: 7_000, steps: 6, schedulingMs: 500 });
    return { ...script, lines: [{ atMs: 0, line: HOSTILE_LINE }, ...script.lines] };
  });
  triad = await startBrowserMode({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN } });
  const built = await triad.app.store.datasets.recordBuild({
    kind: 'sft', tier: 'base', companySlug: null, counts: { train: 12, eval: 2 }, anonymiserVersion: 'e2e', createdBy: triad.app.localOperator.id,
  });
  await triad.app.store.datasets.recordPush(built.id, { repo: 'acme-ml/base-sft', commitSha: COMMIT });
  page = await triad.openPage();
}, 120_000);
afterAll(async () => {
  await triad?.close();
  await hub?.close();
});

const form = () => page.getByRole('form', { name: 'Launch a training run' });
const detail = () => page.getByRole('region', { name: 'Run detail' });

describe('Training in browser mode', () => {
  it('starts from the pushed dataset version, prices the hardware, and refuses a dataset without its version', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Training' }).click();
    await expect.poll(() => form().getByLabel('Dataset version').inputValue()).toBe(DATASET);
    expect(await form().getByLabel('Tier').inputValue()).toBe('base');
    expect(await form().getByLabel('Base model').inputValue()).toBe('Qwen/Qwen2.5-0.5B-Instruct');
    await expect.poll(() => form().getByLabel('Hardware').inputValue()).toBe('a10g-small');
    expect(await form().getByLabel('Hardware').locator('option').allTextContents()).toContain('Nvidia A10G - small (a10g-small) · $1.00/h · 1× A10G 24 GB');
    expect(await page.getByTestId('training-estimate').textContent()).toMatch(/^Estimated cost: at most \$2\.00/);
    await form().getByLabel('Timeout').fill('90m');
    expect(await page.getByTestId('training-estimate').textContent()).toMatch(/^Estimated cost: at most \$1\.50/);

    await form().getByLabel('Dataset version').fill('acme-ml/base-sft');
    await form().getByRole('button', { name: 'Launch' }).click();
    const refusal = page.getByTestId('launch-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('Not launched: training.launch: dataset: must name a version, owner/name@commit (the commit a push recorded)');
    expect(jobs.created).toEqual([]);
  });

  it('launches the run and follows it live to the registered model, with the loss and GPU charts drawn', async () => {
    await form().getByLabel('Dataset version').fill(DATASET);
    // The hyper-parameters start folded, on the script's defaults.
    expect(await form().getByLabel('Max steps').isVisible()).toBe(false);
    await form().getByText('Hyper-parameters').click();
    await form().getByLabel('Max steps').fill('30');
    await form().getByRole('button', { name: 'Launch' }).click();
    await detail().waitFor();
    expect(await page.getByTestId('launch-error').count()).toBe(0);
    expect(jobs.created).toHaveLength(1);
    expect(jobs.created[0]!.body).toMatchObject({ flavor: 'a10g-small', timeoutSeconds: 5400 });
    expect(jobs.created[0]!.body.command).toEqual(expect.arrayContaining(['--max-steps', '30']));

    // While it runs: the stage, the GPU samples, the cost ticking.
    await expect.poll(() => detail().getByTestId('stage-badge').first().textContent(), { timeout: 20_000 }).toBe('running');
    await detail().getByTestId('gpu-chart').locator('path.recharts-curve').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => detail().getByTestId('run-cost').textContent(), { timeout: 10_000 }).toMatch(/^\$0\.\d{4}$/);

    await expect.poll(() => detail().getByTestId('stage-badge').first().textContent(), { timeout: 40_000 }).toBe('registered');
    const [model] = (await triad.app.store.registry.list()).filter((m) => m.trainingRunId !== null);
    expect(await detail().getByTestId('registered-model').textContent()).toBe(`Registered model acme-ml/triad-base-sft-01234567@${model!.version}`);
    const lossLine = detail().getByTestId('loss-chart').locator('path.recharts-curve').first();
    expect(await lossLine.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L|C)/);
    expect(await detail().getByTestId('loss-chart').locator('.recharts-line-dot').count()).toBe(6);
    expect(await detail().getByTestId('run-progress').textContent()).toBe('step 30 of 30 · loss 0.9');
    expect(await detail().getByRole('region', { name: 'Stage history' }).getByTestId('stage-badge').allTextContents()).toEqual([
      'launching', 'scheduling', 'running', 'completed', 'registered',
    ]);
    expect(await detail().getByRole('button', { name: 'Cancel run' }).count()).toBe(0);

    // The job's log lines are text: the hostile one is shown, not run.
    const log = await detail().getByRole('region', { name: 'Last log lines' }).locator('pre').textContent();
    expect(log).toContain(HOSTILE_LINE);
    expect(log).toContain('TRIAD_EVENT {"event":"result"');
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();

    const row = page.getByTestId('training-run').first();
    expect(await row.getByTestId('stage-badge').textContent()).toBe('registered');
    expect(await row.textContent()).toContain('SFT Qwen/Qwen2.5-0.5B-Instruct');
    await page.getByRole('region', { name: 'Training runs' }).evaluate((runs) => runs.scrollIntoView({ block: 'start' }));
    await triad.screenshot(page, 'training');
    expect(triad.pageErrors).toEqual([]);
  }, 90_000);

  it('cancels a running run from its detail, and says so', async () => {
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 300_000, steps: 100, schedulingMs: 200 }));
    await page.getByRole('region', { name: 'Training runs' }).evaluate((runs) => runs.scrollIntoView({ block: 'end' }));
    await form().getByRole('button', { name: 'Launch' }).click();
    await expect.poll(() => page.getByTestId('training-run').count()).toBe(2);
    await expect.poll(() => detail().getByTestId('stage-badge').first().textContent(), { timeout: 20_000 }).toBe('running');
    await detail().getByRole('button', { name: 'Cancel run' }).click();
    await expect.poll(() => detail().getByTestId('stage-badge').first().textContent(), { timeout: 20_000 }).toBe('cancelled');
    expect(jobs.cancels).toEqual([jobs.created[1]!.id]);
    expect(await detail().getByTestId('failure-reason').textContent()).toBe('cancelled');
    expect(await detail().getByTestId('registered-model').count()).toBe(0);
    expect(await detail().getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    // The newest run is on top, the registered one below it.
    expect(await page.getByTestId('training-run').getByTestId('stage-badge').allTextContents()).toEqual(['cancelled', 'registered']);
    expect(triad.pageErrors).toEqual([]);
  }, 60_000);
});
