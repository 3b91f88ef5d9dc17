import type { Provider, Tier } from '../../../src-shared/domain';
import type { TranscriptTurn } from '../../../src-shared/ipc-contract';
import type { RouteAttempt } from '../../../src-shared/routing';
import type { FinishReason, StreamPart } from '../../../src-shared/stream-parts';

/** Where the request went and why; known once the `response-metadata` part arrives. */
export interface AnswerRouting {
  tier: Tier;
  provider: Provider;
  modelId: string;
  modelVersion: string;
  routingReason: string;
}

/** How the answer went; known once it finished (or from the log when a conversation is reopened). */
export interface AnswerMetrics {
  ttftMs: number | null;
  latencyMs: number;
  tokensIn: number | null;
  tokensOut: number | null;
  /** The provider did not report usage; the counts are estimates. */
  tokensEstimated: boolean;
  finishReason: FinishReason | null;
  /** Every target tried, in order; empty when not known (answers read back from a transcript). */
  attempts: RouteAttempt[];
  /** The answer came from the response cache. */
  cacheHit: boolean;
}

/** Something that happened on the way to the answer: a retry, a fallback, a Space waking up, a continuation. */
export interface RouteNotice {
  event: 'retrying' | 'falling-back' | 'waiting' | 'continued';
  target: string;
  message: string;
}

/** Route notices kept per answer; a Space waking up can report progress many times. */
const MAX_NOTICES = 5;

/**
 * - `waiting`: asked, nothing back yet
 * - `streaming`: routed, text may be arriving
 * - `done`: finished (including stopped: finishReason `aborted`)
 * - `failed`: an error part or a refused call; `error` says why
 */
export type AnswerStatus = 'waiting' | 'streaming' | 'done' | 'failed';

/** One answer as the UI shows it, whether streamed now or read back from a transcript. */
export interface AnswerState {
  requestId: string | null;
  status: AnswerStatus;
  text: string;
  routing: AnswerRouting | null;
  metrics: AnswerMetrics | null;
  /** The latest route notices, oldest first. */
  notices: RouteNotice[];
  error: { code: string; message: string } | null;
}

/** An answer that has been asked for and not yet routed. */
export function pendingAnswer(requestId: string | null = null): AnswerState {
  return { requestId, status: 'waiting', text: '', routing: null, metrics: null, notices: [], error: null };
}

/** Whether no more parts can change this answer. */
export function isSettled(answer: AnswerState): boolean {
  return answer.status === 'done' || answer.status === 'failed';
}

/** Whether the user stopped this answer. */
export function wasStopped(answer: AnswerState): boolean {
  return answer.metrics?.finishReason === 'aborted' || answer.error?.code === 'aborted';
}

/**
 * Folds one stream part into an answer. A stream is `response-metadata`, then `text-delta`s, then exactly
 * one `finish` or `error`; anything arriving after that is ignored so a late or duplicated part cannot
 * reopen a settled answer.
 */
export function foldStreamPart(answer: AnswerState, part: StreamPart): AnswerState {
  if (isSettled(answer)) return answer;
  switch (part.type) {
    case 'response-metadata': {
      const { tier, provider, modelId, modelVersion, routingReason, requestId } = part;
      return { ...answer, status: 'streaming', requestId, routing: { tier, provider, modelId, modelVersion, routingReason } };
    }
    case 'route': {
      const { event, target, message } = part;
      // A repeated notice (a waking Space polled again) replaces its predecessor instead of piling up.
      const last = answer.notices.at(-1);
      const kept = last && last.event === event && last.target === target ? answer.notices.slice(0, -1) : answer.notices;
      return { ...answer, notices: [...kept, { event, target, message }].slice(-MAX_NOTICES) };
    }
    case 'text-delta':
      return part.text ? { ...answer, status: 'streaming', text: answer.text + part.text } : answer;
    case 'finish': {
      const m = part.metadata;
      return {
        ...answer,
        status: 'done',
        requestId: m.requestId,
        // The finish part carries the routing again, with the version the provider reported.
        routing: { tier: m.tier, provider: m.provider, modelId: m.modelId, modelVersion: m.modelVersion, routingReason: m.routingReason },
        metrics: {
          ttftMs: m.ttftMs,
          latencyMs: m.latencyMs,
          tokensIn: m.usage.inputTokens,
          tokensOut: m.usage.outputTokens,
          tokensEstimated: m.usage.estimated,
          finishReason: m.finishReason,
          attempts: m.attempts,
          cacheHit: m.cacheHit,
        },
      };
    }
    case 'error':
      return { ...answer, status: 'failed', requestId: part.requestId, error: { code: part.error.code, message: part.error.message } };
  }
}

/** Folds a batch of parts, in order. */
export function foldStreamParts(answer: AnswerState, parts: readonly StreamPart[]): AnswerState {
  return parts.reduce(foldStreamPart, answer);
}

type RequestView = NonNullable<TranscriptTurn['request']>;

/** An answer read back from the request log: its text (if any), routing, metrics and how it ended. */
export function answerFromRequest(request: RequestView, text: string): AnswerState {
  const routing: AnswerRouting | null =
    request.tier && request.provider
      ? {
          tier: request.tier,
          provider: request.provider,
          modelId: request.modelId ?? 'unknown model',
          modelVersion: request.modelVersion ?? 'unversioned',
          routingReason: request.routingReason ?? '',
        }
      : null;
  const metrics: AnswerMetrics = {
    ttftMs: request.ttftMs,
    latencyMs: request.latencyMs,
    tokensIn: request.tokensIn,
    tokensOut: request.tokensOut,
    // The log keeps the counts but not whether they were estimated.
    tokensEstimated: false,
    finishReason: request.finishReason ?? (request.status === 'aborted' ? 'aborted' : null),
    attempts: request.routeAttempts,
    cacheHit: request.cacheHit,
  };
  const failed = request.status === 'error' || request.status === 'rejected' || (request.status === 'aborted' && !text);
  return {
    requestId: request.id,
    status: failed ? 'failed' : 'done',
    text,
    routing,
    metrics,
    notices: [],
    error: failed ? { code: request.errorCode ?? request.status, message: request.errorMessage ?? `the request ended: ${request.status}` } : null,
  };
}
