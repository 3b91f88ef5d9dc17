/**
 * The renderer's browser-mode transport against the real server, in Node: fetch is Node's, with the session
 * token added as a bearer header (Node has no cookie jar), and EventSource is a small stand-in over fetch
 * (Node 20 has none). The same client runs in Chromium in the e2e tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src-main/server/http-server';
import type { EventPayload } from '../../src-shared/ipc-contract';
import type { StreamPart } from '../../src-shared/stream-parts';
import { createHttpClient, type EventSourceLike, type HttpClientEnvironment, type HttpTriadClient } from '../../src-renderer/transport/http-client';
import { TriadCallError } from '../../src-renderer/transport/triad-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { rendererFixture } from './support';

let app: TestApp;
let web: WebServer;

beforeAll(async () => {
  app = await createTestApp();
  web = await startWebServer({ services: app, rendererDir: rendererFixture() });
});
afterAll(async () => {
  await web?.close();
  await app?.close();
});

/** EventSource over fetch; `drop()` cuts the connection as a network failure would. */
class FetchEventSource implements EventSourceLike {
  static instances: FetchEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  private readonly controller = new AbortController();
  private closedByClient = false;

  constructor(
    readonly url: string,
    headers: Record<string, string>,
  ) {
    FetchEventSource.instances.push(this);
    void this.run(headers);
  }

  private async run(headers: Record<string, string>): Promise<void> {
    try {
      const response = await fetch(this.url, { headers, signal: this.controller.signal });
      if (response.status !== 200 || !response.body) throw new Error(`HTTP ${response.status}`);
      this.readyState = 1;
      this.onopen?.(new Event('open'));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += read.value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data) this.onmessage?.(new MessageEvent('message', { data }));
        }
      }
      throw new Error('ended');
    } catch {
      if (this.closedByClient) return;
      // Like a browser that gives up: the client must reconnect by itself.
      this.readyState = 2;
      this.onerror?.(new Event('error'));
    }
  }

  drop(): void {
    this.controller.abort();
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 2;
    this.controller.abort();
  }
}

function environment(options: { token?: string; href?: string } = {}): HttpClientEnvironment & { replaced: string[] } {
  const headers: Record<string, string> = options.token === '' ? {} : { authorization: `Bearer ${options.token ?? web.token}` };
  const replaced: string[] = [];
  return {
    replaced,
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    EventSource: class extends FetchEventSource {
      constructor(url: string) {
        super(url, headers);
      }
    },
    location: { href: options.href ?? `${web.origin}/` },
    history: { state: null, replaceState: (_data, _unused, url) => replaced.push(String(url)) },
    randomUUID: () => crypto.randomUUID(),
  };
}

/** Collects the client's chat parts per stream. */
function collect(client: HttpTriadClient) {
  const parts = new Map<string, StreamPart[]>();
  const unsubscribe = client.on('chat.part', ({ streamId, part }: EventPayload<'chat.part'>) => parts.set(streamId, [...(parts.get(streamId) ?? []), part]));
  const end = async (streamId: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const last = parts.get(streamId)?.at(-1);
      if (last && (last.type === 'finish' || last.type === 'error')) return parts.get(streamId)!;
      if (Date.now() > deadline) throw new Error(`stream ${streamId} did not end`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { parts, end, unsubscribe };
}

describe('browser-mode client', () => {
  it('takes the token out of the address bar, keeping the rest of the address', () => {
    const env = environment({ href: `${web.origin}/?token=${web.token}&view=compare#top` });
    createHttpClient(env).close();
    expect(env.replaced).toEqual(['/?view=compare#top']);
    const plain = environment();
    createHttpClient(plain).close();
    expect(plain.replaced).toEqual([]);
  });

  it('resolves a call with its value and rejects a failed one with TriadCallError carrying the shape', async () => {
    const client = createHttpClient(environment());
    try {
      expect(client.runtime).toBe('browser');
      await expect(client.call('status.get', {})).resolves.toMatchObject({ provider: 'local' });
      const failure = await client.call('chat.start', { prompt: '   ' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TriadCallError);
      expect((failure as TriadCallError).shape).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('must not be empty') });
    } finally {
      client.close();
    }
  });

  it('rejects with the unauthorized shape when the session is not valid', async () => {
    const client = createHttpClient(environment({ token: 'not-the-token' }));
    try {
      const failure = (await client.call('status.get', {}).catch((error: unknown) => error)) as TriadCallError;
      expect(failure.shape).toMatchObject({ code: 'unauthorized' });
    } finally {
      client.close();
    }
  });

  it('streams a chat answer to its listeners, and stops calling a listener once unsubscribed', async () => {
    const client = createHttpClient(environment());
    try {
      const mine = collect(client);
      const gone = collect(client);
      gone.unsubscribe();
      const { streamId, requestId } = await client.call('chat.start', { prompt: 'Hello from the client', params: { maxTokens: 8 } });
      const parts = await mine.end(streamId);
      expect(parts[0]).toMatchObject({ type: 'response-metadata', requestId });
      expect(parts.at(-1)!.type).toBe('finish');
      expect(gone.parts.size).toBe(0);
    } finally {
      client.close();
    }
  });

  it('ends its open streams with an aborted error when the connection drops, then reconnects', async () => {
    FetchEventSource.instances = [];
    const client = createHttpClient(environment());
    try {
      const events = collect(client);
      const { streamId, requestId } = await client.call('chat.start', { prompt: 'A long answer, please', params: { maxTokens: 4000 } });
      FetchEventSource.instances.at(-1)!.drop();
      const parts = await events.end(streamId);
      expect(parts.at(-1)).toEqual({ type: 'error', requestId, error: { code: 'aborted', message: expect.stringContaining('connection'), retryable: true } });

      const again = await client.call('chat.start', { prompt: 'After the reconnect', params: { maxTokens: 4 } });
      expect(FetchEventSource.instances.length).toBe(2);
      expect((await events.end(again.streamId)).at(-1)!.type).toBe('finish');
    } finally {
      client.close();
    }
  });
});
