import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredModel } from '../../src-main/store/repositories';
import { createHubJobs, trainingScript, type HubJobs } from '../support/hub/jobs-routes';
import { createHubFiles, type HubFiles } from '../support/hub/resolve-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer, type StubReply } from '../support/openai-compatible-server';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

/**
 * The learning loop's second half in Chromium: an admin launches a training run on the Training page (the Hub
 * stand-in's Jobs API), watches it finish and register the model, then evaluates that version on the Evaluation
 * page against the version serving the Base tier. The candidate answers from the tier's staging Space and the
 * serving version from its live Space (two OpenAI-compatible stand-ins), streaming side by side; the admin judges
 * the pairs blind from the keyboard and reads the report: win rate with its 95% interval, per side, and the judge
 * model's verdicts (a third stand-in, behind the OpenAI provider) beside the operator's.
 */
const TOKEN = 'hf_evaluation_e2e_token_0123456789';
const DATASET_REPO = 'acme-ml/base-sft';
const SERVING_VERSION = `acme-ml/triad-base@${'5'.repeat(40)}`;
/** The eval split a dataset push leaves on the Hub: TRL's conversational format, the reference answer last. */
const EVAL_EXAMPLES = [
  ['How long do refunds take?', 'Refunds are paid within 30 days.'],
  ['Can I change my delivery address?', 'Yes, until the parcel ships.'],
  ['Do you ship abroad?', 'To 24 countries in Europe.'],
  ['What does the warranty cover?', 'Two years, parts and labour.'],
].map(([prompt, reference]) => ({ messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: reference }], source: 'accepted', request_ids: [] }));
/** What the serving version says to everything. */
const SERVING_ANSWER = 'Please contact support about that.';
/** Text that would run script if the page rendered an answer as HTML. */
const HOSTILE = '<img id="injected" src="x" onerror="window.injected = true">';

let hub: HubServer;
let jobs: HubJobs;
let files: HubFiles;
/** The dataset version the candidate is trained on, `owner/name@commit`. */
let dataset: string;
let candidateSpace: OpenAiCompatibleServer;
let servingSpace: OpenAiCompatibleServer;
/** The judge model (an OpenAI-compatible stand-in): it prefers whichever answer is not the serving one's. */
let judgeModel: OpenAiCompatibleServer;
let triad: BrowserMode;
let page: Page;
let model: RegisteredModel;

/** A Space's answer to the prompt it was sent, a few words at a time so the page is seen streaming. */
function answers(space: () => OpenAiCompatibleServer, answer: (prompt: string) => string[]): StubReply {
  return {
    kind: 'decide',
    decide: () => {
      const messages = (space().requests.at(-1)?.body.messages ?? []) as Array<{ role: string; content: string }>;
      return { kind: 'stream', chunks: answer(messages.at(-1)?.content ?? ''), delayMs: 250 };
    },
  };
}

beforeAll(async () => {
  [candidateSpace, servingSpace, judgeModel] = await Promise.all([startOpenAiCompatibleServer(), startOpenAiCompatibleServer(), startOpenAiCompatibleServer()]);
  // The candidate answers from its training data; the serving version is vaguer. Which is which the page never says.
  candidateSpace.reply(answers(() => candidateSpace, (prompt) => {
    const reference = EVAL_EXAMPLES.find((e) => e.messages[0]!.content === prompt)?.messages[1]!.content ?? 'I do not know.';
    return [...reference.split(/(?<= )/), prompt.startsWith('Do you ship') ? ` ${HOSTILE}` : ''];
  }));
  servingSpace.reply(answers(() => servingSpace, () => [SERVING_ANSWER.slice(0, 7), SERVING_ANSWER.slice(7, 16), SERVING_ANSWER.slice(16)]));
  judgeModel.reply(answers(() => judgeModel, (question) => [/Answer A:\n([\s\S]*?)\n\nAnswer B:/.exec(question)?.[1] === SERVING_ANSWER ? 'B' : 'A']));

  hub = await startHubServer((shared) => [(jobs = createHubJobs(shared.accounts, shared.rateLimit)), (files = createHubFiles(shared.accounts, shared.rateLimit))]);
  const commit = files.commit({ type: 'dataset', id: DATASET_REPO }, { 'eval.jsonl': EVAL_EXAMPLES.map((e) => JSON.stringify(e)).join('\n'), 'train.jsonl': '' });
  dataset = `${DATASET_REPO}@${commit}`;
  jobs.scriptJobs((body) => trainingScript(body, { runMs: 2_000, steps: 4, schedulingMs: 200 }));
  triad = await startBrowserMode({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, OPENAI_API_KEY: 'sk-evaluation-e2e-judge' } });
  await triad.app.flags.set('provider', 'huggingface');
  await triad.app.settings.set('openai', { baseUrl: `${judgeModel.url}/v1`, model: 'judge-1', fastModel: 'judge-1' });
  await triad.app.settings.set('evaluation.judge', { provider: 'openai' });
  const built = await triad.app.store.datasets.recordBuild({
    kind: 'sft', tier: 'base', companySlug: null, counts: { train: 12, eval: EVAL_EXAMPLES.length }, anonymiserVersion: 'e2e', createdBy: triad.app.localOperator.id,
  });
  await triad.app.store.datasets.recordPush(built.id, { repo: DATASET_REPO, commitSha: commit });
  // The Base tier serves from its live Space; its staging Space is configured once the candidate is registered.
  await triad.app.store.spaces.upsert({ spaceName: 'acme-ml/triad-base', spaceType: 'base', apiEndpoint: servingSpace.url, isActive: true, modelVersion: SERVING_VERSION });
  page = await triad.openPage();
}, 120_000);
afterAll(async () => {
  await triad?.close();
  await hub?.close();
  await candidateSpace?.close();
  await servingSpace?.close();
  await judgeModel?.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
const judging = () => page.getByRole('region', { name: 'Blind judging' });
const pane = (side: 'a' | 'b') => judging().getByTestId(`answer-${side}`);

describe('Evaluation in browser mode', () => {
  it('launches a training run and follows it to the registered model', async () => {
    await nav('Training').click();
    const form = page.getByRole('form', { name: 'Launch a training run' });
    await expect.poll(() => form.getByLabel('Dataset version').inputValue()).toBe(dataset);
    await expect.poll(() => form.getByLabel('Hardware').inputValue()).toBe('a10g-small');
    await form.getByRole('button', { name: 'Launch' }).click();
    const detail = page.getByRole('region', { name: 'Run detail' });
    await expect.poll(() => detail.getByTestId('stage-badge').first().textContent(), { timeout: 40_000 }).toBe('registered');
    model = (await triad.app.store.registry.list()).find((m) => m.trainingRunId !== null)!;
    expect(await detail.getByTestId('registered-model').textContent()).toBe(`Registered model ${model.name}@${model.version}`);
    expect(model.datasetVersion).toBe(dataset);
  }, 60_000);

  it('refuses a bad number of examples and a candidate not on staging yet, saying why', async () => {
    await nav('Evaluation').click();
    const form = page.getByRole('form', { name: 'Start an evaluation' });
    await expect.poll(() => form.getByLabel('Model version').inputValue()).toBe(model.id);
    await form.getByLabel('Eval examples').fill('0');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    expect(await page.getByTestId('start-error').textContent()).toBe("Not started: eval examples: must be a whole number from 1 to 1000, got '0'");

    await form.getByLabel('Eval examples').fill('4');
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    const version = `${model.name}@${model.version}`;
    await expect
      .poll(() => page.getByTestId('start-error').textContent())
      .toBe(`Not started: evaluating ${version}: tier 'base' has no staging Space; deploy it to staging first: triad deploy --tier base --model ${version} --staging`);
    expect(await page.getByTestId('evaluation-run').count()).toBe(0);
  });

  it('starts once the candidate is on staging and shows both sides streaming, blind', async () => {
    // As `triad deploy --staging` leaves it: an inactive row serving the candidate's version.
    await triad.app.store.spaces.upsert({ spaceName: 'acme-ml/triad-base-staging', spaceType: 'base', apiEndpoint: candidateSpace.url, isActive: false, modelVersion: `${model.name}@${model.version}` });
    const form = page.getByRole('form', { name: 'Start an evaluation' });
    await form.getByRole('button', { name: 'Start evaluation' }).click();
    await judging().waitFor();
    expect(await page.getByTestId('start-error').count()).toBe(0);
    // Text arrives while a side is still writing.
    const streamingSeen = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[aria-label="Blind judging"] [data-state="answering"] [data-testid="answer-text"]')].some((el) => (el.textContent ?? '').length > 0),
      );
    await expect.poll(streamingSeen, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => pane('a').getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => pane('b').getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    expect(await judging().locator('[aria-label="Prompt"]').textContent()).toContain('How long do refunds take?');

    // Nothing in the judging view says which answer is the candidate's: not its text, attributes or classes.
    const markup = await judging().innerHTML();
    for (const hint of [/candidate/i, /serving/i, /staging/i, new RegExp(model.version.slice(0, 7)), /5555555/]) expect(markup).not.toMatch(hint);
  }, 60_000);

  it('judges four pairs from the keyboard and reads the report: win rate with its interval, per side', async () => {
    await judging().getByRole('heading', { name: 'Blind judging' }).click();
    for (let n = 0; n < EVAL_EXAMPLES.length; n++) {
      await expect.poll(() => judging().getByTestId('prompt-position').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^Prompt ${n + 1} of 4`));
      await expect.poll(async () => [await pane('a').getAttribute('data-state'), await pane('b').getAttribute('data-state')], { timeout: 20_000 }).toEqual(['done', 'done']);
      // The test knows the candidate by its answer; the page does not say.
      const candidateSide = (await pane('a').getByTestId('answer-text').textContent()) === SERVING_ANSWER ? 'b' : 'a';
      // Three for the candidate, then a tie: a win rate of (3 + ½) / 4.
      const key = n === 3 ? 't' : candidateSide;
      await page.keyboard.press(key);
      await expect.poll(() => judging().getByTestId('judging-progress').textContent()).toBe(`judged ${n + 1} of 4`);
      // The figures so far would say which side the candidate was: they stay hidden until the last verdict.
      if (n < 3) expect(await page.getByRole('region', { name: 'Evaluation report' }).count()).toBe(0);
    }

    const report = page.getByRole('region', { name: 'Evaluation report' });
    await expect.poll(() => report.locator('h2').textContent(), { timeout: 20_000 }).toBe('Report');
    const headline = (await report.getByTestId('report-win-rate').textContent())!;
    const [, low, high] = /^Candidate win rate 88% \((\d+)%–(\d+)%\)/.exec(headline) ?? [];
    expect(Number(low)).toBeLessThan(88);
    expect(Number(high)).toBeGreaterThanOrEqual(88);
    expect(headline).toContain('over 4 verdicts (3 won · 1 tied · 0 lost');
    await report.getByTestId('win-rate-chart').locator('.recharts-scatter-symbol').first().waitFor();
    expect(await report.getByTestId('win-rate-chart').locator('.recharts-errorBar').count()).toBeGreaterThan(0);
    expect(await report.getByTestId('report-side-candidate').textContent()).toContain(`${model.name}@${model.version.slice(0, 7)}`);
    expect(await report.getByTestId('report-side-serving').textContent()).toContain('acme-ml/triad-base@5555555');
    expect(await page.getByTestId('evaluation-run').first().getByTestId('evaluation-status').textContent()).toBe('completed');
    // The judge model chose the candidate every time; the operator did three times and tied once.
    expect(await report.getByTestId('report-judge').textContent()).toMatch(
      /^openai:judge-1: candidate win rate 100% \(\d+%–100%\) \(4 won · 0 tied · 0 lost\) · agrees with the operator on 75% of the prompts both judged$/,
    );

    // The hostile answer was shown as text, never run.
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    // Taller than the other screens: the two answers and the report in one picture.
    await page.setViewportSize({ width: 1280, height: 1080 });
    await judging().evaluate((view) => view.scrollIntoView({ block: 'start' }));
    await triad.screenshot(page, 'evaluation');
    expect(triad.pageErrors).toEqual([]);
  }, 90_000);
});
