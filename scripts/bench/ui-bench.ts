/**
 * `npm run bench:ui`: the desktop-app issue's UI benchmark, in browser mode in Debian's Chromium, on the tiny
 * local model and a production (minified) build of the renderer. Prints a markdown report:
 *  1. time to first paint and to the app being usable;
 *  2. Send → first token on screen, beside the facade's own time to first token (the difference is the UI's
 *     overhead: HTTP call, event stream, React render);
 *  3. the longest main-thread task while three answers stream side by side in Compare.
 * Not a test: it measures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { startWebServer } from '../../src-main/server/http-server';
import { createTestApp } from '../../test/support/test-app';
import { ms, percentile } from './measure';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const ROUNDS = process.argv.includes('--quick') ? 5 : 20;

async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'triad-bench-renderer-'));
  await build({ configFile: false, root: resolve(import.meta.dirname, '../../src-renderer'), base: './', plugins: [react()], logLevel: 'warn', build: { outDir, emptyOutDir: true, minify: true } });
  return outDir;
}

/** Milliseconds from pressing Enter to the first character of the new answer on screen. */
async function sendAndTimeFirstToken(page: Page, prompt: string): Promise<number> {
  await page.getByLabel('Message').fill(prompt);
  const before = await page.getByTestId('answer').count();
  await page.evaluate((answersBefore) => {
    const state = { sentAt: 0, firstTextAt: 0 };
    (window as unknown as { timing: typeof state }).timing = state;
    document.querySelector('textarea')!.addEventListener('keydown', () => (state.sentAt = performance.now()), { once: true, capture: true });
    const observer = new MutationObserver(() => {
      const answers = document.querySelectorAll('[data-testid=answer]');
      const text = answers.length > answersBefore ? answers[answers.length - 1]!.querySelector('.markdown')?.textContent : '';
      if (text) {
        state.firstTextAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, before);
  await page.getByLabel('Message').press('Enter');
  await page.waitForFunction(() => (window as unknown as { timing: { firstTextAt: number } }).timing.firstTextAt > 0);
  await page.getByTestId('answer').last().and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
  return page.evaluate(() => {
    const { sentAt, firstTextAt } = (window as unknown as { timing: { sentAt: number; firstTextAt: number } }).timing;
    return firstTextAt - sentAt;
  });
}

const rendererDir = await buildRenderer();
const dataDir = mkdtempSync(join(tmpdir(), 'triad-bench-ui-'));
const app = await createTestApp({ store: { backend: 'pglite', dataDir } });
const web = await startWebServer({ services: app, rendererDir });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const lines: string[] = [`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Chromium ${browser.version()}, ${new Date().toISOString().slice(0, 10)}`, ''];
try {
  // 1. First paint, cold page each time (new context: no cache).
  const paints: number[] = [];
  const usable: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(web.url);
    await page.getByLabel('Message').waitFor();
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      usable: performance.now(),
    }));
    // A page that paints before the observer is registered can miss its entry; such rounds are left out.
    if (Number.isFinite(timing.fcp)) paints.push(timing.fcp);
    usable.push(timing.usable);
    await context.close();
  }
  paints.sort((a, b) => a - b);
  usable.sort((a, b) => a - b);
  lines.push('### First paint in browser mode (ms from navigation start, cold cache)', '', '| measure | p50 | p90 |', '| --- | ---: | ---: |');
  lines.push(`| first contentful paint (${paints.length} of ${ROUNDS} rounds reported one) | ${ms(percentile(paints, 50))} | ${ms(percentile(paints, 90))} |`);
  lines.push(`| composer ready | ${ms(percentile(usable, 50))} | ${ms(percentile(usable, 90))} |`);

  // 2. Send → first token on screen, against the facade's own time to first token.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(web.url);
  const onScreen: number[] = [];
  const facade: number[] = [];
  const overhead: number[] = [];
  for (let i = 0; i < ROUNDS + 2; i++) {
    const screen = await sendAndTimeFirstToken(page, `Benchmark round ${i}: say something`);
    await app.requestLog.flush();
    const [latest] = await app.store.requests.listRecent(1);
    if (i < 2) continue; // warm-up: the first answer also loads the model
    onScreen.push(screen);
    facade.push(latest!.ttftMs ?? Number.NaN);
    overhead.push(screen - (latest!.ttftMs ?? Number.NaN));
  }
  for (const list of [onScreen, facade, overhead]) list.sort((a, b) => a - b);
  lines.push('', `### Send → first token (ms, ${ROUNDS} answers after 2 warm-up ones)`, '', '| measure | p50 | p90 | max |', '| --- | ---: | ---: | ---: |');
  lines.push(`| on screen, from the Enter key | ${ms(percentile(onScreen, 50))} | ${ms(percentile(onScreen, 90))} | ${ms(onScreen.at(-1)!)} |`);
  lines.push(`| facade's own time to first token | ${ms(percentile(facade, 50))} | ${ms(percentile(facade, 90))} | ${ms(facade.at(-1)!)} |`);
  lines.push(`| UI overhead (difference) | ${ms(percentile(overhead, 50))} | ${ms(percentile(overhead, 90))} | ${ms(overhead.at(-1)!)} |`);

  // 3. Longest main-thread task while Compare streams three answers (Company needs a company context).
  await app.settings.set('session.companyContext', { company: 'acme' });
  await page.reload();
  await page.evaluate(() => {
    const tasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = tasks;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => tasks.push(entry.duration))).observe({ type: 'longtask', buffered: false });
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Compare' }).click();
  const results: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
    await page.getByLabel('Prompt to compare').fill(`Compare round ${i}: write at length`);
    const started = Date.now();
    await page.getByTestId('compare-view').getByRole('button', { name: 'Compare' }).click();
    for (const tier of ['base', 'company', 'abstraction']) {
      await page.getByTestId(`compare-column-${tier}`).and(page.locator('[data-status=done]')).waitFor({ timeout: 90_000 });
    }
    const seconds = (Date.now() - started) / 1000;
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const characters = await page.evaluate(() => [...document.querySelectorAll('[data-testid^=compare-column-] .markdown')].reduce((n, el) => n + (el.textContent?.length ?? 0), 0));
    results.push(`| ${i + 1} | ${seconds.toFixed(1)} | ${characters.toLocaleString('en')} | ${tasks.length} | ${tasks.length ? ms(Math.max(...tasks)) : 'none over 50 ms'} |`);
  }
  lines.push('', '### Three concurrent streams in Compare (long tasks are main-thread tasks over 50 ms)', '', '| run | streaming s | characters rendered | long tasks | longest task ms |', '| ---: | ---: | ---: | ---: | ---: |', ...results);
} finally {
  await browser.close();
  await web.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
}
console.log(lines.join('\n'));
