import type { StreamPart } from '../../src-shared/stream-parts';
import type { TriadClient } from '../transport/triad-client';

/** Receives the parts of one stream, a batch at a time, in order. */
export type StreamPartsListener = (parts: StreamPart[]) => void;

/** How long parts of a stream nobody has claimed yet are kept. */
const UNCLAIMED_TTL_MS = 60_000;
/** Streams whose parts are kept while unclaimed; the oldest is dropped beyond this. */
const MAX_UNCLAIMED_STREAMS = 32;

interface Unclaimed {
  parts: StreamPart[];
  since: number;
}

/**
 * Hands each `chat.part` event to whoever follows its stream. The main process starts streaming as soon as
 * `chat.start` / `compare.start` has a stream id, so parts can arrive before the call resolves with that id:
 * parts of a stream nobody follows yet are kept until someone does (or for a minute).
 *
 * Parts are delivered in batches, at most one per `flushIntervalMs` per stream: a local model sends
 * hundreds of deltas a second, and re-rendering markdown for each would waste the renderer's time.
 */
export class StreamPartRouter {
  private readonly listeners = new Map<string, StreamPartsListener>();
  private readonly pending = new Map<string, StreamPart[]>();
  private readonly unclaimed = new Map<string, Unclaimed>();
  /** Streams whose first text has been delivered; until then text is delivered at once. */
  private readonly showingText = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    client: Pick<TriadClient, 'on'>,
    private readonly options: { flushIntervalMs?: number; now?: () => number } = {},
  ) {
    this.unsubscribe = client.on('chat.part', ({ streamId, part }) => this.receive(streamId, part));
  }

  /** Follows a stream until its `finish` or `error` part; returns a function that stops following. */
  follow(streamId: string, listener: StreamPartsListener): () => void {
    this.listeners.set(streamId, listener);
    const early = this.unclaimed.get(streamId);
    if (early) {
      this.unclaimed.delete(streamId);
      this.enqueue(streamId, early.parts);
    }
    return () => {
      if (this.listeners.get(streamId) === listener) this.listeners.delete(streamId);
      this.pending.delete(streamId);
      this.showingText.delete(streamId);
    };
  }

  /** Stops listening to the client. */
  dispose(): void {
    this.unsubscribe();
    clearTimeout(this.flushTimer);
    this.listeners.clear();
    this.pending.clear();
    this.unclaimed.clear();
    this.showingText.clear();
  }

  private receive(streamId: string, part: StreamPart): void {
    if (this.listeners.has(streamId)) {
      this.enqueue(streamId, [part]);
      return;
    }
    const now = this.now();
    const held = this.unclaimed.get(streamId) ?? { parts: [], since: now };
    held.parts.push(part);
    this.unclaimed.set(streamId, held);
    this.dropStaleUnclaimed(now);
  }

  private enqueue(streamId: string, parts: StreamPart[]): void {
    const queue = this.pending.get(streamId) ?? [];
    queue.push(...parts);
    this.pending.set(streamId, queue);
    // The first token is what the user waits for: it is shown at once; later ones are batched.
    if (!this.showingText.has(streamId) && parts.some((part) => part.type === 'text-delta')) {
      this.showingText.add(streamId);
      this.flush();
      return;
    }
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushIntervalMs ?? 32);
  }

  /** Delivers every stream's queued parts; a stream that ended stops being followed. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [streamId, parts] of batches) {
      const listener = this.listeners.get(streamId);
      if (!listener) continue;
      if (parts.some((part) => part.type === 'finish' || part.type === 'error')) {
        this.listeners.delete(streamId);
        this.showingText.delete(streamId);
      }
      listener(parts);
    }
  }

  private dropStaleUnclaimed(now: number): void {
    for (const [streamId, held] of this.unclaimed) {
      if (now - held.since > UNCLAIMED_TTL_MS || this.unclaimed.size > MAX_UNCLAIMED_STREAMS) this.unclaimed.delete(streamId);
      else break;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
