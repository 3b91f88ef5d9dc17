import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/test-app';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { signedInApp, synced } from '../team/support';
import { thrownBy } from '../store/support';
import { storeSyntheticVotes } from './support';

// The tier routers in team mode, through PostgREST with row-level security (migration 017): an ML lead trains
// their company's router from the votes they may see; an analyst of that company reads it (the selector runs as
// them, and follows it) but may not write one; an operator of another company sees none of it.

let stack: TeamStack;
let lead: TeamOperator;
let analyst: TeamOperator;
let stranger: TeamOperator;
const apps: TestApp[] = [];
const company = `rt-${randomUUID().slice(0, 6)}`;
const other = `rt-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  stack = await startTeamStack();
  [lead, analyst, stranger] = await Promise.all([
    stack.createOperator({ role: 'ml_lead', companies: [company] }),
    stack.createOperator({ role: 'analyst', companies: [company] }),
    stack.createOperator({ role: 'ml_lead', companies: [other] }),
  ]);
}, 90_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await stack?.stop();
});

async function appFor(operator: TeamOperator, env: Record<string, string> = {}): Promise<TestApp> {
  const app = await signedInApp(stack, operator, { env });
  apps.push(app);
  return app;
}

describe('tier routers in team mode', () => {
  it("is trained by an ML lead, read and followed by the company's analyst, and hidden from other companies", async () => {
    const leadApp = await appFor(lead);
    await storeSyntheticVotes(leadApp.store, { userId: lead.id, company, votes: 200, seed: 21 });
    await synced(leadApp, 60_000);

    const trained = await leadApp.routers.train(lead.id, { company, maxShare: 0.5 });
    expect(trained).toMatchObject({ company, trainedBy: lead.id, voteCounts: { votes: 200 } });
    const [row] = await stack.query<{ trained_by: string }>('SELECT trained_by FROM tier_routers WHERE id = $1', [trained.id]);
    expect(row!.trained_by).toBe(lead.id);

    const analystApp = await appFor(analyst, { TRIAD_ROUTER_LEARNED: 'true' });
    const seen = await analystApp.store.routers.listCurrent();
    expect(seen.map((r) => [r.companySlug, r.id])).toEqual([[company, trained.id]]);
    const answer = await analystApp.facade.complete({
      requestId: randomUUID(),
      cache: 'bypass',
      messages: [{ role: 'user', content: 'Explain compound interest in simple terms.' }],
      context: { userId: analyst.id, company },
      params: { maxTokens: 4 },
    });
    expect(answer.ok && answer.metadata.routingReason).toMatch(/^learned router: company tier wins 0\.\d\d < 0\.\d\d: base tier$/);

    // Writing is for ML leads and admins: the database refuses an analyst even through the API directly.
    const refused = await thrownBy(() => analystApp.store.routers.save({ ...seen[0]!, trainedBy: analyst.id }));
    expect(refused.code).toBe('forbidden');
    expect(await analystApp.routers.train(analyst.id, { company }).catch((e: Error) => e.message)).toMatch(/^only an ML lead or an admin may train a tier router/);

    // Another company's ML lead sees no router of this company, and cannot write one for it.
    const strangerApp = await appFor(stranger);
    expect(await strangerApp.store.routers.listCurrent()).toEqual([]);
    expect((await strangerApp.store.routers.trainingSources(company)).votes).toEqual([]);
    const hidden = await thrownBy(() => strangerApp.store.routers.save({ ...seen[0]!, trainedBy: stranger.id }));
    expect([hidden.code, hidden.message]).toEqual(['validation_failed', `unknown company '${company}'`]);
  }, 300_000);
});
