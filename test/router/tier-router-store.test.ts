import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore, UserAccess } from '../../src-main/store/repositories';
import { trainRouter } from '../../src-main/router/train-router';
import { syntheticRouterSources } from '../../scripts/bench/router-synthetic-votes';
import { makeEntry, thrownBy } from '../store/support';

// The tier_routers table and triad_router_sources (migration 017) on the embedded store (PGlite).

let store: TriadStore;
let lead: UserAccess;

beforeAll(async () => {
  store = await openStore({ backend: 'pglite' });
  await store.directory.createCompany({ slug: 'acme', name: 'Acme' });
  await store.directory.createCompany({ slug: 'beta', name: 'Beta' });
  lead = await store.directory.createUser({ displayName: 'Lee (ML lead)', role: 'ml_lead' });
}, 60_000);
afterAll(async () => {
  await store?.close();
});

describe('tier routers in the store', () => {
  it("reads a company's votes with their prompt and tiers, and its thumbs with the request's prompt", async () => {
    const base = makeEntry({ userId: lead.id, companySlug: 'acme', tier: 'base', prompt: { id: crypto.randomUUID(), content: 'What does our SLA say?' } });
    const company = makeEntry({ userId: lead.id, companySlug: 'acme', tier: 'company', prompt: { id: crypto.randomUUID(), content: 'What does our SLA say?' } });
    const elsewhere = makeEntry({ userId: lead.id, companySlug: 'beta', tier: 'company' });
    const thumbed = makeEntry({ userId: lead.id, companySlug: 'acme', tier: 'base', prompt: { id: crypto.randomUUID(), content: 'Write a haiku' } });
    await store.requests.recordMany([base, company, elsewhere, thumbed]);
    const vote = await store.preferences.save({ userId: lead.id, prompt: 'What does our SLA say?', requestIds: [base.id, company.id], verdict: 'winner', winnerRequestId: company.id });
    await store.feedback.save({ requestId: thumbed.id, userId: lead.id, thumbs: 1, rating: null, comment: null, correctedAnswer: null });
    await store.feedback.save({ requestId: elsewhere.id, userId: lead.id, thumbs: -1, rating: null, comment: null, correctedAnswer: null });
    await store.feedback.save({ requestId: base.id, userId: lead.id, thumbs: null, rating: 4, comment: 'fine', correctedAnswer: null });

    const sources = await store.routers.trainingSources('acme');
    expect(sources.votes).toEqual([
      {
        id: vote.id,
        prompt: 'What does our SLA say?',
        verdict: 'winner',
        winnerRequestId: company.id,
        createdAt: vote.createdAt,
        answers: [
          { requestId: base.id, tier: 'base' },
          { requestId: company.id, tier: 'company' },
        ],
      },
    ]);
    // Only thumbs (a rating alone is not one), and only on acme's requests.
    expect(sources.thumbs).toEqual([{ requestId: thumbed.id, tier: 'base', prompt: 'Write a haiku', thumbs: 1, createdAt: expect.any(Date) }]);
    expect(await store.routers.trainingSources('nobody')).toEqual({ votes: [], thumbs: [] });
  });

  it("keeps every training and serves each company's newest", async () => {
    const trained = trainRouter(syntheticRouterSources({ votes: 60, seed: 1 }), { company: 'acme', maxShare: 0.3 });
    const first = await store.routers.save({ ...trained.record, trainedBy: lead.id });
    const again = await store.routers.save({ ...trained.record, targetShare: 0.2, trainedBy: lead.id });
    const forBeta = await store.routers.save({ ...trained.record, companySlug: 'beta', trainedBy: lead.id });
    expect(first).toMatchObject({ companySlug: 'acme', strongTier: 'company', weakTier: 'base', targetShare: 0.3, trainedBy: lead.id });
    expect(first.model).toEqual(trained.record.model);
    expect(first.metrics).toEqual(trained.metrics);

    const current = await store.routers.listCurrent();
    expect(current.map((r) => [r.companySlug, r.id])).toEqual([
      ['acme', again.id],
      ['beta', forBeta.id],
    ]);
    expect(current[0]!.threshold).toBe(trained.record.threshold);
    expect(current[0]!.voteCounts).toEqual(trained.counts);
  });

  it('refuses a router naming an unknown company or a bad field, before writing', async () => {
    const trained = trainRouter(syntheticRouterSources({ votes: 60, seed: 2 }), { company: 'acme' });
    const unknown = await thrownBy(() => store.routers.save({ ...trained.record, companySlug: 'nowhere', trainedBy: lead.id }));
    expect([unknown.code, unknown.message]).toEqual(['validation_failed', "unknown company 'nowhere'"]);
    const same = await thrownBy(() => store.routers.save({ ...trained.record, weakTier: 'company', trainedBy: lead.id }));
    expect(same.message).toBe('a router decides between two tiers, got company twice');
    const share = await thrownBy(() => store.routers.save({ ...trained.record, targetShare: 1.5, trainedBy: lead.id }));
    expect(share.message).toBe('target share must be between 0 and 1, got 1.5');
  });
});
