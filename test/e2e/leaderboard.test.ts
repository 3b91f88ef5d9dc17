import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntry } from '../store/support';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

let triad: BrowserMode;
let page: Page;

beforeAll(async () => {
  triad = await startBrowserMode();
  await triad.app.settings.set('session.companyContext', { company: 'acme' });
  page = await triad.openPage();
});
afterAll(async () => {
  await triad?.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });

/** Votes cast earlier on another company's questions: Company beat Base 18 times of 24 there. */
async function seedNorthwindVotes(): Promise<void> {
  const userId = triad.app.localOperator.id;
  for (let k = 0; k < 24; k++) {
    const base = makeEntry({ userId, companySlug: 'northwind-coffee', tier: 'base', modelId: 'qwen2.5-0.5b', modelVersion: null });
    const company = makeEntry({ userId, companySlug: 'northwind-coffee', tier: 'company', requestedTier: 'company', modelId: 'northwind', modelVersion: 'northwind-v1' });
    await triad.app.store.requests.recordMany([base, company]);
    await triad.app.store.preferences.save({
      userId, prompt: `Roast question ${k}`, requestIds: [base.id, company.id], verdict: 'winner', winnerRequestId: k < 18 ? company.id : base.id,
    });
  }
}

describe('the leaderboard in browser mode', () => {
  it('says there is nothing to rank before any vote', async () => {
    await nav('Leaderboard').click();
    await page.getByText('No Compare votes yet: vote in Compare to rank the tiers.').waitFor();
    expect(await page.getByRole('table', { name: 'Ratings' }).count()).toBe(0);
  });

  it('ranks the tiers after a vote in Compare, with intervals, a win matrix and a chart over time', async () => {
    await nav('Compare').click();
    await page.getByLabel('Prompt to compare').fill('Which supplier ships fastest?');
    await page.getByTestId('compare-view').getByRole('button', { name: 'Compare' }).click();
    for (const tier of ['base', 'company', 'abstraction']) {
      await expect.poll(() => page.getByTestId(`compare-column-${tier}`).getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    }
    await page.getByRole('button', { name: 'Company is better' }).click();
    await page.getByTestId('vote-status').getByText('Saved: Company is better').waitFor();
    await seedNorthwindVotes();

    await nav('Leaderboard').click();
    const table = page.getByRole('table', { name: 'Ratings' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    const models = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model')));
    // The tiny model answers every tier in Compare, so each tier is its own model; Company won both comparisons.
    expect(models).toHaveLength(5);
    expect(models[0]).toMatch(/^company@/);
    const top = rows.first();
    expect(await top.locator('td').first().textContent()).toBe('1');
    expect(await top.getByRole('img', { name: /^95% interval \d+ to \d+$/ }).count()).toBe(1);
    expect(await page.locator('.preliminary-badge').count()).toBeGreaterThan(0);
    await page.getByText('25 of 25 votes rated', { exact: false }).waitFor();

    const matrix = page.getByRole('table', { name: 'Win matrix' });
    expect(await matrix.getByRole('cell', { name: /./ }).count()).toBeGreaterThan(0);
    expect(await matrix.locator('.win-cell[title*="beat"]').count()).toBeGreaterThan(0);

    // recharts draws under the page's strict Content-Security-Policy: one series per model, a dot for each
    // model at the day's end (every vote here was cast today, so one point each).
    const chart = page.getByTestId('ratings-chart');
    await chart.locator('.recharts-line-dot').first().waitFor();
    expect(await chart.locator('.recharts-line-dot').count()).toBe(5);
    expect(await chart.locator('.recharts-legend-item').allTextContents()).toEqual(expect.arrayContaining(['Company · northwind-v1', 'Base · qwen2.5-0.5b']));
    await page.getByTestId('leaderboard-view').evaluate((view) => view.scrollTo({ top: 0 }));
    await triad.screenshot(page, 'leaderboard');
  }, 120_000);

  it("filters to one company's votes", async () => {
    await page.getByRole('combobox', { name: 'Company filter' }).selectOption('northwind-coffee');
    await page.getByText('24 of 24 votes rated', { exact: false }).waitFor();
    const rows = page.getByRole('table', { name: 'Ratings' }).locator('tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-model'), tr.querySelectorAll('td')[4]?.textContent]))).toEqual([
      ['company@northwind-v1', '24'],
      ['base@qwen2.5-0.5b', '24'],
    ]);
    const share = await page.getByRole('table', { name: 'Win matrix' }).locator('.win-cell[title^="company@northwind-v1 beat"]').textContent();
    expect(share).toBe('75%24');

    await page.getByRole('combobox', { name: 'Company filter' }).selectOption('acme');
    await page.getByText('1 of 1 votes rated', { exact: false }).waitFor();
    expect(await page.getByRole('table', { name: 'Ratings' }).locator('tbody tr').count()).toBe(3);
  });

  it('left no uncaught error or console error (no CSP violation) in the page', () => {
    expect(triad.pageErrors).toEqual([]);
  });
});
