import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetSeed } from '../datasets/seed';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

/** An ML lead builds a Company dataset in Chromium and pushes it to the Hub stand-in, through a failed push and its retry. */

let hub: HubStandIn;
let triad: BrowserMode;
let page: Page;

beforeAll(async () => {
  hub = await startHubStandIn();
  triad = await startBrowserMode({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN } });
  const seed = new DatasetSeed(triad.app.store, triad.app.localOperator.id);
  const questions = [
    'How do I book the meeting room? Write to olga.petrova@example.com.',
    'What is the expense limit for client dinners?',
    'Where do I find the holiday calendar?',
    'Who approves new laptops?',
  ];
  for (const question of questions) await seed.label(await seed.answer('company', 'acme', question, `Answer: ${question.split(' ').slice(0, 3).join(' ')}…`), 'accepted');
  page = await triad.openPage();
}, 120_000);
afterAll(async () => {
  await triad?.close();
  await hub?.close();
});

const form = () => page.getByRole('form', { name: 'Dataset' });
const pushForm = () => page.getByRole('form', { name: 'Push to the Hub' });

describe('Datasets in browser mode', () => {
  it('previews a Company SFT dataset: counts and anonymised examples', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Datasets' }).click();
    await form().getByLabel('Tier').selectOption('company');
    await form().getByLabel('Company').selectOption('acme');
    await form().getByLabel('Kind').selectOption('sft');
    await form().getByLabel('Eval share').fill('25');
    await form().getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('dataset-counts').textContent()).toBe('3 train · 1 eval');
    const examples = (await page.getByTestId('dataset-example').allTextContents()).join('\n');
    expect(examples).toContain('Write to <EMAIL_1>.');
    expect(examples).not.toContain('olga.petrova');
    expect(await page.getByRole('list', { name: 'Filters' }).textContent()).toContain('exact duplicates: 0 removed');
  });

  it('builds it, says why a push failed, and pushes it on retry with a progress bar', async () => {
    await form().getByRole('button', { name: 'Build' }).click();
    await pushForm().getByText(/^Built dataset/).waitFor();
    await pushForm().getByLabel('Dataset repo').fill('acme-support');

    hub.failNext('commit', { status: 500 });
    await pushForm().getByRole('button', { name: 'Push to the Hub' }).click();
    const failure = pushForm().getByRole('alert');
    await failure.waitFor();
    expect(await failure.textContent()).toMatch(/^The push failed: pushing the dataset to triad-ml\/acme-support: committing the files: the Hub failed \(500\)/);
    await expect.poll(() => page.getByTestId('dataset-version').first().textContent()).toContain('push failed');

    await pushForm().getByRole('button', { name: 'Retry push' }).click();
    const pushed = page.getByTestId('dataset-pushed');
    await pushed.waitFor();
    const head = hub.repos.get('datasets/triad-ml/acme-support')!.commits.at(-1)!;
    expect(await pushed.textContent()).toBe(`Pushed to triad-ml/acme-support as commit ${head.oid}`);
    expect(await pushForm().getByLabel('Push progress').getAttribute('value')).toBe('1');
    expect(await pushForm().textContent()).toContain(`pushed as commit ${head.oid.slice(0, 7)}`);
    await expect.poll(() => page.getByTestId('dataset-version').first().textContent()).toContain(`pushedtriad-ml/acme-support@${head.oid.slice(0, 7)}`);

    const train = head.files.get('train.jsonl')!.content.toString();
    expect(train.trim().split('\n')).toHaveLength(3);
    expect(train + head.files.get('eval.jsonl')!.content.toString()).not.toContain('olga.petrova');
    expect(head.files.get('README.md')!.content.toString()).toContain('configs:');
    await triad.screenshot(page, 'datasets');
    expect(triad.pageErrors).toEqual([]);
  });
});
