/**
 * `npm start` (electron-vite dev) loads the renderer from Vite's dev server, and Electron adds the CSP header
 * to its pages (security.ts). Electron cannot run here, so Chromium loads the dev server with that same
 * header: the renderer must start under the policy, fast refresh included (see electron.vite.config.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer, type InlineConfig } from 'vite';
import { expect, it } from 'vitest';
import config from '../../electron.vite.config';
import { RENDERER_CSP } from '../../src-main/server/content-security-policy';

const CHROMIUM = '/usr/bin/chromium';

it.skipIf(!existsSync(CHROMIUM))('starts the renderer from the dev server under the CSP header, with fast refresh', async () => {
  const renderer = (config as { renderer: InlineConfig }).renderer;
  const root = resolve(import.meta.dirname, '../../src-renderer');
  const server = await createServer({
    ...renderer,
    configFile: false,
    root,
    logLevel: 'silent',
    build: { rollupOptions: { input: resolve(root, 'index.html') } },
    server: { host: '127.0.0.1', port: 0, headers: { 'content-security-policy': RENDERER_CSP } },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    await server.listen();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    const hmrConnected = page.waitForEvent('console', { predicate: (message) => message.text().includes('[vite] connected'), timeout: 30_000 });
    await page.goto(server.resolvedUrls!.local[0]!);
    await hmrConnected;
    await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => typeof (window as unknown as { $RefreshReg$?: unknown }).$RefreshReg$)).toBe('function');
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
}, 60_000);
