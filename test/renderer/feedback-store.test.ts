import { describe, expect, it } from 'vitest';
import { TriadCallError } from '../../src-renderer/transport/triad-client';
import { createFeedbackStore } from '../../src-renderer/features/feedback/feedback-store';
import { FakeTriadClient, ids } from './support/fake-triad-client';

const noSleep = { sleep: async () => undefined };

describe('the feedback store', () => {
  it('saves one field and keeps the others', async () => {
    const client = new FakeTriadClient().handle('feedback.save', (input) => ({ ...input, updatedAt: '2026-01-01T00:00:00.000Z' }) as never);
    const feedback = createFeedbackStore(client, noSleep);
    await feedback.getState().save(ids.request, { thumbs: 1 });
    await feedback.getState().save(ids.request, { rating: 5 });
    expect(client.callsTo('feedback.save')[1]).toEqual({ requestId: ids.request, thumbs: 1, rating: 5, comment: null, correctedAnswer: null });
    expect(feedback.getState().byRequest[ids.request]).toMatchObject({ thumbs: 1, rating: 5 });
  });

  it('tries again while the answer is not yet in the request log', async () => {
    let attempts = 0;
    const client = new FakeTriadClient().handle('feedback.save', (input) => {
      if (++attempts < 3) throw new TriadCallError({ code: 'validation_failed', message: `requestId: no answer ${input.requestId} of yours`, retryable: false });
      return { ...input, updatedAt: '2026-01-01T00:00:00.000Z' } as never;
    });
    const feedback = createFeedbackStore(client, noSleep);
    expect(await feedback.getState().save(ids.request, { thumbs: -1 })).toBe(true);
    expect(attempts).toBe(3);
  });

  it('shows any other refusal at once', async () => {
    const client = new FakeTriadClient().refuse('feedback.save', { code: 'store_unavailable', message: 'the database is not reachable' });
    const feedback = createFeedbackStore(client, noSleep);
    expect(await feedback.getState().save(ids.request, { rating: 2 })).toBe(false);
    expect(client.calls).toHaveLength(1);
    expect(feedback.getState().errors[ids.request]).toBe('the database is not reachable');
  });
});
