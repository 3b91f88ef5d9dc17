import { describe, expect, it } from 'vitest';
import { TriadCallError } from '../../src-renderer/transport/triad-client';
import { createRouterStore } from '../../src-renderer/features/settings/router-store';
import type { RouterStatus, TierRouterView } from '../../src-shared/router-contract';
import { FakeTriadClient } from './support/fake-triad-client';

const router: TierRouterView = {
  id: '33333333-3333-4333-8333-333333333333',
  company: 'acme',
  strongTier: 'company',
  weakTier: 'base',
  threshold: 0.52,
  targetShare: 0.4,
  voteCounts: { votes: 60, strongWins: 25, weakWins: 20, ties: 15, bothBad: 0, otherVotes: 0, thumbs: 0 },
  metrics: null,
  trainedBy: '44444444-4444-4444-8444-444444444444',
  trainedAt: '2026-12-02T10:00:00.000Z',
};
const status: RouterStatus = {
  flag: { on: false, source: 'default' },
  companies: [
    { slug: 'acme', name: 'Acme', router: null },
    { slug: 'beta', name: 'Beta', router: null },
  ],
  canTrain: true,
};

describe('the learned router section store', () => {
  it('trains with the share chosen for that company and shows the new router in its place', async () => {
    const client = new FakeTriadClient().handle('router.status', async () => status).handle('router.train', async (input) => ({ ...router, targetShare: input.maxShare ?? 0.3 }));
    const store = createRouterStore(client);
    await store.getState().load();
    store.getState().setMaxShare('acme', 0.4);
    const training = store.getState().train('acme');
    expect(store.getState().training).toBe('acme');
    await training;
    expect(client.callsTo('router.train')).toEqual([{ company: 'acme', maxShare: 0.4 }]);
    expect(store.getState().training).toBeNull();
    expect(store.getState().status!.companies.map((c) => [c.slug, c.router?.targetShare ?? null])).toEqual([
      ['acme', 0.4],
      ['beta', null],
    ]);
  });

  it("keeps the main process's refusal beside the company it was for, and clears it on the next try", async () => {
    let refuse = true;
    const client = new FakeTriadClient().handle('router.status', async () => status).handle('router.train', async () => {
      if (refuse) throw new TriadCallError({ code: 'validation_failed', message: 'needs at least 40 votes between company and base for beta, has 12', retryable: false });
      return { ...router, company: 'beta' };
    });
    const store = createRouterStore(client);
    await store.getState().load();
    await store.getState().train('beta');
    expect(store.getState().trainErrors).toEqual({ beta: 'needs at least 40 votes between company and base for beta, has 12' });
    // The default share goes when the operator chose none for the company.
    expect(client.callsTo('router.train')).toEqual([{ company: 'beta', maxShare: 0.3 }]);
    refuse = false;
    await store.getState().train('beta');
    expect(store.getState().trainErrors).toEqual({});
  });

  it('says why the routers could not be read', async () => {
    const client = new FakeTriadClient().refuse('router.status', { code: 'store_unavailable', message: 'reading the tier routers: the store is closed' });
    const store = createRouterStore(client);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ status: null, loading: false, loadError: 'reading the tier routers: the store is closed' });
  });
});
