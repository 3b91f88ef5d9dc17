import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { startBrowserMode, type BrowserMode } from './support/browser-mode';

let stack: TeamStack;
let triad: BrowserMode;
let page: Page;
let operator: TeamOperator;

beforeAll(async () => {
  [stack, triad] = await Promise.all([startTeamStack(), startBrowserMode()]);
  operator = await stack.createOperator({ role: 'analyst', companies: ['acme'], displayName: 'Ana Analyst' });
  page = await triad.openPage();
}, 120_000);
afterAll(async () => {
  await triad?.close();
  await stack?.stop();
});

const navigate = (name: 'Chat' | 'Compare' | 'Settings') => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
const team = () => page.getByRole('region', { name: 'Team' });
const syncStatus = () => page.getByTestId('status-sync');
const lastAnswer = () => page.getByTestId('answer').last();

describe('team mode in browser mode, against a local team stack', () => {
  it('starts embedded, and refuses plain http to another computer', async () => {
    await navigate('Settings');
    await team().getByText('In use: the embedded database on this computer').waitFor();
    expect(await syncStatus().count()).toBe(0);

    await team().getByRole('radio', { name: 'Supabase' }).click();
    await team().getByLabel('Project URL').fill('http://db.example.com');
    await team().getByLabel('Anon key').fill(stack.anonKey);
    await team().getByRole('button', { name: 'Use Supabase' }).click();
    await team().getByText('Not saved: plain http is accepted only on this computer (localhost, 127.0.0.1): use https://db.example.com').waitFor();
    expect(await team().getByLabel('Anon key').inputValue()).toBe('');
    expect(await page.getByTestId('team-current').textContent()).toContain('the embedded database');
  });

  it('switches to the Supabase project once Test connection says it answers', async () => {
    await team().getByLabel('Project URL').fill(stack.url);
    await team().getByLabel('Anon key').fill(stack.anonKey);
    await team().getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByTestId('team-test-result').textContent()).toMatch(/^Connection ok: /);

    await team().getByRole('button', { name: 'Use Supabase' }).click();
    await expect.poll(() => page.getByTestId('team-current').textContent()).toBe(`In use: Supabase ${stack.url}`);
    expect(await page.getByTestId('team-key-status').textContent()).toBe('key set');
    expect(await team().getByLabel('Anon key').inputValue()).toBe('');
    await expect.poll(() => syncStatus().textContent()).toBe('Signed out');
    // The key never comes back to the page, not even in the team view.
    expect(await page.content()).not.toContain(stack.anonKey);
  });

  it("shows the main process's message for a wrong password and empties the password field", async () => {
    const signIn = team().getByRole('form', { name: 'Sign in' });
    await signIn.getByLabel('Email').fill(operator.email);
    await signIn.getByLabel('Password').fill('not-the-password');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    const refusal = signIn.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Not signed in: .*wrong email or password/);
    expect(await signIn.getByLabel('Password').inputValue()).toBe('');
    expect(await syncStatus().textContent()).toBe('Signed out');
  });

  it('signs the operator in and shows who they are, their role and companies', async () => {
    const signIn = team().getByRole('form', { name: 'Sign in' });
    await signIn.getByLabel('Password').fill(operator.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    const who = page.getByTestId('team-operator');
    await who.waitFor();
    expect(await who.textContent()).toContain(`Signed in asAna Analyst ${operator.email}RoleAnalystCompaniesacme`);
    await expect.poll(() => syncStatus().textContent()).toBe('Synced');
    // The rest of Settings, and the navigation, now speak for the operator.
    await page.getByText('Signed in as Ana Analyst (analyst)').waitFor();
    expect(await page.locator('.nav-user').textContent()).toBe('Ana Analyst');
    await team().scrollIntoViewIfNeeded();
    await triad.screenshot(page, 'team-settings');
  });

  it("chats and leaves feedback; the rows are in the project's database under the operator's id", async () => {
    await navigate('Chat');
    await page.getByText('No conversations yet.').waitFor();
    await page.getByLabel('Message').fill('Hello from the team');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => lastAnswer().getAttribute('data-status'), { timeout: 40_000 }).toBe('done');
    const requestId = (await lastAnswer().getAttribute('data-request-id'))!;

    await lastAnswer().getByRole('button', { name: 'Thumbs up' }).click();
    await lastAnswer().getByText('Feedback saved').waitFor();
    await lastAnswer().getByRole('radio', { name: '4 of 5 stars' }).click();
    await expect.poll(() => lastAnswer().getByRole('radio', { name: '4 of 5 stars' }).getAttribute('aria-checked')).toBe('true');
    await lastAnswer().getByText('Feedback saved').waitFor();

    // Read as the database's superuser, past row-level security: what is really stored, and in whose name.
    await expect
      .poll(() => stack.query('SELECT user_id, status FROM llm_requests WHERE id = $1', [requestId]), { timeout: 15_000 })
      .toEqual([{ user_id: operator.id, status: 'ok' }]);
    await expect
      .poll(() => stack.query('SELECT user_id, thumbs, rating FROM feedback WHERE request_id = $1', [requestId]), { timeout: 15_000 })
      .toEqual([{ user_id: operator.id, thumbs: 1, rating: 4 }]);
    const [conversation] = await stack.query<{ user_id: string; title: string }>(
      'SELECT c.user_id, c.title FROM conversations c JOIN llm_requests r ON r.conversation_id = c.id WHERE r.id = $1',
      [requestId],
    );
    expect(conversation?.user_id).toBe(operator.id);
    await page.getByRole('button', { name: /^Hello from the team/ }).waitFor();
    await expect.poll(() => syncStatus().getAttribute('title')).toMatch(/^Synced with the team project: last synced \d/);
    expect(await syncStatus().textContent()).toBe('Synced');
  }, 60_000);

  it("signs out: back to signed-out and the embedded operator, without the team operator's conversations", async () => {
    await navigate('Settings');
    await page.getByTestId('team-operator').getByRole('button', { name: 'Sign out' }).click();
    await team().getByRole('form', { name: 'Sign in' }).waitFor();
    await expect.poll(() => syncStatus().textContent()).toBe('Signed out');
    expect(await page.getByTestId('team-operator').count()).toBe(0);
    await expect.poll(() => page.locator('.nav-user').textContent()).toBe(triad.app.localOperator.displayName);

    await navigate('Chat');
    await page.getByTestId('signed-out-notice').waitFor();
    await page.getByText('No conversations yet.').waitFor();
    expect(await page.getByRole('button', { name: /^Hello from the team/ }).count()).toBe(0);
  });

  it('left no uncaught error or console error in the page', () => {
    expect(triad.pageErrors).toEqual([]);
  });
});
