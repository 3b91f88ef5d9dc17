import { describe, expect, it } from 'vitest';
import type { TranscriptTurn } from '../../src-shared/ipc-contract';
import { itemsFromTranscript } from '../../src-renderer/features/chat/chat-items';
import { ids } from './support/fake-triad-client';

const failedRequest: NonNullable<TranscriptTurn['request']> = {
  id: ids.request,
  tier: 'company',
  provider: 'huggingface',
  modelId: 'org/triad-company',
  modelVersion: 'v1',
  routingReason: 'explicit tier',
  status: 'error',
  errorCode: 'upstream_unavailable',
  errorMessage: 'the Space is sleeping (503)',
  finishReason: null,
  ttftMs: null,
  latencyMs: 900,
  tokensIn: null,
  tokensOut: null,
  routeAttempts: [{ target: 'Space org/triad-company', provider: 'huggingface', outcome: 'failed', reason: 'the Space is sleeping (503)', tries: 1 }],
  cacheHit: false,
};

describe('rebuilding a conversation from its transcript', () => {
  it('shows a request that failed (no assistant message) as a failed answer after its prompt', () => {
    const { items } = itemsFromTranscript([
      { id: ids.stream, role: 'user', content: 'Q', createdAt: '2026-01-01T00:00:00.000Z', request: failedRequest, feedback: null },
    ]);
    expect(items).toMatchObject([
      { kind: 'prompt', text: 'Q' },
      { kind: 'answer', answer: { status: 'failed', error: { code: 'upstream_unavailable', message: 'the Space is sleeping (503)' } } },
    ]);
  });

  it('leaves system messages out', () => {
    const { items } = itemsFromTranscript([{ id: ids.stream, role: 'system', content: 'be brief', createdAt: '2026-01-01T00:00:00.000Z', request: null, feedback: null }]);
    expect(items).toEqual([]);
  });
});
