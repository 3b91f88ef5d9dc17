/**
 * The built renderer in Chromium against the real browser-mode server: the session token is swapped for
 * the cookie and leaves the address bar, the page's transport opens its event stream and calls the API with
 * its client id, and nothing breaks the CSP. (The UI itself is tested by the e2e tests.)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src-main/server/http-server';
import { createTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '../..');
let out: string;
let app: TestApp;
let web: WebServer;
let browser: Browser;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'triad-web-build-'));
  const build = promisify(execFile)(join(root, 'node_modules/.bin/electron-vite'), ['build', '--outDir', out, '--logLevel', 'warn'], { cwd: root });
  [app] = await Promise.all([createTestApp(), build]);
  web = await startWebServer({ services: app, rendererDir: join(out, 'renderer') });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await app?.close();
  rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('browser mode in Chromium', () => {
  it('trades the token for an HttpOnly cookie, hides it, and talks to the API over fetch and SSE', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    const events = page.waitForResponse((response) => response.url().includes('/api/events?clientId='));
    const call = page.waitForRequest((request) => request.url().includes('/api/call/'));
    await page.goto(web.url);

    const stream = await events;
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toMatch(/^text\/event-stream/);
    const clientId = new URL(stream.url()).searchParams.get('clientId');
    const request = await call;
    expect(request.headers()['x-triad-client']).toBe(clientId);
    expect((await request.response())!.status()).toBe(200);

    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: `triad_session_${web.port}`, httpOnly: true, sameSite: 'Strict', path: '/' });

    // A reload has no token in the address any more: the cookie alone carries the session.
    const reloaded = await page.reload();
    expect(reloaded!.status()).toBe(200);
    expect(problems).toEqual([]);
  });

  it('shows a browser without the token the 401 answer, not the app', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(web.origin);
    expect(response!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('unauthorized');
    await context.close();
  });
});
