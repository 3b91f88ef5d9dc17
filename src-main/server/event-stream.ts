import type { ServerResponse } from 'node:http';
import type { EventName, EventPayload } from '../../src-shared/ipc-contract';

/**
 * The Server-Sent Events connections of browser mode, one per client (browser tab). Each message is
 * `data: {"event": …, "payload": …}`. A client's own events (the parts of streams it started) go to its
 * connection only; broadcasts go to all. When a client's connection closes for good, `onClientGone` lets
 * the API cancel its streams; a reconnect with the same clientId replaces the old connection instead.
 */
export class EventStreams {
  private readonly clients = new Map<string, ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: { heartbeatMs: number; onClientGone: (clientId: string) => void; headers: Record<string, string> }) {
    // A comment line now and then keeps idle connections from being dropped and notices dead ones.
    this.heartbeat = setInterval(() => {
      for (const response of this.clients.values()) response.write(': heartbeat\n\n');
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  open(clientId: string, response: ServerResponse): void {
    response.writeHead(200, {
      ...this.options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    // How long EventSource waits before reconnecting after a drop.
    response.write('retry: 1000\n\n');
    const previous = this.clients.get(clientId);
    this.clients.set(clientId, response);
    previous?.end();
    response.on('close', () => {
      if (this.clients.get(clientId) !== response) return;
      this.clients.delete(clientId);
      this.options.onClientGone(clientId);
    });
  }

  emit<E extends EventName>(clientId: string, event: E, payload: EventPayload<E>): void {
    const response = this.clients.get(clientId);
    if (response) write(response, event, payload);
  }

  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const response of this.clients.values()) write(response, event, payload);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Ends every connection (server shutdown); each end counts as its client going away. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const response of [...this.clients.values()]) response.end();
  }
}

function write(response: ServerResponse, event: EventName, payload: unknown): void {
  if (!response.writableEnded) response.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
}
