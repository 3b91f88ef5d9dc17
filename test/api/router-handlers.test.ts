import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTriadApi, type TriadApi } from '../../src-main/api/triad-api';
import type { Caller } from '../../src-main/api/api-context';
import { SAMPLE_COMPANY } from '../../src-main/config/embedded-defaults';
import { RouterStatusSchema, TierRouterViewSchema, ROUTER_CHANNELS } from '../../src-shared/router-contract';
import { createTestApp, type TestApp } from '../support/test-app';
import { storeSyntheticVotes } from '../router/support';

/**
 * The router channels over the real app services (PGlite store, the app's own router service): who may train,
 * the refusal of too few votes with the number needed, training to a stored router that status then shows,
 * evaluation without storing, and bad input named.
 */
let app: TestApp;
let admin: TriadApi;
let analystApi: TriadApi;
let leadApi: TriadApi;
const caller: Caller = { clientId: randomUUID(), emit: () => undefined };
const company = SAMPLE_COMPANY.slug;

beforeAll(async () => {
  app = await createTestApp();
  admin = createTriadApi(app, { userId: app.localOperator.id, broadcast: () => undefined });
  const analyst = await app.store.directory.createUser({ displayName: 'Ari (analyst)', role: 'analyst' });
  await app.store.directory.grantCompanyAccess(analyst.id, company);
  analystApi = createTriadApi(app, { userId: analyst.id, broadcast: () => undefined });
  const lead = await app.store.directory.createUser({ displayName: 'Lou (ML lead, other company)', role: 'ml_lead' });
  await app.store.directory.createCompany({ slug: 'globex', name: 'Globex' });
  await app.store.directory.grantCompanyAccess(lead.id, 'globex');
  leadApi = createTriadApi(app, { userId: lead.id, broadcast: () => undefined });
}, 60_000);
afterAll(async () => {
  for (const api of [admin, analystApi, leadApi]) api?.close();
  await app?.close();
});

async function call<T>(channel: string, input: unknown, through = admin): Promise<T> {
  const result = await through.call(channel, input, caller);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function refusal(channel: string, input: unknown, through = admin): Promise<{ code: string; message: string }> {
  const result = await through.call(channel, input, caller);
  if (result.ok) throw new Error(`${channel} was not refused`);
  return result.error;
}

describe('router channels', () => {
  it('refuses too few votes naming the number needed, then trains, stores and shows the router', async () => {
    const before = RouterStatusSchema.parse(await call('router.status', {}));
    expect(before.flag).toEqual({ on: false, source: 'default' });
    expect(before.canTrain).toBe(true);
    expect(before.companies.find((c) => c.slug === company)).toMatchObject({ router: null });

    await storeSyntheticVotes(app.store, { userId: app.localOperator.id, company, votes: 25, seed: 31 });
    expect(await refusal('router.train', { company })).toEqual({ code: 'validation_failed', message: `needs at least 40 votes between company and base for ${company}, has 25`, retryable: false });

    await storeSyntheticVotes(app.store, { userId: app.localOperator.id, company, votes: 120, seed: 32 });
    const trained = TierRouterViewSchema.parse(await call('router.train', { company, maxShare: 0.25 }));
    expect(trained).toMatchObject({ company, strongTier: 'company', weakTier: 'base', targetShare: 0.25, trainedBy: app.localOperator.id });
    expect(trained.voteCounts.votes).toBe(145);
    expect(trained.metrics!.heldOutVotes + trained.metrics!.trainVotes).toBe(145);
    expect(trained.metrics!.points.map((p) => p.targetShare)).toEqual([0.1, 0.2, 0.25, 0.3, 0.5, 0.7]);

    const after = RouterStatusSchema.parse(await call('router.status', {}));
    expect(after.companies.find((c) => c.slug === company)!.router).toEqual(trained);
    // An analyst of the company sees the router (the selector runs as them) but may not train it.
    const seen = RouterStatusSchema.parse(await call('router.status', {}, analystApi));
    expect(seen.canTrain).toBe(false);
    expect(seen.companies.map((c) => [c.slug, c.router?.id])).toEqual([[company, trained.id]]);
  }, 120_000);

  it('evaluates on held-out votes without storing a router', async () => {
    const current = RouterStatusSchema.parse(await call('router.status', {})).companies.find((c) => c.slug === company)!.router!;
    const result = await call<{ company: string; voteCounts: { votes: number }; metrics: { heldOutVotes: number; rules: { strongShare: number } } }>('router.evaluate', { company, maxShare: 0.4 });
    expect(ROUTER_CHANNELS['router.evaluate'].output.safeParse(result).success).toBe(true);
    expect(result).toMatchObject({ company, voteCounts: { votes: 145 }, metrics: { rules: { strongShare: 1 } } });
    expect(RouterStatusSchema.parse(await call('router.status', {})).companies.find((c) => c.slug === company)!.router!.id).toBe(current.id);
  }, 60_000);

  it('refuses an analyst, a company that is not theirs, an unknown company and a share out of range', async () => {
    expect(await refusal('router.train', { company }, analystApi)).toMatchObject({ code: 'forbidden', message: 'only an ML lead or an admin may train a tier router (Ari (analyst) is analyst)' });
    expect(await refusal('router.evaluate', { company }, leadApi)).toMatchObject({ code: 'forbidden', message: `company '${company}': not one of your companies, so its router is not yours to evaluate` });
    expect(await refusal('router.train', { company: 'nowhere' })).toMatchObject({ code: 'validation_failed', message: "unknown company 'nowhere'" });
    expect(await refusal('router.train', { company, maxShare: 1.5 })).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('maxShare') });
  }, 60_000);
});
