import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src-main/server/http-server';
import { RENDERER_CSP } from '../../src-main/server/content-security-policy';
import type { EventPayload } from '../../src-shared/ipc-contract';
import type { StreamPart } from '../../src-shared/stream-parts';
import { createTestApp, type TestApp } from '../support/test-app';
import { OUTSIDE_SECRET, openEventStream, rawGet, rendererFixture, type EventStreamReader } from './support';

let app: TestApp;
let web: WebServer;
let bearer: Record<string, string>;

beforeAll(async () => {
  app = await createTestApp();
  web = await startWebServer({ services: app, rendererDir: rendererFixture(), heartbeatMs: 200 });
  bearer = { authorization: `Bearer ${web.token}` };
});
afterAll(async () => {
  await web?.close();
  await app?.close();
});

/** A call as the browser client makes it. */
async function call(channel: string, input: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  const response = await fetch(`${web.origin}/api/call/${channel}`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json', ...headers },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const partsOf = (stream: EventStreamReader, streamId: string): StreamPart[] =>
  stream.messages.filter((m) => m.event === 'chat.part' && (m.payload as EventPayload<'chat.part'>).streamId === streamId).map((m) => (m.payload as EventPayload<'chat.part'>).part);

const streamEnd = (stream: EventStreamReader, streamId: string) =>
  stream.waitFor(() => {
    const parts = partsOf(stream, streamId);
    const last = parts.at(-1);
    return last && (last.type === 'finish' || last.type === 'error') ? parts : undefined;
  });

const isAborted = (part: StreamPart | undefined) =>
  (part?.type === 'error' && part.error.code === 'aborted') || (part?.type === 'finish' && part.metadata.finishReason === 'aborted');

describe('browser-mode server: where it listens', () => {
  it('listens on 127.0.0.1 only and prints an address with a 32-byte token', async () => {
    expect(web.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${web.port}/\\?token=[A-Za-z0-9_-]{43}$`));
    const otherAddresses = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info && !info.internal)
      .map((info) => info!.address);
    for (const address of ['::1', ...otherAddresses]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: web.port }, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, `connecting on ${address}`).not.toBe('connected');
    }
  });
});

describe('browser-mode server: the session token', () => {
  it.each([
    ['the page', '/'],
    ['an asset', '/assets/app.js'],
    ['an API call', '/api/call/status.get'],
    ['the event stream', `/api/events?clientId=${randomUUID()}`],
  ])('answers 401 with the error shape to a request for %s without the token', async (_name, path) => {
    const response = await fetch(`${web.origin}${path}`, { method: path.startsWith('/api/call') ? 'POST' : 'GET' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('token'), retryable: false } });
  });

  it('answers 401 to a wrong token, however it is sent', async () => {
    const wrong = web.token.slice(0, -1) + (web.token.endsWith('A') ? 'B' : 'A');
    expect((await fetch(`${web.origin}/?token=${wrong}`)).status).toBe(401);
    expect((await fetch(`${web.origin}/`, { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await fetch(`${web.origin}/`, { headers: { cookie: `triad_session_${web.port}=${wrong}` } })).status).toBe(401);
    expect((await fetch(`${web.origin}/`, { headers: { cookie: `triad_session_${web.port}=` } })).status).toBe(401);
    // The token of another port's cookie is not this server's cookie.
    expect((await fetch(`${web.origin}/`, { headers: { cookie: `triad_session_1=${web.token}` } })).status).toBe(401);
    expect((await call('status.get', {}, { authorization: `Bearer ${wrong}` })).status).toBe(401);
  });

  it('turns the token in the address into an HttpOnly, SameSite=Strict cookie that then works alone', async () => {
    const page = await fetch(web.url);
    expect(page.status).toBe(200);
    const setCookie = page.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^triad_session_${web.port}=${web.token};`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;

    const asset = await fetch(`${web.origin}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('set-cookie')).toBeNull();
    const status = await fetch(`${web.origin}/api/call/status.get`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(await status.json()).toMatchObject({ ok: true, value: { provider: 'local' } });
  });

  it('does not take the token from the address of an API call', async () => {
    const response = await fetch(`${web.origin}/api/call/status.get?token=${web.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
  });
});

describe('browser-mode server: DNS rebinding and cross-origin requests', () => {
  it.each(['evil.example', `evil.example:${0}`, '127.0.0.1', '127.0.0.1:1', `localhost.evil.example`, `127.0.0.1.nip.io`])('refuses Host %s even with the token', async (host) => {
    const response = await rawGet(web.port, '/', { ...bearer, host: host.replace(':0', `:${web.port}`) });
    expect(response.status).toBe(421);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('accepts localhost:<port> as well as 127.0.0.1:<port>', async () => {
    expect((await rawGet(web.port, '/', { ...bearer, host: `localhost:${web.port}` })).status).toBe(200);
    expect((await rawGet(web.port, '/', { ...bearer, host: `LOCALHOST:${web.port}` })).status).toBe(200);
  });

  it.each(['https://evil.example', `http://localhost:${0}`, 'null', 'http://127.0.0.1:1'])('refuses an API call with Origin %s', async (origin) => {
    // localhost is a different origin from the 127.0.0.1 the request is addressed to.
    const { status, body } = await call('status.get', {}, { origin: origin.replace(':0', `:${web.port}`) });
    expect(status).toBe(403);
    expect(body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const events = await fetch(`${web.origin}/api/events?clientId=${randomUUID()}`, { headers: { ...bearer, origin } });
    expect(events.status).toBe(403);
  });

  it('accepts an API call from its own origin', async () => {
    const { status, body } = await call('status.get', {}, { origin: web.origin });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
  });
});

describe('browser-mode server: calls', () => {
  it('answers a malformed body and an unknown channel with the envelope, and keeps serving', async () => {
    const malformed = await call('chat.start', '{"prompt": "hi",');
    expect(malformed.status).toBe(200);
    expect(malformed.body).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('not valid JSON') } });
    const unknown = await call('chat.delete', {});
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'validation_failed', message: "unknown channel 'chat.delete'" } });
    const invalid = await call('chat.start', { prompt: 42 });
    expect(invalid.body).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('prompt') } });
    expect((await call('status.get', {})).body.ok).toBe(true);
  });

  it('answers 413 to a 2 MiB body without reading it, and keeps serving', async () => {
    const { status, body } = await call('chat.start', JSON.stringify({ prompt: 'x'.repeat(2 * 1024 * 1024) }));
    expect(status).toBe(413);
    expect(body).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining('1048576') } });
    expect((await call('status.get', {})).body.ok).toBe(true);
  });

  it('stops reading a chunked body as soon as it passes 1 MiB', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // An endless upload: the server must cut it off rather than wait for its end.
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const outcome = await fetch(`${web.origin}/api/call/chat.start`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit).then(
      (response) => response.status,
      () => 'connection closed',
    );
    expect([413, 'connection closed']).toContain(outcome);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect((await call('status.get', {})).body.ok).toBe(true);
  });

  it('refuses a body that is not JSON by content type', async () => {
    const response = await fetch(`${web.origin}/api/call/status.get`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: '{}' });
    expect(response.status).toBe(415);
  });

  it('refuses a client id that is not a UUID', async () => {
    expect((await call('status.get', {}, { 'x-triad-client': 'webcontents-1' })).status).toBe(400);
    expect((await fetch(`${web.origin}/api/events?clientId=nope`, { headers: bearer })).status).toBe(400);
  });

  it('sends API answers with no-store and the security headers', async () => {
    const response = await fetch(`${web.origin}/api/call/status.get`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{}' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('browser-mode server: streaming over Server-Sent Events', () => {
  it('streams a chat answer to the tab that started it, and broadcasts status to every tab', async () => {
    const clientId = randomUUID();
    const mine = await openEventStream(`${web.origin}/api/events?clientId=${clientId}`, bearer);
    const other = await openEventStream(`${web.origin}/api/events?clientId=${randomUUID()}`, bearer);
    try {
      expect(mine.status).toBe(200);
      expect(mine.contentType).toMatch(/^text\/event-stream/);
      const started = await call('chat.start', { prompt: 'Hello over HTTP', company: null, params: { maxTokens: 8 } }, { 'x-triad-client': clientId });
      expect(started.body.ok).toBe(true);
      const { streamId, requestId } = started.body.value as { streamId: string; requestId: string };
      const parts = await streamEnd(mine, streamId);
      expect(parts[0]).toMatchObject({ type: 'response-metadata', requestId, tier: 'base' });
      expect(parts.some((p) => p.type === 'text-delta')).toBe(true);
      expect(parts.at(-1)).toMatchObject({ type: 'finish', metadata: { requestId, finishReason: expect.any(String) } });
      await other.waitFor((messages) => messages.find((m) => m.event === 'status.changed'));
      expect(other.messages.filter((m) => m.event === 'chat.part')).toEqual([]);
    } finally {
      mine.close();
      other.close();
    }
  });

  it('cancels a stream with chat.cancel, for the tab that started it only', async () => {
    const clientId = randomUUID();
    const events = await openEventStream(`${web.origin}/api/events?clientId=${clientId}`, bearer);
    try {
      const started = await call('chat.start', { prompt: 'A long answer, please', params: { maxTokens: 4000 } }, { 'x-triad-client': clientId });
      const { streamId } = started.body.value as { streamId: string };
      expect((await call('chat.cancel', { streamId }, { 'x-triad-client': randomUUID() })).body).toEqual({ ok: true, value: { cancelled: false } });
      expect((await call('chat.cancel', { streamId }, { 'x-triad-client': clientId })).body).toEqual({ ok: true, value: { cancelled: true } });
      expect(isAborted((await streamEnd(events, streamId)).at(-1))).toBe(true);
    } finally {
      events.close();
    }
  });

  it('cancels the streams of a tab whose event stream closes', async () => {
    const clientId = randomUUID();
    const events = await openEventStream(`${web.origin}/api/events?clientId=${clientId}`, bearer);
    const started = await call('chat.start', { prompt: 'Another long answer', params: { maxTokens: 4000 } }, { 'x-triad-client': clientId });
    const { streamId, requestId } = started.body.value as { streamId: string; requestId: string };
    await events.waitFor(() => partsOf(events, streamId)[0]);
    events.close();
    // Nobody listens any more: how the request ended is in the request log.
    const deadline = Date.now() + 20_000;
    let logged = await app.store.requests.get(requestId);
    while (!logged && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      logged = await app.store.requests.get(requestId);
    }
    expect(logged).toMatchObject({ status: 'aborted' });
  });

  it('sends heartbeats on an idle stream', async () => {
    const response = await fetch(`${web.origin}/api/events?clientId=${randomUUID()}`, { headers: bearer });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': heartbeat')) text += (await reader.read()).value ?? '';
    await reader.cancel();
  });
});

describe('browser-mode server: static files', () => {
  it('serves index.html for / and the assets, with their types and the CSP header', async () => {
    const page = await fetch(`${web.origin}/`, { headers: bearer });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<div id="root">');
    const script = await fetch(`${web.origin}/assets/app.js`, { headers: bearer });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${web.origin}/assets/missing.js`, { headers: bearer })).status).toBe(404);
    expect((await fetch(`${web.origin}/assets`, { headers: bearer })).status).toBe(404);
  });

  it.each([
    '/../package.json',
    '/../renderer-secrets/secret.txt',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/renderer-secrets/secret.txt',
    '/assets/..%2f..%2fpackage.json',
    '/..%2fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/..%5cpackage.json',
    '/%252e%252e/package.json',
    '//../package.json',
    '/assets/linked.js',
    '/assets/app.js%00.html',
    '/%ff',
  ])('refuses %s', async (path) => {
    const response = await rawGet(web.port, path, bearer);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(OUTSIDE_SECRET);
  });

  it('answers the favicon browsers ask for on their own with 204 when the renderer has none', async () => {
    expect((await fetch(`${web.origin}/favicon.ico`, { headers: bearer })).status).toBe(204);
    expect((await fetch(`${web.origin}/favicon.ico`)).status).toBe(401);
  });

  it('answers only GET and HEAD outside the API', async () => {
    expect((await fetch(`${web.origin}/`, { method: 'POST', headers: bearer })).status).toBe(405);
    const head = await fetch(`${web.origin}/`, { method: 'HEAD', headers: bearer });
    expect(head.status).toBe(200);
  });
});

describe('browser-mode server: shutdown', () => {
  it('ends the event streams, cancels streams and stops accepting', async () => {
    const other = await startWebServer({ services: app, rendererDir: rendererFixture() });
    const auth = { authorization: `Bearer ${other.token}` };
    const clientId = randomUUID();
    const events = await openEventStream(`${other.origin}/api/events?clientId=${clientId}`, auth);
    const started = await fetch(`${other.origin}/api/call/chat.start`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-triad-client': clientId },
      body: JSON.stringify({ prompt: 'Keep going', params: { maxTokens: 4000 } }),
    }).then((r) => r.json() as Promise<{ value: { requestId: string } }>);
    await other.close();
    await events.ended;
    await expect(fetch(`${other.origin}/`, { headers: auth })).rejects.toThrow();
    const deadline = Date.now() + 20_000;
    let logged = await app.store.requests.get(started.value.requestId);
    while (!logged && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      logged = await app.store.requests.get(started.value.requestId);
    }
    expect(logged).toMatchObject({ status: 'aborted' });
  });
});
