import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src-main/server/http-server';
import { openStore } from '../../src-main/store/open-store';
import type { RequestLogEntry } from '../../src-main/store/repositories';
import { makeEntry } from '../store/support';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { createTestApp, type TestApp } from '../support/test-app';
import { TEST_TEAM_TIMING } from '../team/support';
import { SCREENSHOT_DIR } from './support/browser-mode';
import { buildRenderer } from './support/renderer-build';

// The Review screen in Chromium through browser mode, on the app's real services over PostgreSQL: a reviewer
// works through logged answers with the keyboard, and what they did is what the store holds; in team mode, with
// the team project unreachable, the labels go to the local copy and reach Supabase when it is back.

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let database: TestDatabase;
let app: TestApp;
let web: WebServer;
let browser: Browser;
let rendererDir: string;
let page: Page;
const pageErrors: string[] = [];
/** Oldest first; the table shows them newest first. */
let answers: RequestLogEntry[];

beforeAll(async () => {
  [rendererDir, browser] = await Promise.all([buildRenderer(), chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })]);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

/** A page of the app at `url`, on the Review screen, collecting page errors. */
async function openReview(url: string): Promise<Page> {
  const opened = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  opened.setDefaultTimeout(15_000);
  opened.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  opened.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  await opened.goto(url);
  await opened.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Review' }).click();
  return opened;
}

const rowOf = (entry: RequestLogEntry) => page.locator(`[role=row][data-request-id="${entry.id}"]`);
const storedLabel = async (entry: RequestLogEntry) => (await app.store.review.detail(entry.id))?.label ?? null;

describe('the Review screen in browser mode', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createTestApp({ store: { backend: 'postgres', connectionString: database.url } });
    web = await startWebServer({ services: app, rendererDir });
    const operator = app.localOperator.id;
    const at = (minute: number) => new Date(Date.parse('2031-02-01T10:00:00.000Z') + minute * 60_000);
    answers = [
      makeEntry({ userId: operator, createdAt: at(0), prompt: { id: randomUUID(), content: 'When are invoices due?' }, answer: { id: randomUUID(), content: 'Invoices are due at the end of the month.' } }),
      makeEntry({ userId: operator, createdAt: at(1), prompt: { id: randomUUID(), content: 'What is our refund policy?' }, answer: { id: randomUUID(), content: 'Refunds take ten days.' } }),
      makeEntry({ userId: operator, createdAt: at(2), prompt: { id: randomUUID(), content: 'Capital of France?' }, answer: { id: randomUUID(), content: 'Paris.' } }),
    ];
    await app.store.requests.recordMany(answers);
    await app.store.feedback.save({ requestId: answers[1]!.id, userId: operator, thumbs: -1, rating: 2, comment: 'too slow', correctedAnswer: null });
    page = await openReview(web.url);
  }, 120_000);

  afterAll(async () => {
    await page?.close().catch(() => undefined);
    await web?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await database?.drop().catch(() => undefined);
  });

  it('lists the logged answers newest first and shows the focused one in detail', async () => {
    await expect.poll(() => page.getByTestId('review-count').textContent()).toBe('3 answers');
    const ids = await page.locator('[data-testid=review-table] [role=row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-request-id')));
    expect(ids).toEqual([answers[2]!.id, answers[1]!.id, answers[0]!.id]);
    const detail = page.getByRole('complementary', { name: 'Answer under review' });
    await expect.poll(() => detail.getAttribute('data-request-id')).toBe(answers[2]!.id);
    await detail.getByText('Capital of France?').waitFor();
    await detail.getByText('auto: general question').waitFor();
    expect(await rowOf(answers[1]!).textContent()).toContain('▼ 1');
    expect(await rowOf(answers[1]!).locator('.review-cell-feedback').getAttribute('title')).toBe('1 thumbs down, 2 stars on average, 1 with a comment');
  });

  it('labels with the keyboard: a accepts and moves on, f marks needs fix, k goes back, e edits the correction', async () => {
    await page.locator('body').press('a');
    await expect.poll(() => storedLabel(answers[2]!)).toMatchObject({ label: 'accepted', reviewerId: app.localOperator.id });
    await expect.poll(() => rowOf(answers[2]!).getByTestId('row-label').textContent()).toBe('Accepted');
    // Focus moved to the next answer, which r rejects.
    await expect.poll(() => rowOf(answers[1]!).getAttribute('aria-selected')).toBe('true');
    await page.locator('body').press('r');
    await expect.poll(() => storedLabel(answers[1]!)).toMatchObject({ label: 'rejected' });

    // Back up to the refund answer, write a correction, and label it needs fix with it.
    await page.locator('body').press('k');
    await expect.poll(() => rowOf(answers[1]!).getAttribute('aria-selected')).toBe('true');
    await page.locator('body').press('e');
    await page.keyboard.type('Refunds take five working days.');
    await page.keyboard.press('Escape');
    await page.getByTestId('correction-diff').locator('ins').first().waitFor();
    expect(await page.getByTestId('correction-diff').locator('del').allTextContents()).toContain('ten');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'review.png') });
    await page.locator('body').press('f');
    await expect.poll(() => storedLabel(answers[1]!)).toMatchObject({ label: 'needs_fix', correctedAnswer: 'Refunds take five working days.' });
    const history = (await app.store.review.detail(answers[1]!.id))!.history.map((h) => h.label);
    expect(history).toEqual(['needs_fix', 'rejected']);
    await expect.poll(() => rowOf(answers[1]!).getByTestId('row-label').textContent()).toBe('Needs fix');
  });

  it('shows the cheatsheet on ?', async () => {
    await page.locator('body').press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('label needs fix, then next').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
  });

  it('searches prompts and answers in full text, and saves the filter as a queue with its progress', async () => {
    await page.locator('body').press('/');
    await page.keyboard.type('invoice');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('review-count').textContent()).toBe('1 answers');
    expect(await page.locator('[data-testid=review-table] [role=row]').getAttribute('data-request-id')).toBe(answers[0]!.id);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await page.getByLabel('Label', { exact: true }).selectOption('unlabelled');
    await expect.poll(() => page.getByTestId('review-count').textContent()).toBe('1 answers');
    await page.getByRole('button', { name: 'Save filter as queue' }).click();
    await page.getByLabel('Queue name').fill('Still to do');
    await page.getByLabel('Queue name').press('Enter');
    await expect.poll(() => page.getByTestId('queue-progress').textContent()).toBe('2 done · 1 left');
    await page.locator('body').press('a');
    await expect.poll(() => storedLabel(answers[0]!)).toMatchObject({ label: 'accepted' });
    await expect.poll(() => page.getByTestId('queue-progress').textContent()).toBe('3 done · 0 left');
  });

  it('labels every row of the filter after a confirming second click, keeping the corrections', async () => {
    await page.getByLabel('Queue', { exact: true }).selectOption('');
    const clear = page.getByRole('button', { name: 'Clear filters' });
    if ((await clear.count()) > 0) await clear.click();
    await expect.poll(() => page.getByTestId('review-count').textContent()).toBe('3 answers');
    await page.getByLabel('Bulk label').selectOption('rejected');
    await page.getByRole('button', { name: 'Label all 3 rows of this filter' }).click();
    await page.getByRole('button', { name: 'Confirm: label all 3 as Rejected' }).click();
    await page.getByText('Labelled 3 answers rejected').waitFor();
    for (const entry of answers) expect(await storedLabel(entry)).toMatchObject({ label: 'rejected' });
    expect(await storedLabel(answers[1]!)).toMatchObject({ correctedAnswer: 'Refunds take five working days.' });
    expect(pageErrors).toEqual([]);
  });
});

describe('the Review screen in team mode, with the network cable pulled', () => {
  const company = `e2e-${randomUUID().slice(0, 6)}`;
  let stack: TeamStack;
  let teamDatabase: TestDatabase;
  let teamApp: TestApp;
  let teamWeb: WebServer;
  let teamPage: Page;
  let lead: TeamOperator;
  let theirs: RequestLogEntry[];
  let local: pg.Pool;

  beforeAll(async () => {
    [stack, teamDatabase] = await Promise.all([startTeamStack(), createTestDatabase()]);
    local = new pg.Pool({ connectionString: teamDatabase.url, max: 1 });
    const analyst = await stack.createOperator({ role: 'analyst', companies: [company] });
    lead = await stack.createOperator({ role: 'ml_lead', companies: [company] });
    const analystStore = await openStore({ backend: 'supabase', url: stack.url, client: await stack.signIn(analyst) });
    const at = (minute: number) => new Date(Date.parse('2031-03-01T10:00:00.000Z') + minute * 60_000);
    theirs = [
      makeEntry({ userId: analyst.id, companySlug: company, tier: 'company', createdAt: at(0), answer: { id: randomUUID(), content: 'Our churn fell by a third.' } }),
      makeEntry({ userId: analyst.id, companySlug: company, tier: 'company', createdAt: at(1), answer: { id: randomUUID(), content: 'Margins are flat.' } }),
    ];
    await analystStore.requests.recordMany(theirs);
    await analystStore.close();
    teamApp = await createTestApp({ store: { backend: 'postgres', connectionString: teamDatabase.url }, team: TEST_TEAM_TIMING });
    await teamApp.team.configure({ mode: 'supabase', url: stack.url, anonKey: stack.anonKey });
    await teamApp.team.signIn({ email: lead.email, password: lead.password });
    teamWeb = await startWebServer({ services: teamApp, rendererDir });
    teamPage = await openReview(teamWeb.url);
  }, 120_000);

  afterAll(async () => {
    await teamPage?.close().catch(() => undefined);
    await teamWeb?.close().catch(() => undefined);
    await teamApp?.close().catch(() => undefined);
    await local?.end().catch(() => undefined);
    await stack?.resume();
    await stack?.stop();
    await teamDatabase?.drop().catch(() => undefined);
  });

  const labelsOnSupabase = () =>
    stack.query<{ request_id: string; label: string; reviewer_id: string }>('SELECT request_id, label, reviewer_id FROM review_labels WHERE request_id = ANY($1::uuid[]) ORDER BY request_id', [
      theirs.map((e) => e.id),
    ]);
  const rowLabel = (entry: RequestLogEntry) => teamPage.locator(`[role=row][data-request-id="${entry.id}"]`).getByTestId('row-label');

  it('labels with the keyboard offline from the local copy, and the labels reach Supabase when the link is back', async () => {
    await expect.poll(() => teamPage.getByTestId('review-count').textContent()).toBe('2 answers');
    // The answers shown were copied for offline review.
    await expect.poll(async () => Number((await local.query('SELECT count(*) AS n FROM triad_local.review_scope')).rows[0].n), { timeout: 10_000 }).toBe(2);

    await stack.pause();
    await teamPage.reload();
    await teamPage.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Review' }).click();
    await expect.poll(() => teamPage.getByTestId('review-count').textContent()).toBe('2 answers');
    await teamPage.locator('body').press('a');
    await expect.poll(() => rowLabel(theirs[1]!).textContent()).toBe('Accepted');
    await teamPage.locator('body').press('r');
    await expect.poll(() => rowLabel(theirs[0]!).textContent()).toBe('Rejected');
    expect(await labelsOnSupabase()).toEqual([]);
    expect((await teamApp.team.view()).sync.pending).toBeGreaterThanOrEqual(2);

    await stack.resume();
    await expect
      .poll(async () => (await labelsOnSupabase()).map((l) => [l.request_id, l.label, l.reviewer_id]), { timeout: 20_000, interval: 200 })
      .toEqual(
        [
          [theirs[0]!.id, 'rejected', lead.id],
          [theirs[1]!.id, 'accepted', lead.id],
        ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
    expect(pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  }, 90_000);
});
