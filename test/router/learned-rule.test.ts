import { describe, expect, it } from 'vitest';
import { ChatRequestSchema, type ChatRequestInput } from '../../src-shared/chat';
import type { FeatureFlags } from '../../src-shared/feature-flags';
import { chooseTier, ModelSelector } from '../../src-main/llm/model-selector';
import type { TargetResolver } from '../../src-main/llm/model-target';
import { TierRouterBook, type RouterLookup } from '../../src-main/router/tier-router-book';
import { trainRouter } from '../../src-main/router/train-router';
import type { TierRouterRecord, TierRouterRepository, UserAccess } from '../../src-main/store/repositories';
import { syntheticRouterSources } from '../../scripts/bench/router-synthetic-votes';

const USER_ID = '11111111-1111-4111-8111-111111111111';
const member: UserAccess = { id: USER_ID, displayName: 'Ana', role: 'analyst', companySlugs: ['acme'] };
const outsider: UserAccess = { ...member, companySlugs: ['beta'] };
const flagOn: FeatureFlags = { provider: 'local', openaiEnabled: false, tiers: { base: true, company: true, abstraction: true }, learnedRouter: true };

function parse(prompt: string, overrides: Partial<ChatRequestInput> = {}) {
  return ChatRequestSchema.parse({ messages: [{ role: 'user', content: prompt }], context: { userId: USER_ID, company: 'acme' }, ...overrides });
}

/** A router whose score is fixed: for the rule's arithmetic and wording, not for what a router learns. */
function fixedScore(score: number, threshold = 0.55): RouterLookup {
  return { router: { companySlug: 'acme', strongTier: 'company', weakTier: 'base', threshold, unsureMargin: 0.02, targetShare: 0.3, trainedAt: new Date(), score: () => score } };
}

const trained = trainRouter(syntheticRouterSources({ votes: 600, thumbs: 100, seed: 11 }), { company: 'acme', maxShare: 0.5 });
const record: TierRouterRecord = { ...trained.record, id: '22222222-2222-4222-8222-222222222222', trainedBy: USER_ID, trainedAt: new Date() };

describe("the selector's learned rule", () => {
  it('says the score and the threshold, and picks the company tier above it and the base tier below', () => {
    expect(chooseTier({ request: parse('anything'), user: member, flags: flagOn }, fixedScore(0.71))).toEqual({ tier: 'company', reason: 'learned router: company tier wins 0.71 ≥ 0.55' });
    expect(chooseTier({ request: parse('anything'), user: member, flags: flagOn }, fixedScore(0.31))).toEqual({ tier: 'base', reason: 'learned router: company tier wins 0.31 < 0.55: base tier' });
  });

  it('leaves a score within the margin of the threshold to the rules, and says so', () => {
    expect(chooseTier({ request: parse('anything'), user: member, flags: flagOn }, fixedScore(0.56))).toEqual({
      tier: 'company',
      reason: "company context 'acme' and user has access; learned router unsure: company tier wins 0.56, within 0.02 of 0.55, so the rules decide",
    });
  });

  it('falls back to the rules when the company has no router, saying so', () => {
    expect(chooseTier({ request: parse('anything'), user: member, flags: flagOn }, { missing: "none trained for 'acme'" })).toEqual({
      tier: 'company',
      reason: "company context 'acme' and user has access; learned router: none trained for 'acme', so the rules decide",
    });
  });

  it('never picks a tier that is off: the rules decide and the reason names the tier', () => {
    const companyOff = { ...flagOn, tiers: { ...flagOn.tiers, company: false } };
    expect(chooseTier({ request: parse('anything'), user: member, flags: companyOff }, fixedScore(0.9))).toEqual({
      tier: 'base',
      reason: "general question in company context 'acme' (company tier is off); learned router: company tier off, so the rules decide",
    });
  });

  it('never picks the company tier for a user without access to the company', () => {
    // The selector does not even look the router up; chooseTier given one still does not use it.
    expect(chooseTier({ request: parse('anything'), user: outsider, flags: flagOn }, fixedScore(0.99))).toEqual({
      tier: 'base',
      reason: "general question; user has no access to company 'acme'",
    });
  });

  it('keeps the cross-business rule first, and honours a tier the user asked for', () => {
    expect(chooseTier({ request: parse('How do similar businesses price this?'), user: member, flags: flagOn }, fixedScore(0.9)).tier).toBe('abstraction');
    expect(chooseTier({ request: parse('anything', { tier: 'base' }), user: member, flags: flagOn }, fixedScore(0.9))).toEqual({ tier: 'base', reason: 'base tier requested by the user' });
  });

  it("with a router trained on votes: the company's own questions go to the company tier, general ones to the base tier", async () => {
    const lookup = await new TierRouterBook(() => repositoryOf([record])).lookup('acme');
    const own = chooseTier({ request: parse('What does our contract with Nordhafen say about the demurrage waiver?'), user: member, flags: flagOn }, lookup);
    const general = chooseTier({ request: parse('Explain compound interest in simple terms.'), user: member, flags: flagOn }, lookup);
    expect(own.tier).toBe('company');
    expect(own.reason).toMatch(/^learned router: company tier wins 0\.\d\d ≥ 0\.\d\d$/);
    expect(general.tier).toBe('base');
    expect(general.reason).toMatch(/^learned router: company tier wins 0\.\d\d < 0\.\d\d: base tier$/);
  });
});

function repositoryOf(records: TierRouterRecord[] | (() => Promise<TierRouterRecord[]>)): TierRouterRepository & { reads: number } {
  const repository = {
    reads: 0,
    trainingSources: () => Promise.reject(new Error('not used')),
    save: () => Promise.reject(new Error('not used')),
    listCurrent: async () => {
      repository.reads++;
      return typeof records === 'function' ? records() : records;
    },
  };
  return repository;
}

const noTargets = { resolveRef: async () => undefined } as unknown as TargetResolver;
const routing = { strategies: {} } as Parameters<ModelSelector['select']>[1];

describe('the selector with the routers in memory', () => {
  it('looks the router up only with the flag on, in auto, for a company the user may use', async () => {
    const repository = repositoryOf([record]);
    const selector = new ModelSelector(noTargets, new TierRouterBook(() => repository));
    const off = await selector.select({ request: parse('Explain compound interest in simple terms.'), user: member, flags: { ...flagOn, learnedRouter: false } }, routing);
    expect(off.reason).toBe("company context 'acme' and user has access");
    await selector.select({ request: parse('Explain compound interest.'), user: outsider, flags: flagOn }, routing);
    await selector.select({ request: parse('Explain compound interest.', { tier: 'company' }), user: member, flags: flagOn }, routing);
    expect(repository.reads).toBe(0);
    const on = await selector.select({ request: parse('Explain compound interest in simple terms.'), user: member, flags: flagOn }, routing);
    expect(on.tier).toBe('base');
    expect(on.reason).toMatch(/^learned router: company tier wins/);
    expect(repository.reads).toBe(1);
  });
});

describe('the routers in memory', () => {
  it('are read once, then again in the background when old; a failed read keeps the last ones', async () => {
    let now = 0;
    let fail = false;
    const repository = repositoryOf(async () => {
      if (fail) throw new Error('store unavailable: connection refused');
      return [record];
    });
    const errors: unknown[] = [];
    const book = new TierRouterBook(() => repository, { refreshMs: 5_000, now: () => now, onError: (e) => errors.push(e) });
    expect('router' in (await book.lookup('acme'))).toBe(true);
    now = 4_999;
    await book.lookup('acme');
    expect(repository.reads).toBe(1);
    now = 5_000;
    fail = true;
    // The request that found them old was served from them; the read it started (shared here) failed.
    expect('router' in (await book.lookup('acme'))).toBe(true);
    await book.refresh();
    expect(repository.reads).toBe(2);
    expect(errors).toHaveLength(1);
    expect('router' in (await book.lookup('acme'))).toBe(true);
    expect(await book.lookup('beta')).toEqual({ missing: "none trained for 'beta'" });
  });

  it('say why there is no router: never read, or stored in a form this version cannot read', async () => {
    const failing = new TierRouterBook(() => repositoryOf(() => Promise.reject(new Error('store unavailable'))));
    expect(await failing.lookup('acme')).toEqual({ missing: 'the routers could not be read (store unavailable)' });
    const damaged = new TierRouterBook(() => repositoryOf([{ ...record, model: { format: 'something-else' } }]));
    expect(await damaged.lookup('acme')).toEqual({ missing: expect.stringMatching(/^router of 'acme' \(2222.*\) cannot be read: /) });
    const reason = chooseTier({ request: parse('anything'), user: member, flags: flagOn }, await damaged.lookup('acme')).reason;
    expect(reason).toMatch(/^company context 'acme' and user has access; learned router: router of 'acme' .* cannot be read: .*, so the rules decide$/);
  });
});
