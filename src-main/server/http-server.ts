import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorCode } from '../../src-shared/errors';
import type { CallResult } from '../../src-shared/ipc-contract';
import type { Caller } from '../api/api-context';
import { createTriadApi } from '../api/triad-api';
import type { AppServices } from '../app-services';
import { RENDERER_CSP } from './content-security-policy';
import { EventStreams } from './event-stream';
import { createSessionToken, isAllowedHost, isSameOrigin, SessionAuth } from './session-auth';
import { resolveRendererFile } from './static-files';

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  /** The services to serve; the caller keeps ownership and closes them after the server. */
  services: AppServices;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The session token; a fresh random one by default. */
  token?: string;
  /** Largest accepted request body; 1 MiB by default. */
  maxBodyBytes?: number;
  /** Interval of SSE heartbeats; 15 s by default. */
  heartbeatMs?: number;
}

/** A running browser-mode server. */
export interface WebServer {
  /** The address to open, with the session token. */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  token: string;
  /** Stops accepting, ends the event streams and cancels every stream of every client. */
  close(): Promise<void>;
}

/** Headers of every answer. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy': RENDERER_CSP,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CALL_PREFIX = '/api/call/';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Browser mode: the renderer and the IPC contract over HTTP on 127.0.0.1, for one operator holding the
 * session token. `POST /api/call/<channel>` answers with the same CallResult envelope as IPC;
 * `GET /api/events?clientId=` streams that client's events (and broadcasts) as Server-Sent Events;
 * everything else is a file of the built renderer. Failures before a call reaches the API (host, origin,
 * token, size) answer with an HTTP status and the envelope `{ ok: false, error }` as body.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { services, rendererDir } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const token = options.token ?? createSessionToken();
  const events = new EventStreams({ heartbeatMs: options.heartbeatMs ?? 15_000, onClientGone: (clientId) => api.disconnect(clientId), headers: SECURITY_HEADERS });
  const api = createTriadApi(services, { userId: services.localOperator.id, broadcast: (event, payload) => events.broadcast(event, payload) });

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const failure = error instanceof HttpFailure ? error : new HttpFailure(500, 'internal', 'the server failed to answer');
      if (!(error instanceof HttpFailure)) services.logger.error({ err: error, url: request.url }, 'browser-mode request failed');
      if (!response.headersSent) sendFailure(response, failure);
      else response.destroy();
    });
  });
  // Node's defaults would keep a slow client's headers waiting for minutes.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const auth = new SessionAuth(token, port);
  const origin = `http://127.0.0.1:${port}`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host;
    if (!isAllowedHost(host, port)) throw new HttpFailure(421, 'forbidden', `this server answers only to 127.0.0.1:${port} and localhost:${port}`);
    const rawUrl = request.url ?? '/';
    const rawPath = rawUrl.split('?')[0]!;
    const query = new URLSearchParams(rawUrl.slice(rawPath.length + 1));
    const isApi = rawPath.startsWith('/api/');
    if (isApi && !isSameOrigin(request.headers.origin, host!)) throw new HttpFailure(403, 'forbidden', 'cross-origin API requests are refused');

    const authorised = auth.check(request, query, !isApi && request.method === 'GET');
    if (!authorised.ok) throw new HttpFailure(401, 'unauthorized', 'missing or wrong session token: open the address Triad printed at start');
    if (authorised.setCookie) response.setHeader('set-cookie', authorised.setCookie);

    if (rawPath.startsWith(CALL_PREFIX)) {
      if (request.method !== 'POST') throw new HttpFailure(405, 'validation_failed', 'calls are POST requests');
      return call(request, response, rawPath.slice(CALL_PREFIX.length));
    }
    if (rawPath === '/api/events') {
      if (request.method !== 'GET') throw new HttpFailure(405, 'validation_failed', 'the event stream is a GET request');
      const clientId = query.get('clientId') ?? '';
      if (!UUID.test(clientId)) throw new HttpFailure(400, 'validation_failed', 'clientId: must be a UUID');
      return events.open(clientId, response);
    }
    if (isApi) throw new HttpFailure(404, 'validation_failed', `no API at ${rawPath.slice(0, 100)}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpFailure(405, 'validation_failed', 'only GET and HEAD are served here');
    return sendFile(request, response, rawPath);
  }

  async function call(request: IncomingMessage, response: ServerResponse, rawChannel: string): Promise<void> {
    const header = request.headers['x-triad-client'];
    // A call without a client id (a script, curl) still works; it just has nobody to send events to.
    const clientId = typeof header === 'string' ? header : randomUUID();
    if (!UUID.test(clientId)) throw new HttpFailure(400, 'validation_failed', 'x-triad-client: must be a UUID');
    const body = await readBody(request, maxBodyBytes);
    if (body.length > 0 && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      throw new HttpFailure(415, 'validation_failed', 'content-type: must be application/json');
    }
    const input = parseJson(body);
    const caller: Caller = { clientId, emit: (event, payload) => events.emit(clientId, event, payload) };
    const result: CallResult<unknown> = input.ok
      ? await api.call(safeDecode(rawChannel), input.value, caller)
      : { ok: false, error: { code: 'validation_failed', message: `request body is not valid JSON: ${input.message}`, retryable: false } };
    sendJson(response, 200, result);
  }

  async function sendFile(request: IncomingMessage, response: ServerResponse, rawPath: string): Promise<void> {
    const file = await resolveRendererFile(rendererDir, rawPath);
    if (!file && rawPath === '/favicon.ico') {
      // Browsers ask for it unprompted; "no icon" is not an error worth a line in the console.
      response.writeHead(204, { ...SECURITY_HEADERS, 'cache-control': 'no-cache' }).end();
      return;
    }
    if (!file) throw new HttpFailure(404, 'validation_failed', 'not found');
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': file.contentType,
      'content-length': file.size,
      // The page is what carried the token; assets are revalidated rather than kept stale.
      'cache-control': file.contentType.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      createReadStream(file.path).on('error', reject).pipe(response).on('finish', resolve).on('close', resolve);
    });
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      events.closeAll();
      api.close();
      server.closeIdleConnections();
      // Whatever is still open after a moment (a call waiting on a model) is cut.
      const force = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(force);
    },
  };
}

/**
 * Reads a body of at most `limit` bytes. A larger declared Content-Length is refused before reading; a
 * chunked body is counted as it arrives and refused as soon as it passes the limit, its rest discarded.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpFailure(413, 'validation_failed', `request body over ${limit} bytes`);
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      request.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      reject(tooLarge());
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** An empty body is no input (the API then applies `{}`). */
function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function sendFailure(response: ServerResponse, failure: HttpFailure): void {
  // A refused upload may still be arriving: close the connection rather than read the rest.
  if (failure.status === 413) response.setHeader('connection', 'close');
  sendJson(response, failure.status, { ok: false, error: { code: failure.code, message: failure.message, retryable: false } });
}
