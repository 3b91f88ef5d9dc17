import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for an OpenAI-compatible chat server (what a Hugging Face Space running TGI or llama.cpp
 * serves, and what OpenAI serves): `POST /v1/chat/completions` with `stream: true` answers Server-Sent Events
 * in OpenAI's chunk format. Each test scripts the reply; every request is recorded.
 */
export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** How the stub answers the next request. */
export type StubReply =
  | { kind: 'stream'; chunks: string[]; model?: string; usage?: { prompt_tokens: number; completion_tokens: number }; finishReason?: string | null; delayMs?: number }
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; contentType: string; body: string }
  /** Sends the first chunks, then cuts the connection. */
  | { kind: 'cut'; chunks: string[] }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Answers an event stream whose data is not JSON. */
  | { kind: 'malformed-sse' }
  /** Decides per request (e.g. 503 until a Space has woken up). */
  | { kind: 'decide'; decide: () => StubReply };

export interface OpenAiCompatibleServer {
  url: string;
  requests: RecordedRequest[];
  /** Replies used in order; the last one repeats. */
  reply(...replies: StubReply[]): void;
  /**
   * Acts as a private Space: a request without `Authorization: Bearer <token>` gets `status` (401 by default)
   * before any scripted reply is used. `undefined` makes it public again.
   */
  requireBearer(token: string | undefined, status?: number): void;
  close(): Promise<void>;
}

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}): string {
  const body = { id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra };
  return `data: ${JSON.stringify(body)}\n\n`;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const piece of req) raw += piece;
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return { unparsed: raw };
  }
}

export async function startOpenAiCompatibleServer(): Promise<OpenAiCompatibleServer> {
  const requests: RecordedRequest[] = [];
  let replies: StubReply[] = [{ kind: 'stream', chunks: ['Hello', ' from', ' the stub'] }];
  const sockets = new Set<Socket>();
  let privateSpace: { token: string; status: number } | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    if (privateSpace && req.headers.authorization !== `Bearer ${privateSpace.token}`) {
      res.writeHead(privateSpace.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
      return;
    }
    let reply = (replies.length > 1 ? replies.shift() : replies[0])!;
    while (reply.kind === 'decide') reply = reply.decide();
    if (reply.kind === 'hang') return;
    if (reply.kind === 'malformed-sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices": [{"delta": {"content": "ok"\n\ndata: this is not json\n\n');
      return;
    }
    if (reply.kind === 'status') {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      return;
    }
    if (reply.kind === 'raw') {
      res.writeHead(200, { 'content-type': reply.contentType });
      res.end(reply.body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const model = reply.kind === 'stream' && reply.model ? reply.model : 'stub-model-2026-01-01';
    res.write(chunk(model, { role: 'assistant', content: '' }));
    for (const text of reply.chunks) {
      if (reply.kind === 'stream' && reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      res.write(chunk(model, { content: text }));
    }
    if (reply.kind === 'cut') {
      // Let the first words reach the client, then reset the connection mid-answer.
      await new Promise((resolve) => setTimeout(resolve, 50));
      res.socket?.destroy();
      return;
    }
    if (reply.finishReason !== null) res.write(chunk(model, {}, reply.finishReason ?? 'stop'));
    if (reply.usage) {
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens } })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...next) => {
      replies = next;
    },
    requireBearer: (token, status = 401) => {
      privateSpace = token === undefined ? undefined : { token, status };
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
