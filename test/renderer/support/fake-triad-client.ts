import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../../src-shared/ipc-contract';
import type { TriadErrorShape } from '../../../src-shared/errors';
import type { StreamPart } from '../../../src-shared/stream-parts';
import { TriadCallError, type TriadClient } from '../../../src-renderer/transport/triad-client';

type Handler<C extends Channel> = (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

/** A TriadClient in memory: scripted channel handlers, every call recorded, events emitted by the test. */
export class FakeTriadClient implements TriadClient {
  readonly runtime = 'browser' as const;
  readonly calls: Array<{ channel: Channel; input: unknown }> = [];
  private readonly handlers = new Map<Channel, Handler<Channel>>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  handle<C extends Channel>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, handler as unknown as Handler<Channel>);
    return this;
  }

  /** Makes a channel reject with the shared error shape. */
  refuse(channel: Channel, error: Omit<TriadErrorShape, 'retryable'>): this {
    this.handlers.set(channel, () => {
      throw new TriadCallError({ retryable: false, ...error });
    });
    return this;
  }

  async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    this.calls.push({ channel, input });
    const handler = this.handlers.get(channel);
    if (!handler) throw new TriadCallError({ code: 'internal', message: `no fake handler for ${channel}`, retryable: false });
    return (await handler(input as ChannelInput<Channel>)) as ChannelOutput<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(payload);
  }

  part(streamId: string, part: StreamPart): void {
    this.emit('chat.part', { streamId, part });
  }

  callsTo(channel: Channel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.input);
  }
}

export const ids = {
  conversation: '11111111-1111-4111-8111-111111111111',
  request: '22222222-2222-4222-8222-222222222222',
  stream: '33333333-3333-4333-8333-333333333333',
  request2: '44444444-4444-4444-8444-444444444444',
  stream2: '55555555-5555-4555-8555-555555555555',
  request3: '66666666-6666-4666-8666-666666666666',
  stream3: '77777777-7777-4777-8777-777777777777',
  comparison: '88888888-8888-4888-8888-888888888888',
};

/** The parts of a short successful answer. */
export function answerParts(requestId: string, text: string[], overrides: Partial<{ tier: 'base' | 'company' | 'abstraction'; finishReason: 'stop' | 'aborted' }> = {}): StreamPart[] {
  const routing = { tier: overrides.tier ?? 'company', provider: 'local', modelId: 'tiny.gguf', modelVersion: 'q4', routingReason: "company context 'acme' and user has access" } as const;
  return [
    { type: 'response-metadata', requestId, ...routing },
    ...text.map((t): StreamPart => ({ type: 'text-delta', text: t })),
    {
      type: 'finish',
      metadata: { ...routing, requestId, ttftMs: 42, latencyMs: 1234, usage: { inputTokens: 10, outputTokens: text.length, estimated: false }, finishReason: overrides.finishReason ?? 'stop', attempts: [{ target: 'local tiny.gguf', provider: 'local', outcome: 'served', reason: 'answered', tries: 1 }], cacheHit: false },
    },
  ];
}

/** Waits until queued promise callbacks have run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
