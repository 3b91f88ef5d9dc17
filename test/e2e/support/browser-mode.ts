import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startWebServer, type WebServer } from '../../../src-main/server/http-server';
import { createTestApp, type TestApp } from '../../support/test-app';
import { buildRenderer } from './renderer-build';

/** Debian's Chromium; Playwright never downloads a browser here. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Where the tests leave screenshots (gitignored). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../../test-results/screenshots');

/** Triad in browser mode for one test file: real services on a fresh data folder, the web server, Chromium. */
export interface BrowserMode {
  app: TestApp;
  web: WebServer;
  browser: Browser;
  /** Uncaught exceptions and console errors of the pages opened with openPage. */
  pageErrors: string[];
  /** A new page at 1280×800 on the address the server printed (with its token), app loaded. */
  openPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserMode(options: { env?: Record<string, string> } = {}): Promise<BrowserMode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'triad-e2e-data-'));
  const [rendererDir, app] = await Promise.all([buildRenderer(), createTestApp({ env: options.env, store: { backend: 'pglite', dataDir } })]);
  const web = await startWebServer({ services: app, rendererDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pageErrors: string[] = [];

  return {
    app,
    web,
    browser,
    pageErrors,
    async openPage() {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(`console: ${message.text()} (${message.location().url})`);
      });
      await page.goto(web.url);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
    },
    async close() {
      await browser.close().catch(() => undefined);
      await web.close().catch(() => undefined);
      await app.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}
