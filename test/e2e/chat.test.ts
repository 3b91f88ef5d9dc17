import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src-main/store/repositories';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

let triad: BrowserMode;
let page: Page;

beforeAll(async () => {
  triad = await startBrowserMode();
  // These are general questions with no company context; a fresh install starts on the demo's (test/e2e/first-run.test.ts).
  await triad.app.settings.set('session.companyContext', { company: null });
  page = await triad.openPage();
});
afterAll(async () => {
  await triad?.close();
});

/** The newest answer on the page. */
const lastAnswer = () => page.getByTestId('answer').last();

describe('chat in browser mode, on the tiny local model', () => {
  it('streams an answer in progressively and shows its metadata', async () => {
    // Records the answer's text length each time it changes, to see it grow while streaming.
    await page.evaluate(() => {
      const samples: Array<{ status: string | null; length: number }> = [];
      (window as unknown as { samples: typeof samples }).samples = samples;
      new MutationObserver(() => {
        const answer = [...document.querySelectorAll('[data-testid=answer]')].at(-1);
        if (!answer) return;
        const length = answer.querySelector('.markdown')?.textContent?.length ?? 0;
        if (samples.at(-1)?.length !== length) samples.push({ status: answer.getAttribute('data-status'), length });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });

    await page.getByLabel('Message').fill('Hello there');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => lastAnswer().getAttribute('data-status'), { timeout: 40_000 }).toBe('done');

    const samples = await page.evaluate(() => (window as unknown as { samples: Array<{ status: string; length: number }> }).samples);
    const whileStreaming = samples.filter((s) => s.status === 'streaming' && s.length > 0);
    expect(whileStreaming.length).toBeGreaterThan(1);
    expect(whileStreaming[0]!.length).toBeLessThan(samples.at(-1)!.length);

    const metadata = await lastAnswer().getByTestId('answer-metadata').textContent();
    expect(metadata).toContain('TierBase');
    expect(metadata).toMatch(/Latency\d+(\.\d)? (ms|s)/);
    expect(await lastAnswer().getByTestId('routing-note').textContent()).toMatch(/^Auto chose Base/);
    await triad.screenshot(page, 'chat');
  }, 60_000);

  it('saves feedback to the database and shows it again after a reload', async () => {
    const answer = lastAnswer();
    const requestId = (await answer.getAttribute('data-request-id'))!;
    await answer.getByRole('button', { name: 'Thumbs up' }).click();
    await answer.getByText('Feedback saved').waitFor();
    await answer.getByRole('radio', { name: '4 of 5 stars' }).click();
    await answer.getByRole('button', { name: 'Add comment / correction' }).click();
    await answer.getByLabel('Comment').fill('Gibberish, as expected from random weights');
    await answer.getByLabel('Corrected answer').fill('Hello! How can I help?');
    await answer.getByRole('button', { name: 'Save feedback' }).click();
    await answer.getByText('Corrected answer: Hello! How can I help?').waitFor();

    const [stored] = await triad.app.store.feedback.forRequest(requestId);
    expect(stored).toMatchObject({ thumbs: 1, rating: 4, comment: 'Gibberish, as expected from random weights', correctedAnswer: 'Hello! How can I help?' });

    await page.reload();
    await page.getByRole('button', { name: /^Hello there/ }).click();
    const reopened = page.locator(`[data-request-id="${requestId}"]`);
    await reopened.getByText('Comment: Gibberish, as expected from random weights').waitFor();
    expect(await reopened.getByRole('button', { name: 'Thumbs up' }).getAttribute('aria-pressed')).toBe('true');
    expect(await reopened.getByRole('radio', { name: '4 of 5 stars' }).getAttribute('aria-checked')).toBe('true');
    expect(await reopened.getByTestId('answer-metadata').textContent()).toContain('TierBase');
  });

  it('refuses a paste over the limit with a clear message and sends nothing', async () => {
    const starts: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/call/chat.start')) starts.push(request.url());
    });
    const prompts = await page.getByTestId('prompt').count();
    const message = page.getByLabel('Message');
    await message.fill('x'.repeat(40_000));
    await page.getByText('Your message is 40,000 characters; the limit is 32,000.').waitFor();
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await message.press('Enter');
    // send() adds the prompt row before it calls chat.start: no new row and an untouched draft mean no call.
    expect(await page.getByTestId('prompt').count()).toBe(prompts);
    expect((await message.inputValue()).length).toBe(40_000);
    expect(starts).toEqual([]);
    await message.fill('');
  });

  it('opens a conversation of 1,000 messages at its end with only the visible rows rendered', async () => {
    const conversationId = randomUUID();
    const userId = triad.app.localOperator.id;
    const start = Date.now() - 1_000_000;
    const entries: RequestLogEntry[] = Array.from({ length: 500 }, (_, i) => ({
      id: randomUUID(),
      conversationId,
      userId,
      companySlug: null,
      requestedTier: 'auto',
      tier: 'base',
      provider: 'local',
      modelId: 'tiny.gguf',
      modelVersion: 'q4',
      routingReason: 'general question, no company context',
      status: 'ok',
      errorCode: null,
      errorMessage: null,
      finishReason: 'stop',
      ttftMs: 10,
      latencyMs: 100,
      tokensIn: 5,
      tokensOut: 20,
      createdAt: new Date(start + i * 1_000),
      completedAt: new Date(start + i * 1_000 + 100),
      prompt: { id: randomUUID(), content: i === 0 ? 'A long conversation' : `Question ${i + 1}` },
      answer: { id: randomUUID(), content: `Answer number ${i + 1}\n\n${'- a point worth making\n'.repeat((i % 4) + 1)}` },
      routeAttempts: [],
      cacheHit: false,
    }));
    await triad.app.store.requests.recordMany(entries);

    await page.getByRole('button', { name: 'New' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Compare' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByRole('button', { name: /^A long conversation/ }).click();
    await page.getByText('Answer number 500', { exact: true }).waitFor();
    const rendered = await page.locator('.message-list-row').count();
    expect(rendered).toBeLessThan(40);

    await page.getByTestId('message-list').evaluate((list) => list.scrollTo({ top: 0 }));
    await page.getByText('A long conversation', { exact: true }).first().waitFor();
    expect(await page.locator('.message-list-row').count()).toBeLessThan(40);
  });

  it('compares three tiers and stores the vote', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const companyContext = page.getByRole('region', { name: 'Company context' });
    await companyContext.getByLabel('Company').selectOption('acme');
    await companyContext.getByText('Saved').waitFor();
    await triad.screenshot(page, 'settings');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Compare' }).click();
    await page.getByLabel('Prompt to compare').fill('How long do custom parts take to ship?');
    await page.getByTestId('compare-view').getByRole('button', { name: 'Compare' }).click();
    for (const tier of ['base', 'company', 'abstraction']) {
      await expect.poll(() => page.getByTestId(`compare-column-${tier}`).getAttribute('data-status'), { timeout: 45_000 }).toBe('done');
    }
    const companyRequestId = (await page.getByTestId('compare-column-company').getAttribute('data-request-id'))!;
    await page.getByRole('button', { name: 'Company is better' }).click();
    await page.getByTestId('vote-status').getByText('Saved: Company is better').waitFor();
    await page.getByTestId('compare-view').evaluate((view) => view.scrollTo({ top: 0 }));
    await triad.screenshot(page, 'compare');

    const [vote] = await triad.app.store.preferences.listForUser(triad.app.localOperator.id, 5);
    expect(vote).toMatchObject({ verdict: 'winner', winnerRequestId: companyRequestId, prompt: 'How long do custom parts take to ship?' });
    expect(vote!.requestIds).toHaveLength(3);
    await expect.poll(async () => (await triad.app.store.requests.get(companyRequestId))?.tier).toBe('company');
  }, 60_000);

  it('refuses a wrong session token with 401', async () => {
    const stranger = await triad.browser.newPage();
    const response = await stranger.goto(`${triad.web.origin}/?token=not-the-token`);
    expect(response?.status()).toBe(401);
    const api = await fetch(`${triad.web.origin}/api/call/status.get`, { method: 'POST', headers: { authorization: 'Bearer not-the-token' } });
    expect(api.status).toBe(401);
    await stranger.close();
  });

  it('left no uncaught error or console error in the page', () => {
    expect(triad.pageErrors).toEqual([]);
  });
});
