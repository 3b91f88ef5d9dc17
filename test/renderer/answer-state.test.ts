import { describe, expect, it } from 'vitest';
import { answerFromRequest, foldStreamPart, foldStreamParts, pendingAnswer, wasStopped } from '../../src-renderer/features/answer/answer-state';
import { answerParts, ids } from './support/fake-triad-client';

describe('folding stream parts into an answer', () => {
  it('routes, accumulates the text, and takes the metrics from finish', () => {
    const parts = answerParts(ids.request, ['Hello', ', ', 'world']);
    const routed = foldStreamPart(pendingAnswer(), parts[0]!);
    expect(routed).toMatchObject({ status: 'streaming', requestId: ids.request, routing: { tier: 'company', routingReason: "company context 'acme' and user has access" } });
    expect(routed.metrics).toBeNull();

    const partway = foldStreamParts(routed, parts.slice(1, 3));
    expect(partway.text).toBe('Hello, ');
    expect(partway.status).toBe('streaming');

    const done = foldStreamParts(partway, parts.slice(3));
    expect(done).toMatchObject({
      status: 'done',
      text: 'Hello, world',
      metrics: { ttftMs: 42, latencyMs: 1234, tokensIn: 10, tokensOut: 3, tokensEstimated: false, finishReason: 'stop' },
    });
  });

  it('shows an error part as a failed answer with the main process message', () => {
    const failed = foldStreamParts(pendingAnswer(), [
      { type: 'error', requestId: ids.request, error: { code: 'upstream_unreachable', message: 'the Space at https://x.hf.space did not answer', retryable: true } },
    ]);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'upstream_unreachable', message: 'the Space at https://x.hf.space did not answer' } });
  });

  it('ignores parts after the answer settled, so a late delta cannot reopen it', () => {
    const done = foldStreamParts(pendingAnswer(), answerParts(ids.request, ['a']));
    expect(foldStreamPart(done, { type: 'text-delta', text: 'late' })).toBe(done);
  });

  it('keeps route notices, a repeated one replacing its predecessor', () => {
    const waking = (message: string) => ({ type: 'route' as const, event: 'waiting' as const, target: 'Space acme/triad-company', message });
    const answer = foldStreamParts(pendingAnswer(), [
      { type: 'route', event: 'retrying', target: 'Space acme/triad-company', message: 'HTTP 503, try 2 of 3' },
      waking('the Space is starting (BUILDING)'),
      waking('the Space is starting (RUNNING_BUILDING)'),
    ]);
    expect(answer.notices.map((n) => n.message)).toEqual(['HTTP 503, try 2 of 3', 'the Space is starting (RUNNING_BUILDING)']);
  });

  it('marks an answer stopped by the user', () => {
    const stopped = foldStreamParts(pendingAnswer(), answerParts(ids.request, ['partial'], { finishReason: 'aborted' }));
    expect(stopped.status).toBe('done');
    expect(wasStopped(stopped)).toBe(true);
  });
});

describe('an answer read back from the request log', () => {
  const request = {
    id: ids.request,
    tier: 'base' as const,
    provider: 'local' as const,
    modelId: 'tiny.gguf',
    modelVersion: 'q4',
    routingReason: 'no company context',
    status: 'ok' as const,
    errorCode: null,
    errorMessage: null,
    finishReason: 'stop' as const,
    ttftMs: 12,
    latencyMs: 340,
    tokensIn: 5,
    tokensOut: 7,
    routeAttempts: [],
    cacheHit: false,
  };

  it('keeps its metadata', () => {
    expect(answerFromRequest(request, 'text')).toMatchObject({ status: 'done', routing: { tier: 'base', modelId: 'tiny.gguf' }, metrics: { latencyMs: 340, tokensOut: 7 } });
  });

  it('keeps the route it took and whether the cache answered', () => {
    const attempts = [
      { target: 'Space org/triad-base', provider: 'huggingface' as const, outcome: 'failed' as const, reason: 'HTTP 502', tries: 3 },
      { target: 'local model tiny', provider: 'local' as const, outcome: 'served' as const, reason: 'answered', tries: 1 },
    ];
    expect(answerFromRequest({ ...request, routeAttempts: attempts, cacheHit: true }, 'text').metrics).toMatchObject({ attempts, cacheHit: true });
  });

  it('shows a failed request with its error', () => {
    const failed = answerFromRequest({ ...request, status: 'error', errorCode: 'model_load_failed', errorMessage: 'no such file', finishReason: null }, '');
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'model_load_failed', message: 'no such file' } });
  });
});
