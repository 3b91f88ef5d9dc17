import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

// A newcomer's first run: browser mode on a fresh data folder and the tiny model, nothing configured. Every
// tier answers in Chat and in Compare from the demo workspace, and Settings removes the demo in one click.

let triad: BrowserMode;
let page: Page;

beforeAll(async () => {
  triad = await startBrowserMode();
  page = await triad.openPage();
}, 60_000);
afterAll(async () => {
  await triad?.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
const lastAnswer = () => page.getByTestId('answer').last();
const column = (tier: string) => page.getByTestId(`compare-column-${tier}`);

/** Sends `prompt` from the composer and waits for its answer to finish; the answer's routing note and metadata. */
async function ask(prompt: string): Promise<{ note: string; metadata: string }> {
  const answers = await page.getByTestId('answer').count();
  await page.getByLabel('Message').fill(prompt);
  await page.getByLabel('Message').press('Enter');
  await expect.poll(() => page.getByTestId('answer').count()).toBe(answers + 1);
  await expect.poll(() => lastAnswer().getAttribute('data-status'), { timeout: 40_000 }).toBe('done');
  return {
    note: (await lastAnswer().getByTestId('routing-note').textContent()) ?? '',
    metadata: (await lastAnswer().getByTestId('answer-metadata').textContent()) ?? '',
  };
}

/** Runs a comparison of all three tiers and waits until every column has ended. */
async function compareAll(prompt: string): Promise<void> {
  await nav('Compare').click();
  await page.getByLabel('Prompt to compare').fill(prompt);
  await page.getByTestId('compare-view').getByRole('button', { name: 'Compare' }).click();
  for (const tier of ['base', 'company', 'abstraction']) {
    await expect.poll(() => column(tier).getAttribute('data-status'), { timeout: 45_000 }).toMatch(/^(done|failed)$/);
  }
}

describe('first run in browser mode, on the tiny local model', () => {
  it('shows the demo company as the company context, labelled as demo data', async () => {
    const note = page.getByTestId('company-context-note');
    await expect.poll(() => note.textContent()).toBe('Company context: Acme Manufacturing (demo) demo data');
  });

  it('answers in Chat on Company and Abstraction by Auto, and on Base when picked, each saying why', async () => {
    const company = await ask('What is our refund policy?');
    expect(company.note).toBe("Auto chose Companycompany context 'acme' and user has access");
    expect(company.metadata).toContain('TierCompany');

    const abstraction = await ask('What refund rate is typical across similar businesses?');
    expect(abstraction.note).toBe("Auto chose Abstractioncross-business question ('across similar businesses')");
    expect(abstraction.metadata).toContain('TierAbstraction');

    // With a company context set, Auto sends every other question to Company (README, routing rule 2).
    await page.getByRole('radiogroup', { name: 'Tier' }).getByRole('radio', { name: 'Base' }).click();
    const base = await ask('What is a good way to run a weekly team meeting?');
    expect(base.note).toBe('Basebase tier requested by the user');
    expect(base.metadata).toContain('TierBase');
    await page.getByRole('radiogroup', { name: 'Tier' }).getByRole('radio', { name: 'Auto' }).click();
  }, 150_000);

  it('answers in all three Compare columns, each with its reason', async () => {
    await compareAll('How long do custom parts take to ship?');
    expect(await column('base').getAttribute('data-status')).toBe('done');
    expect(await column('company').getAttribute('data-status')).toBe('done');
    expect(await column('abstraction').getAttribute('data-status')).toBe('done');
    expect(await column('base').getByTestId('routing-reason').textContent()).toBe('base tier requested by the user');
    expect(await column('company').getByTestId('routing-reason').textContent()).toBe("company tier requested for 'acme' and user has access");
    expect(await column('abstraction').getByTestId('routing-reason').textContent()).toBe('abstraction tier requested by the user');
    for (const tier of ['base', 'company', 'abstraction']) {
      expect(await column(tier).getByTestId('answer-metadata').textContent()).toMatch(/Latency\d+(\.\d)? (ms|s)/);
    }
    await triad.screenshot(page, 'first-run-compare');
  }, 150_000);

  it('removes the demo workspace from Settings after a confirmation, leaving Company asking for a context', async () => {
    await nav('Settings').click();
    const demo = page.getByRole('region', { name: 'Demo workspace' });
    expect(await demo.getByTestId('demo-workspace-contents').textContent()).toBe(
      'demo data 2 sample companies (Acme Manufacturing (demo) and Northwind Coffee Roasters (demo)) with 6 knowledge snippets, and 4 anonymised cross-company insights.',
    );
    const picker = page.getByRole('region', { name: 'Company context' }).getByLabel('Company');
    expect(await picker.locator('optgroup[label="Demo workspace (sample data)"] option').allTextContents()).toEqual([
      'Acme Manufacturing (demo) (acme)',
      'Northwind Coffee Roasters (demo) (northwind-coffee)',
    ]);
    await triad.screenshot(page, 'first-run-settings');

    await demo.getByRole('button', { name: 'Remove demo workspace…' }).click();
    await demo.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Cancel' }).click();
    expect(await triad.app.store.directory.findCompany('acme')).toBeDefined();
    await demo.getByRole('button', { name: 'Remove demo workspace…' }).click();
    await demo.getByRole('group', { name: 'Confirm removal' }).getByRole('button', { name: 'Remove' }).click();
    await demo.getByText('Demo workspace removed: its companies, their knowledge and its insights are gone. Your own data is untouched.').waitFor();
    expect(await picker.inputValue()).toBe('');
    expect(await picker.locator('option').allTextContents()).toEqual(['None']);
    expect(await triad.app.store.directory.listCompanies()).toEqual([]);

    await compareAll('How long do custom parts take to ship?');
    expect(await page.getByTestId('company-context-note').textContent()).toBe('No company context (the Company tier needs one: see Settings)');
    expect(await column('company').getAttribute('data-status')).toBe('failed');
    expect(await column('company').getByRole('alert').textContent()).toBe('Error validation_failed: context.company: the company tier needs a company context');
    expect(await column('base').getAttribute('data-status')).toBe('done');
    expect(await column('abstraction').getAttribute('data-status')).toBe('done');
  }, 150_000);

  it('left no uncaught error or console error in the page', () => {
    expect(triad.pageErrors).toEqual([]);
  });
});
