import type { StreamPart } from '../../src-shared/stream-parts';

/** Sends one event to the renderer that started a stream. */
export type PartSink = (part: StreamPart) => void;

interface ActiveStream {
  clientId: string;
  controller: AbortController;
}

/**
 * The answers being streamed, by stream id. Each belongs to the client (window or browser tab) that started
 * it: only that client may cancel it, and when the client goes away its streams are cancelled.
 */
export class StreamRegistry {
  private readonly streams = new Map<string, ActiveStream>();

  /** Pumps `parts` to `sink` until the stream ends or is cancelled. */
  run(streamId: string, clientId: string, start: (signal: AbortSignal) => AsyncIterable<StreamPart>, sink: PartSink): Promise<void> {
    const controller = new AbortController();
    this.streams.set(streamId, { clientId, controller });
    return (async () => {
      try {
        for await (const part of start(controller.signal)) sink(part);
      } finally {
        this.streams.delete(streamId);
      }
    })();
  }

  cancel(streamId: string, clientId: string): boolean {
    const stream = this.streams.get(streamId);
    if (!stream || stream.clientId !== clientId) return false;
    stream.controller.abort();
    return true;
  }

  cancelClient(clientId: string): void {
    for (const stream of this.streams.values()) if (stream.clientId === clientId) stream.controller.abort();
  }

  cancelAll(): void {
    for (const stream of this.streams.values()) stream.controller.abort();
  }

  get size(): number {
    return this.streams.size;
  }
}
