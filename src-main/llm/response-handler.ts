import type { AnswerMetadata, Routing, StreamPart, Usage } from '../../src-shared/stream-parts';
import { TriadError, type TriadErrorShape } from '../../src-shared/errors';
import type { Provider, Tier } from '../../src-shared/domain';
import type { ModelStreamPart } from './chat-model';
import type { StreamingContentFilter } from './content-filter';
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
}

/** Rough token count for providers that report no usage (about four characters per token in English). */
const CHARS_PER_TOKEN = 4;

/**
 * The response handler: gives every answer the same shape whatever served it. It passes text through the
 * content filter, measures time to first token and latency, and returns the answer with its metadata (the
 * caller sends the `finish` part, after it has kept the answer). A model stream that ends without a finish
 * is an error, never a silent success.
 */
export async function* handleResponse(
  parts: AsyncIterable<ModelStreamPart>,
  context: AnswerContext,
  now: () => number = () => performance.now(),
): AsyncGenerator<StreamPart, HandledAnswer> {
  let text = '';
  let ttftMs: number | null = null;
  let finish: Extract<ModelStreamPart, { type: 'finish' }> | undefined;
  let blocked = false;

  const emit = (piece: string): StreamPart | undefined => {
    if (!piece) return undefined;
    ttftMs ??= now() - context.startedAt;
    text += piece;
    return { type: 'text-delta', text: piece };
  };

  for await (const part of parts) {
    if (part.type === 'finish') {
      finish = part;
      break;
    }
    if (part.type === 'route') {
      yield context.redact(part);
      continue;
    }
    if (blocked) continue;
    if (!context.filter.active) {
      const delta = emit(part.text);
      if (delta) yield delta;
      continue;
    }
    const filtered = context.filter.push(part.text);
    const delta = emit(filtered.text);
    if (delta) yield delta;
    if (filtered.blocked) {
      blocked = true;
      context.stopGeneration();
    }
  }
  if (!finish && !blocked) {
    throw badResponseError({ provider: context.routing.provider, endpoint: context.routing.modelId }, 'the answer ended without a finish');
  }
  const rest = emit(context.filter.flush());
  if (rest) yield rest;

  const usage: Usage = finish?.usage
    ? { ...finish.usage, estimated: false }
    : {
        inputTokens: Math.ceil(context.promptChars / CHARS_PER_TOKEN),
        outputTokens: Math.ceil(text.length / CHARS_PER_TOKEN),
        estimated: true,
      };
  const metadata: AnswerMetadata = {
    ...context.routing,
    ...finish?.servedBy,
    modelVersion: finish?.modelVersion ?? finish?.servedBy?.modelVersion ?? context.routing.modelVersion,
    attempts: context.redact(finish?.attempts ?? []),
    cacheHit: false,
    requestId: context.requestId,
    ttftMs,
    latencyMs: now() - context.startedAt,
    usage,
    finishReason: blocked ? 'content-filter' : (finish?.finishReason ?? 'stop'),
  };
  return { text, metadata };
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
