import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

const TOKEN = 'hf_e2ePrivateSpaceTokenABCDEFGHIJKL';

let triad: BrowserMode;
let space: OpenAiCompatibleServer;
let page: Page;

beforeAll(async () => {
  [triad, space] = await Promise.all([startBrowserMode(), startOpenAiCompatibleServer()]);
  // A general question on the Base tier's own Space, which is private: it answers only with the token.
  await triad.app.settings.set('session.companyContext', { company: null });
  await triad.app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: space.url, isActive: true, modelVersion: 'base-v1' });
  await triad.app.flags.set('provider', 'huggingface');
  space.requireBearer(TOKEN);
  space.reply({ kind: 'stream', chunks: ['Answered', ' by the', ' private Space'] });
  page = await triad.openPage();
}, 60_000);
afterAll(async () => {
  await space?.close();
  await triad?.close();
});

const nav = (name: 'Chat' | 'Settings') => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
const lastAnswer = () => page.getByTestId('answer').last();

async function ask(prompt: string): Promise<void> {
  await nav('Chat').click();
  await page.getByLabel('Message').fill(prompt);
  await page.getByLabel('Message').press('Enter');
  await expect.poll(() => lastAnswer().getAttribute('data-status'), { timeout: 40_000 }).toBe('done');
}

describe('a Space with no Hugging Face token set', () => {
  it('the status bar says so once, with where to set one', async () => {
    const notice = page.getByTestId('status-hf-token');
    await notice.waitFor();
    expect(await notice.count()).toBe(1);
    expect(await notice.textContent()).toBe('No Hugging Face token');
    expect(await notice.getAttribute('title')).toContain('Settings → API keys, or HF_TOKEN');
  });

  it('is called without a token; its 401 falls back to the local model with a reason that says where to set the token', async () => {
    await ask('Hello, private Space?');
    expect(space.requests.at(-1)!.headers.authorization).toBeUndefined();
    const route = await lastAnswer().textContent();
    expect(route).toContain('A private Space needs a Hugging Face token');
    expect(route).toContain('Settings → API keys, or HF_TOKEN');
    expect(await page.getByTestId('status-hf-token').count()).toBe(1);
  }, 60_000);

  it('once the token is saved in Settings → API keys, the notice goes and the Space answers', async () => {
    await nav('Settings').click();
    expect(await page.getByTestId('secrets-storage').textContent()).toBe('Stored with Secret Service (keytar, libsecret).');
    const row = page.getByTestId('secret-huggingface-token');
    await row.getByLabel('Hugging Face token').fill(TOKEN);
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('set (keychain)').waitFor();
    await page.getByTestId('status-hf-token').waitFor({ state: 'detached' });

    await ask('Hello again, private Space?');
    expect(await lastAnswer().textContent()).toContain('Answered by the private Space');
    expect(space.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  }, 60_000);

  it('left no uncaught error or console error in the page', () => {
    expect(triad.pageErrors).toEqual([]);
  });
});
