import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaderboardFromStore } from '../../src-main/leaderboard/store-leaderboard';
import type { TestApp } from '../support/test-app';
import { makeEntry } from '../store/support';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { signedInApp, synced } from '../team/support';

// The leaderboard in team mode: votes read from Supabase under row-level security (an analyst their own, an
// admin everyone's), and an analyst's own votes still in the outbox counted from the local copy while offline.

let stack: TeamStack;
let analyst: TeamOperator;
let colleague: TeamOperator;
let admin: TeamOperator;
const apps: TestApp[] = [];
const company = `lbt-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  stack = await startTeamStack();
  [analyst, colleague, admin] = await Promise.all([
    stack.createOperator({ role: 'analyst', companies: [company] }),
    stack.createOperator({ role: 'analyst', companies: [company] }),
    stack.createOperator({ role: 'admin', companies: [company] }),
  ]);
}, 90_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await stack?.resume();
  await stack?.stop();
});

async function appFor(operator: TeamOperator): Promise<TestApp> {
  const app = await signedInApp(stack, operator);
  apps.push(app);
  return app;
}

/** A vote of `operator` (signed in on `app`): Company beat Base on `company`'s question. */
async function vote(app: TestApp, operator: TeamOperator): Promise<string> {
  const base = makeEntry({ userId: operator.id, companySlug: company, tier: 'base', modelVersion: 'qwen' });
  const tuned = makeEntry({ userId: operator.id, companySlug: company, tier: 'company', requestedTier: 'company', provider: 'huggingface', modelVersion: 'team-v1' });
  await app.store.requests.recordMany([base, tuned]);
  const saved = await app.store.preferences.save({ userId: operator.id, prompt: 'Which?', requestIds: [base.id, tuned.id], verdict: 'winner', winnerRequestId: tuned.id });
  return saved.id;
}

describe('the leaderboard in team mode', () => {
  it("rates each reader's visible votes, and an analyst's offline votes from the local copy", async () => {
    const [analystApp, colleagueApp, adminApp] = [await appFor(analyst), await appFor(colleague), await appFor(admin)];
    const online = await vote(analystApp, analyst);
    await vote(colleagueApp, colleague);
    await synced(analystApp);
    await synced(colleagueApp);

    await stack.pause();
    const offline = await vote(analystApp, analyst);
    const whileOffline = await analystApp.store.preferences.listVotes({ company });
    expect(whileOffline.map((v) => v.id)).toEqual([online, offline]);
    const board = await leaderboardFromStore(analystApp.store.preferences, { company });
    expect(board.entries.map((e) => [e.model, e.votes])).toEqual([
      ['company@team-v1', 2],
      ['base@qwen', 2],
    ]);
    await stack.resume();
    await synced(analystApp);

    // Row-level security: an analyst reads their own votes, an admin everyone's.
    expect((await leaderboardFromStore(analystApp.store.preferences, { company })).ratedVotes).toBe(2);
    expect((await leaderboardFromStore(colleagueApp.store.preferences, { company })).ratedVotes).toBe(1);
    const everyone = await leaderboardFromStore(adminApp.store.preferences, { company });
    expect([everyone.totalVotes, everyone.ratedVotes]).toEqual([3, 3]);
    expect(everyone.entries.map((e) => [e.model, e.wins, e.losses])).toEqual([
      ['company@team-v1', 3, 0],
      ['base@qwen', 0, 3],
    ]);
  }, 180_000);
});
