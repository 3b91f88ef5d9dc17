/**
 * `electron-vite build` with the project's config, into a fresh folder, and the bundles it produces. Electron
 * cannot run here, so the sandboxed preload is run in a Node `vm` context with a stand-in for the `electron`
 * module (its only allowed import): that shows exactly what the page would get as `window.triad`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_META_CSP } from '../../src-main/server/content-security-policy';
import { CHANNEL_NAMES } from '../../src-shared/ipc-contract';

const root = resolve(import.meta.dirname, '../..');
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'triad-build-'));
  await promisify(execFile)(join(root, 'node_modules/.bin/electron-vite'), ['build', '--outDir', out, '--logLevel', 'warn'], { cwd: root });
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the preload bundle as Electron's sandboxed preload would, recording what it touches. */
function loadPreload() {
  const required: string[] = [];
  const exposed: Record<string, unknown> = {};
  const invoked: Array<[string, unknown]> = [];
  const subscribed = new Map<string, (event: unknown, message: unknown) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return { ok: true, value: `answer of ${channel}` };
      },
      on: (channel: string, listener: (event: unknown, message: unknown) => void) => subscribed.set(channel, listener),
    },
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(join(out, 'preload/index.cjs'), 'utf8'), {
    require: (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require '${name}'`);
    },
    module,
    exports: module.exports,
    console,
  });
  return { required, exposed, invoked, subscribed, triad: exposed.triad as Record<string, unknown> & { on: (event: string, listener: unknown) => () => void } };
}

describe('build output', () => {
  it('produces the main bundle, a small one-file CommonJS preload, and the renderer', () => {
    expect(statSync(join(out, 'main/index.js')).isFile()).toBe(true);
    expect(statSync(join(out, 'renderer/index.html')).isFile()).toBe(true);
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect(preload.length).toBeLessThan(8 * 1024);
    expect([...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/\bimport\s*\(|\bimport\s+[\w{*]/);
  });

  it('bundles the PGlite worker thread beside the main bundle, and it answers queries there', async () => {
    expect(readFileSync(join(out, 'main/index.js'), 'utf8')).toContain('pglite-worker.js');
    // The bundles load their dependencies from node_modules, as the packaged app does.
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
    const worker = new Worker(join(out, 'main/pglite-worker.js'), { workerData: {} });
    try {
      const messages: unknown[] = [];
      const next = () => new Promise((resolveMessage, reject) => {
        worker.once('message', resolveMessage);
        worker.once('error', reject);
      });
      messages.push(await next());
      worker.postMessage({ id: 1, op: 'query', sql: 'SELECT 40 + $1::int AS answer', params: [2] });
      messages.push(await next());
      expect(messages).toEqual([{ id: 0, ready: true }, { id: 1, ok: true, value: [{ answer: 42 }] }]);
    } finally {
      await worker.terminate();
    }
  }, 120_000);

  it('builds a renderer page with the CSP meta and no inline script', () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${RENDERER_META_CSP}"`);
    for (const script of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      expect(script).toMatch(/^<script\b[^>]*\bsrc="\.?\/assets\/[^"]+"[^>]*><\/script>$/);
    }
  });
});

describe('preload', () => {
  it('requires only electron and exposes only window.triad: the channels, on and runtime', () => {
    const { required, exposed, triad } = loadPreload();
    expect(required).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['triad']);
    expect(Object.keys(triad).sort()).toEqual([...CHANNEL_NAMES, 'on', 'runtime'].sort());
    expect(triad.runtime).toBe('electron');
    for (const channel of CHANNEL_NAMES) expect(typeof triad[channel]).toBe('function');
  });

  it('invokes triad:<channel> with the payload as given and returns the envelope', async () => {
    const { triad, invoked } = loadPreload();
    const result = await (triad['chat.start'] as (input: unknown) => Promise<unknown>)({ prompt: 'hi' });
    expect(result).toEqual({ ok: true, value: 'answer of triad:chat.start' });
    await (triad['status.get'] as (input: unknown) => Promise<unknown>)({});
    expect(invoked).toEqual([
      ['triad:chat.start', { prompt: 'hi' }],
      ['triad:status.get', {}],
    ]);
  });

  it('delivers only the payload of the contract events to listeners, until unsubscribed', () => {
    const { triad, subscribed } = loadPreload();
    expect([...subscribed.keys()]).toEqual(['triad:event']);
    const deliver = subscribed.get('triad:event')!;
    const received: unknown[][] = [];
    const unsubscribe = triad.on('status.changed', (...args: unknown[]) => received.push(args));
    deliver({ sender: 'the IpcRendererEvent, which must not leak' }, { event: 'status.changed', payload: { provider: 'local' } });
    deliver({}, { event: 'chat.part', payload: { streamId: 'x' } });
    unsubscribe();
    deliver({}, { event: 'status.changed', payload: { provider: 'openai' } });
    expect(received).toEqual([[{ provider: 'local' }]]);
  });

  it.each(['triad:event', 'chat.start', 'constructor', '__proto__', 'status.changed '])('refuses to subscribe to %s', (name) => {
    const { triad } = loadPreload();
    expect(() => triad.on(name, () => {})).toThrow(/unknown event/);
  });

  it('refuses a listener that is not a function', () => {
    const { triad } = loadPreload();
    expect(() => triad.on('status.changed', 'alert(1)')).toThrow(/listener must be a function/);
  });
});
