import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTriadApi, type TriadApi } from '../../src-main/api/triad-api';
import type { Caller } from '../../src-main/api/api-context';
import type { Leaderboard } from '../../src-shared/leaderboard-contract';
import { createTestApp, type TestApp } from '../support/test-app';
import { makeEntry } from '../store/support';

let app: TestApp;
let api: TriadApi;
const caller: Caller = { clientId: randomUUID(), emit: () => undefined };
const slug = `lb-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  app = await createTestApp();
  api = createTriadApi(app, { userId: app.localOperator.id, broadcast: () => undefined });
  await app.store.directory.createCompany({ slug, name: 'Leaderboard Co' });
  await app.store.directory.grantCompanyAccess(app.localOperator.id, slug);
});
afterAll(async () => {
  api.close();
  await app.close();
});

/** A Compare vote between Base and Company on `company`'s requests, logged through the app's request-log writer. */
async function castVote(company: string | null, winner: 'base' | 'company' | 'tie'): Promise<void> {
  const userId = app.localOperator.id;
  const base = makeEntry({ userId, companySlug: company, tier: 'base', modelVersion: 'qwen' });
  const tuned = makeEntry({ userId, companySlug: company, tier: 'company', modelVersion: 'lb-v1' });
  // Not flushed: the handler must see requests still waiting in the writer's batch.
  app.requestLog.record(base);
  app.requestLog.record(tuned);
  await app.store.preferences.save({
    userId, prompt: 'Which?', requestIds: [base.id, tuned.id], verdict: winner === 'tie' ? 'tie' : 'winner',
    winnerRequestId: winner === 'base' ? base.id : winner === 'company' ? tuned.id : null,
  });
}

describe('leaderboard.get', () => {
  it("rates the store's votes, overall and for one of the operator's companies", async () => {
    for (let k = 0; k < 6; k++) await castVote(slug, k < 5 ? 'company' : 'tie');
    await castVote(null, 'base');
    const all = await api.call('leaderboard.get', {}, caller);
    expect(all.ok).toBe(true);
    const board = (all as { value: Leaderboard & { companies: Array<{ slug: string }> } }).value;
    expect(board).toMatchObject({ company: null, totalVotes: 7, ratedVotes: 7 });
    expect(board.entries.map((e) => [e.model, e.votes, e.preliminary])).toEqual([
      ['company@lb-v1', 7, true],
      ['base@qwen', 7, true],
    ]);
    expect(board.companies.map((c) => c.slug)).toContain(slug);

    const one = await api.call('leaderboard.get', { company: slug }, caller);
    expect((one as { value: Leaderboard }).value).toMatchObject({ company: slug, totalVotes: 6, entries: [{ model: 'company@lb-v1', wins: 5.5, losses: 0.5 }, { model: 'base@qwen' }] });
  });

  it("refuses a company the operator may not see, and a malformed one, saying which", async () => {
    const hidden = `hidden-${randomUUID().slice(0, 6)}`;
    await app.store.directory.createCompany({ slug: hidden, name: 'Hidden Co' });
    expect(await api.call('leaderboard.get', { company: hidden }, caller)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'forbidden', message: expect.stringContaining(`company '${hidden}': not one of your companies`) }),
    });
    const malformed = await api.call('leaderboard.get', { company: 'Not A Slug' }, caller);
    expect(malformed).toEqual({ ok: false, error: expect.objectContaining({ code: 'validation_failed', message: expect.stringContaining('company') }) });
  });
});
