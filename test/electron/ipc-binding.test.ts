/**
 * The Electron IPC binding, driven without Electron: Electron's binary cannot be downloaded or run on this
 * machine, so `ipcMain`, the WebContents and their frames are small stand-ins with the same shape
 * (the binding is written against those interfaces, and main.ts passes Electron's real objects). The API
 * behind it is the real one, on in-memory PGlite and the tiny local model.
 */
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTriadApi, type TriadApi } from '../../src-main/api/triad-api';
import { appUrlCheck } from '../../src-main/electron/app-origin';
import { bindIpc, type IpcBinding, type IpcFrame, type IpcHandlers, type IpcInvokeEvent } from '../../src-main/electron/ipc-binding';
import { CHANNEL_NAMES, type CallResult, type EventPayload, type StatusView } from '../../src-shared/ipc-contract';
import type { StreamPart } from '../../src-shared/stream-parts';
import { createTestApp, type TestApp } from '../support/test-app';

/** ipcMain: keeps the handlers and lets a test invoke them as a renderer would. */
class IpcMainStandIn implements IpcHandlers {
  readonly handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(window: WindowStandIn, channel: string, payload: unknown, frame: IpcFrame | null = window.mainFrame): Promise<CallResult<unknown>> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender: window, senderFrame: frame }, payload) as Promise<CallResult<unknown>>;
  }
}

let nextId = 1;
/** A window's WebContents: records what the main process sends it. */
class WindowStandIn extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: IpcFrame;
  readonly received: Array<{ channel: string; message: { event: string; payload: unknown } }> = [];
  destroyed = false;
  constructor(url = 'app://triad/index.html') {
    super();
    this.mainFrame = { url, parent: null };
  }
  send(channel: string, message: { event: string; payload: unknown }): void {
    this.received.push({ channel, message });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  partsOf(streamId: string): StreamPart[] {
    return this.received
      .filter((r) => r.message.event === 'chat.part' && (r.message.payload as EventPayload<'chat.part'>).streamId === streamId)
      .map((r) => (r.message.payload as EventPayload<'chat.part'>).part);
  }
  async streamEnd(streamId: string, timeoutMs = 20_000): Promise<StreamPart[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parts = this.partsOf(streamId);
      const last = parts.at(-1);
      if (last && (last.type === 'finish' || last.type === 'error')) return parts;
      if (Date.now() > deadline) throw new Error(`stream ${streamId} did not end; got ${parts.length} parts`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

let app: TestApp;
let api: TriadApi;
let binding: IpcBinding;
const ipc = new IpcMainStandIn();
const refused: Array<string | undefined> = [];

beforeAll(async () => {
  app = await createTestApp();
  api = createTriadApi(app, { userId: app.localOperator.id, broadcast: (event, payload) => binding.broadcast(event, payload) });
  binding = bindIpc(ipc, api, { isAppUrl: appUrlCheck('http://localhost:5173/'), onRefused: (url) => refused.push(url) });
});
afterAll(async () => {
  binding.dispose();
  api.close();
  await app.close();
});

const isAborted = (part: StreamPart | undefined) =>
  (part?.type === 'error' && part.error.code === 'aborted') || (part?.type === 'finish' && part.metadata.finishReason === 'aborted');

describe('IPC binding', () => {
  it('registers one triad:-prefixed handler per channel of the contract', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => `triad:${c}`).sort());
  });

  it('answers a valid call from the app window with the envelope', async () => {
    const result = await ipc.invoke(new WindowStandIn(), 'triad:status.get', {});
    expect(result).toMatchObject({ ok: true, value: { provider: 'local', store: 'pglite' } });
  });

  it('answers the dev server page too, when running under electron-vite dev', async () => {
    const result = await ipc.invoke(new WindowStandIn('http://localhost:5173/'), 'triad:conversations.list', {});
    expect(result.ok).toBe(true);
  });

  it.each([
    ['a wrong type', { prompt: 42 }, 'chat.start: prompt'],
    ['an unknown field', { prompt: 'hi', userId: 'someone-else' }, 'userId'],
    ['no payload at all', undefined, 'prompt'],
    ['a string instead of an object', 'hello', 'chat.start'],
  ])('returns the error shape, not a throw, for %s', async (_name, payload, mention) => {
    const result = await ipc.invoke(new WindowStandIn(), 'triad:chat.start', payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'validation_failed', retryable: false });
      expect(result.error.message).toContain(mention);
    }
  });

  it.each([
    ['a page on another origin', new WindowStandIn('https://evil.example/'), undefined],
    ['a file:// page', new WindowStandIn('file:///home/user/Downloads/page.html'), undefined],
    ['a look-alike of the dev server', new WindowStandIn('http://localhost:5173.evil.example/'), undefined],
    ['a subframe of the app page', new WindowStandIn(), { url: 'app://triad/index.html', parent: {} }],
    ['a frame that is gone', new WindowStandIn(), null],
  ])('refuses a call from %s without reaching the API', async (_name, window, frame) => {
    const before = (await app.secrets.status()).secrets['openai-api-key'];
    const result = await ipc.invoke(window, 'triad:secrets.set', { name: 'openai-api-key', value: 'sk-from-a-stranger' }, frame === undefined ? window.mainFrame : frame);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect((await app.secrets.status()).secrets['openai-api-key']).toBe(before);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('sends stream parts to the calling window only, and broadcasts to every window', async () => {
    const caller = new WindowStandIn();
    const bystander = new WindowStandIn();
    await ipc.invoke(bystander, 'triad:status.get', {});
    const started = await ipc.invoke(caller, 'triad:chat.start', { prompt: 'Hello over IPC', company: null, params: { maxTokens: 8 } });
    if (!started.ok) throw new Error(started.error.message);
    const { streamId } = started.value as { streamId: string };
    const parts = await caller.streamEnd(streamId);
    expect(parts[0]).toMatchObject({ type: 'response-metadata', tier: 'base' });
    expect(parts.at(-1)!.type).toBe('finish');
    expect(caller.received.every((r) => r.channel === 'triad:event')).toBe(true);
    expect(bystander.received.filter((r) => r.message.event === 'chat.part')).toEqual([]);
    expect(bystander.received.some((r) => r.message.event === 'status.changed')).toBe(true);
  });

  it('cancels the streams of a window when it is destroyed, and sends it nothing more', async () => {
    const window = new WindowStandIn();
    const started = await ipc.invoke(window, 'triad:chat.start', { prompt: 'A long answer, please', params: { maxTokens: 4000 } });
    if (!started.ok) throw new Error(started.error.message);
    const { streamId } = started.value as { streamId: string };
    // 'destroyed' fires; the stand-in keeps recording so the test sees how the stream ended.
    window.emit('destroyed');
    const parts = await window.streamEnd(streamId);
    expect(isAborted(parts.at(-1))).toBe(true);

    window.destroyed = true;
    const count = window.received.length;
    const status = await ipc.invoke(new WindowStandIn(), 'triad:status.get', {});
    binding.broadcast('status.changed', (status as { value: StatusView }).value);
    expect(window.received.length).toBe(count);
  });

  it('cancels the streams of a window that reloads', async () => {
    const window = new WindowStandIn();
    const started = await ipc.invoke(window, 'triad:chat.start', { prompt: 'Another long answer', params: { maxTokens: 4000 } });
    if (!started.ok) throw new Error(started.error.message);
    const { streamId } = started.value as { streamId: string };
    window.emit('did-navigate');
    expect(isAborted((await window.streamEnd(streamId)).at(-1))).toBe(true);
  });

  it('removes its handlers when disposed', () => {
    const other = new IpcMainStandIn();
    const second = bindIpc(other, api, { isAppUrl: appUrlCheck(undefined) });
    expect(other.handlers.size).toBe(CHANNEL_NAMES.length);
    second.dispose();
    expect(other.handlers.size).toBe(0);
  });
});
