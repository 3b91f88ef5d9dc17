import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../src-shared/domain';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

let triad: BrowserMode;
let stub: OpenAiCompatibleServer;
let page: Page;
const dialogs: string[] = [];

// Every tier is served by a "Space" that is the local OpenAI-compatible stand-in, so each test scripts the
// model's exact output.
beforeAll(async () => {
  [triad, stub] = await Promise.all([startBrowserMode(), startOpenAiCompatibleServer()]);
  for (const tier of TIERS) {
    await triad.app.store.spaces.upsert({ spaceName: `stub/triad-${tier}`, spaceType: tier, apiEndpoint: stub.url, isActive: true, modelVersion: 'stub-1' });
  }
  await triad.app.flags.set('provider', 'huggingface');
  page = await triad.openPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});
afterAll(async () => {
  await triad?.close();
  await stub?.close();
});

const lastAnswer = () => page.getByTestId('answer').last();

async function ask(prompt: string): Promise<void> {
  await page.getByLabel('Message').fill(prompt);
  await page.getByLabel('Message').press('Enter');
}

describe('untrusted model output in the chat', () => {
  it('shows raw HTML and a javascript: link as text and runs nothing', async () => {
    stub.reply({ kind: 'stream', chunks: ['Try this: <img src=x onerror=alert(1)> ', 'and [click](javascript:alert(1)) ', 'or <script>alert(2)</script>.'] });
    await ask('Show me something dangerous');
    await expect.poll(() => lastAnswer().getAttribute('data-status')).toBe('done');

    const answer = lastAnswer();
    expect(await answer.locator('.markdown').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await answer.locator('.markdown').textContent()).toContain('<script>alert(2)</script>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('[onerror], script:not([src])').count()).toBe(0);
    const link = answer.getByText('click', { exact: true });
    expect(await link.evaluate((el) => el.tagName)).toBe('SPAN');
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    await link.click();
    expect(await page.evaluate(() => location.protocol)).toBe('http:');
    expect(dialogs).toEqual([]);
    expect(await answer.getByTestId('answer-metadata').textContent()).toContain('ProviderHugging Face Space');
  });

  it('renders markdown: headings, lists, tables, code blocks and safe links', async () => {
    stub.reply({
      kind: 'stream',
      chunks: [
        '### Lead times by part type\n\n',
        'Standard parts ship in **3 working days**; custom machining takes *4 to 6 weeks*.\n\n',
        '| Part | Lead time |\n|---|---|\n| Standard | 3 days |\n| Custom | 4–6 weeks |\n\n',
        '```python\ndef lead_time(part):\n    return 3 if part.standard else 35\n```\n\n',
        'See the [tooling guide](https://example.com/tooling) for details.',
      ],
      usage: { prompt_tokens: 24, completion_tokens: 61 },
    });
    await page.getByRole('button', { name: 'New' }).click();
    await ask('How long do parts take to ship?');
    await expect.poll(() => lastAnswer().getAttribute('data-status')).toBe('done');
    const answer = lastAnswer();
    expect(await answer.locator('table').count()).toBe(1);
    expect(await answer.locator('pre code.language-python').count()).toBe(1);
    const link = answer.getByRole('link', { name: 'tooling guide' });
    expect(await link.getAttribute('href')).toBe('https://example.com/tooling');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await answer.getByTestId('answer-metadata').textContent()).toContain('Tokens24 in · 61 out');
    await triad.screenshot(page, 'chat-markdown');
  });

  it('stops a long answer with Escape', async () => {
    stub.reply({ kind: 'stream', chunks: Array.from({ length: 300 }, (_, i) => `word${i} `), delayMs: 30 });
    await ask('Write a very long essay');
    const answer = lastAnswer();
    await answer.getByText('word3', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => answer.getAttribute('data-status')).toBe('done');
    await answer.getByText('Stopped.').waitFor();
    expect(await answer.getByTestId('answer-metadata').textContent()).toContain('Finishstopped by you');
    expect(await answer.locator('.markdown').textContent()).not.toContain('word299');
    await page.getByRole('button', { name: 'Send' }).waitFor();

    const requestId = (await answer.getAttribute('data-request-id'))!;
    await expect.poll(async () => (await triad.app.store.requests.get(requestId))?.status).toBe('aborted');
  });

  it('left no uncaught error or console error in the page', () => {
    expect(triad.pageErrors).toEqual([]);
  });
});
