import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequestInput } from '../../src-shared/chat';
import { SAMPLE_COMPANY } from '../../src-main/config/embedded-defaults';
import type { UserAccess } from '../../src-main/store/repositories';
import { createTestApp, type TestApp } from '../support/test-app';
import { storeSyntheticVotes } from './support';

// The whole loop in one app (PGlite, the local model): votes in the store → a trained router → the facade's
// `auto` routing follows it, and says so in the routing reason of the answer and of the request log.

let app: TestApp;
let outsider: UserAccess;
const company = SAMPLE_COMPANY.slug;

beforeAll(async () => {
  app = await createTestApp({ env: { TRIAD_ROUTER_LEARNED: 'true' } });
  await storeSyntheticVotes(app.store, { userId: app.localOperator.id, company, votes: 200, seed: 21 });
  outsider = await app.store.directory.createUser({ displayName: 'Oz (analyst, no companies)', role: 'analyst' });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

function ask(prompt: string, userId = app.localOperator.id): ChatRequestInput {
  return { requestId: randomUUID(), cache: 'bypass', messages: [{ role: 'user', content: prompt }], context: { userId, company }, params: { maxTokens: 4 } };
}

describe('a learned route through the facade', () => {
  it("without a router the rules decide and the reason says there is none; after training the router's score decides", async () => {
    const before = await app.facade.complete(ask('Explain compound interest in simple terms.'));
    expect(before.ok && before.metadata).toMatchObject({ tier: 'company', routingReason: `company context '${company}' and user has access; learned router: none trained for '${company}', so the rules decide` });

    const router = await app.routers.train(app.localOperator.id, { company, maxShare: 0.5 });
    expect(router).toMatchObject({ company, strongTier: 'company', weakTier: 'base', targetShare: 0.5 });

    const general = await app.facade.complete(ask('Explain compound interest in simple terms.'));
    expect(general.ok && general.metadata.tier).toBe('base');
    expect(general.ok && general.metadata.routingReason).toMatch(/^learned router: company tier wins 0\.\d\d < 0\.\d\d: base tier$/);
    const own = await app.facade.complete(ask('What does our contract with Nordhafen say about the demurrage waiver?'));
    expect(own.ok && own.metadata.tier).toBe('company');
    expect(own.ok && own.metadata.routingReason).toMatch(/^learned router: company tier wins 0\.\d\d ≥ 0\.\d\d$/);

    await app.requestLog.flush();
    const logged = await app.store.requests.get(general.ok ? general.metadata.requestId : '');
    expect(logged?.routingReason).toBe(general.ok && general.metadata.routingReason);
  }, 120_000);

  it('never routes a user to a company they may not use, router or not', async () => {
    const result = await app.facade.complete(ask('What does our contract with Nordhafen say about the demurrage waiver?', outsider.id));
    expect(result.ok && result.metadata).toMatchObject({ tier: 'base', routingReason: `general question; user has no access to company '${company}'` });
  }, 60_000);
});
