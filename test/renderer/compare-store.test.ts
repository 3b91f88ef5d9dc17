import { describe, expect, it } from 'vitest';
import { StreamPartRouter } from '../../src-renderer/app/stream-part-router';
import { createCompareStore, runSettled } from '../../src-renderer/features/compare/compare-store';
import { FakeTriadClient, answerParts, ids } from './support/fake-triad-client';

function setup() {
  const client = new FakeTriadClient()
    .handle('compare.start', (input) => ({
      comparisonId: ids.comparison,
      columns: input.tiers.map((tier, i) => ({ tier, streamId: [ids.stream, ids.stream2, ids.stream3][i]!, requestId: [ids.request, ids.request2, ids.request3][i]! })),
    }))
    .handle('compare.vote', () => ({ preferenceId: ids.comparison }))
    .handle('chat.cancel', () => ({ cancelled: true }));
  const streams = new StreamPartRouter(client);
  return { client, streams, compare: createCompareStore({ client, streams }) };
}

describe('the compare store', () => {
  it('streams each tier into its column and stores a vote only once all finished', async () => {
    const { client, streams, compare } = setup();
    compare.getState().setDraft('Which pricing works?');
    await compare.getState().start();
    expect(client.callsTo('compare.start')).toEqual([{ prompt: 'Which pricing works?', tiers: ['base', 'company', 'abstraction'] }]);

    for (const part of answerParts(ids.request, ['base answer'], { tier: 'base' })) client.part(ids.stream, part);
    for (const part of answerParts(ids.request2, ['company answer'], { tier: 'company' })) client.part(ids.stream2, part);
    streams.flush();
    expect(runSettled(compare.getState().run)).toBe(false);
    await compare.getState().vote('winner', ids.request2);
    expect(client.callsTo('compare.vote')).toEqual([]);

    for (const part of answerParts(ids.request3, ['abstraction answer'], { tier: 'abstraction' })) client.part(ids.stream3, part);
    streams.flush();
    expect(compare.getState().run!.columns.map((c) => c.answer.text)).toEqual(['base answer', 'company answer', 'abstraction answer']);
    await compare.getState().vote('winner', ids.request2);
    expect(client.callsTo('compare.vote')).toEqual([{ comparisonId: ids.comparison, verdict: 'winner', winnerRequestId: ids.request2 }]);
    expect(compare.getState().run!.vote).toMatchObject({ status: 'saved', verdict: 'winner', winnerRequestId: ids.request2 });
  });

  it('needs two tiers', async () => {
    const { client, compare } = setup();
    compare.getState().toggleTier('base');
    compare.getState().toggleTier('company');
    compare.getState().setDraft('x');
    expect(await compare.getState().start()).toBe(false);
    expect(client.calls).toEqual([]);
  });

  it('shows a refused vote with the main process message', async () => {
    const { client, streams, compare } = setup();
    client.refuse('compare.vote', { code: 'validation_failed', message: 'comparisonId: no open comparison' });
    compare.getState().toggleTier('abstraction');
    compare.getState().setDraft('x');
    await compare.getState().start();
    for (const part of answerParts(ids.request, ['a'])) client.part(ids.stream, part);
    for (const part of answerParts(ids.request2, ['b'])) client.part(ids.stream2, part);
    streams.flush();
    await compare.getState().vote('tie', null);
    expect(compare.getState().run!.vote).toMatchObject({ status: 'failed', error: 'comparisonId: no open comparison' });
  });
});
