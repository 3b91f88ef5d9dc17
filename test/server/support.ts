import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The secret a traversal would reveal; it sits next to the renderer folder, outside it. */
export const OUTSIDE_SECRET = 'THIS-FILE-IS-OUTSIDE-THE-RENDERER';

/**
 * A small built-renderer folder: index.html, one script, and a symlink that points outside the folder. Next
 * to it, `renderer-secrets/secret.txt` and `package.json`, which the server must never serve.
 */
export function rendererFixture(): string {
  const base = mkdtempSync(join(tmpdir(), 'triad-web-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(base, 'renderer-secrets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'document.getElementById("root").textContent = "hello";');
  writeFileSync(join(base, 'renderer-secrets', 'secret.txt'), OUTSIDE_SECRET);
  writeFileSync(join(base, 'package.json'), JSON.stringify({ name: OUTSIDE_SECRET }));
  writeFileSync(join(base, 'secret.js'), OUTSIDE_SECRET);
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'linked.js'));
  return root;
}

/** A GET with the path sent exactly as given (fetch would normalise `..` away) and the given headers. */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One Server-Sent Events connection read through fetch, collecting its `data:` messages. */
export interface EventStreamReader {
  status: number;
  contentType: string | null;
  messages: Array<{ event: string; payload: unknown }>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  waitFor<T>(find: (messages: Array<{ event: string; payload: unknown }>) => T | undefined, timeoutMs?: number): Promise<T>;
  close(): void;
}

export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const messages: Array<{ event: string; payload: unknown }> = [];
  const ended = (async () => {
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (data) messages.push(JSON.parse(data) as { event: string; payload: unknown });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages,
    ended,
    async waitFor(find, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(messages);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`not received in ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => controller.abort(),
  };
}
