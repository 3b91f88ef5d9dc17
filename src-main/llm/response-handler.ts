import type { AnswerMetadata, Routing, StreamPart, Usage } from '../../src-shared/stream-parts';
import { TriadError, type TriadErrorShape } from '../../src-shared/errors';
import type { Provider, Tier } from '../../src-shared/domain';
import type { ModelStreamPart } from './chat-model';
import type { StreamingContentFilter } from './content-filter';
import { redactAttempts } from './routing/route-failures';
import { badResponseError, isAbortError } from './upstream-errors';

/** A finished answer: what the user saw and its metadata. */
export interface HandledAnswer {
  text: string;
  metadata: AnswerMetadata;
}

/** What the handler needs to know about the request it is answering. */
export interface AnswerContext {
  requestId: string;
  routing: Routing;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Characters in the prompt, for estimating usage when the provider reports none. */
  promptChars: number;
  filter: StreamingContentFilter;
  /** Called when the content filter blocks the answer, to stop generation upstream. */
  stopGeneration: () => void;
  /** Removes secrets from what upstreams said (route notices and attempt reasons quote their errors). */
  redact: <T>(value: T) => T;
  /** The same for one string. */
  redactText: (text: string) => string;
}

/** Rough token count for providers that report no usage (about four characters per token in English). */
const CHARS_PER_TOKEN = 4;

/**
 * The response handler: gives every answer the same shape whatever served it. It passes text through the
 * content filter, measures time to first token and latency, and returns the answer with its metadata (the
 * caller sends the `finish` part, after it has kept the answer). A model stream that ends without a finish
 * is an error, never a silent success. It is synchronous, one call per part, so that the facade's own loop
 * over the route's parts is the only asynchronous step between the model and the caller (an async
 * generator here cost a promise and a resumption per part).
 */
export class ResponseHandler {
  private text = '';
  private ttftMs: number | null = null;
  private finishPart: Extract<ModelStreamPart, { type: 'finish' }> | undefined;
  private blocked = false;

  constructor(
    private readonly context: AnswerContext,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True once the model's finish arrived: the caller stops reading the route and calls `end()`. */
  get finished(): boolean {
    return this.finishPart !== undefined;
  }

  /** The part to send the caller for one part of the route, if any. */
  accept(part: ModelStreamPart): StreamPart | undefined {
    if (part.type === 'finish') {
      this.finishPart = part;
      return undefined;
    }
    if (part.type === 'route') return this.context.redact(part);
    if (this.blocked) return undefined;
    const filter = this.context.filter;
    if (!filter.active) return this.emit(part.text);
    const filtered = filter.push(part.text);
    const delta = this.emit(filtered.text);
    if (filtered.blocked) {
      this.blocked = true;
      this.context.stopGeneration();
    }
    return delta;
  }

  /** After the route's last part: what the filter held back, and the answer with its metadata. */
  end(): { rest: StreamPart | undefined; answer: HandledAnswer } {
    const { context } = this;
    const finish = this.finishPart;
    if (!finish && !this.blocked) {
      throw badResponseError({ provider: context.routing.provider, endpoint: context.routing.modelId }, 'the answer ended without a finish');
    }
    const rest = this.emit(context.filter.flush());
    const usage: Usage = finish?.usage
      ? { inputTokens: finish.usage.inputTokens, outputTokens: finish.usage.outputTokens, estimated: false }
      : {
          inputTokens: Math.ceil(context.promptChars / CHARS_PER_TOKEN),
          outputTokens: Math.ceil(this.text.length / CHARS_PER_TOKEN),
          estimated: true,
        };
    const attempts = finish?.attempts ? redactAttempts(finish.attempts, context.redactText) : [];
    const { routing } = context;
    const servedBy = finish?.servedBy;
    // Field by field, not `{ ...routing, ...servedBy, … }`: V8 built that object on its slow path, which cost
    // 11 µs per answer against 0.1 µs for this literal.
    const metadata: AnswerMetadata = {
      tier: routing.tier,
      provider: servedBy?.provider ?? routing.provider,
      modelId: servedBy?.modelId ?? routing.modelId,
      modelVersion: finish?.modelVersion ?? servedBy?.modelVersion ?? routing.modelVersion,
      routingReason: routing.routingReason,
      attempts,
      cacheHit: false,
      requestId: context.requestId,
      ttftMs: this.ttftMs,
      latencyMs: this.now() - context.startedAt,
      usage,
      finishReason: this.blocked ? 'content-filter' : (finish?.finishReason ?? 'stop'),
    };
    return { rest, answer: { text: this.text, metadata } };
  }

  private emit(piece: string): StreamPart | undefined {
    if (!piece) return undefined;
    this.ttftMs ??= this.now() - this.context.startedAt;
    this.text += piece;
    return { type: 'text-delta', text: piece };
  }
}

/** Maps any failure to the shared error shape, naming the tier and provider it belongs to. */
export function toErrorShape(error: unknown, where: { tier?: Tier; provider?: Provider }): TriadErrorShape {
  if (TriadError.isInstance(error)) {
    const shape = error.toShape();
    const tier = shape.tier ?? where.tier;
    const provider = shape.provider ?? where.provider;
    return { ...shape, ...(tier && { tier }), ...(provider && { provider }) };
  }
  if (isAbortError(error)) {
    return { code: 'aborted', message: 'the request was cancelled', retryable: false, ...where };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `unexpected error: ${message}`, retryable: false, ...where };
}
