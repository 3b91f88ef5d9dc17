import { describe, expect, it } from 'vitest';
import { buildLeaderboard } from '../../src-main/leaderboard/leaderboard';
import { createLeaderboardStore, type LeaderboardData } from '../../src-renderer/features/leaderboard/leaderboard-store';
import { FakeTriadClient } from '../renderer/support/fake-triad-client';
import { times, vote } from './simulated-votes';

/** What the main process would answer for `company`: a real leaderboard of a few votes. */
function answerFor(company: string | null): LeaderboardData {
  const winner = company === 'beta' ? 'b' : 'a';
  return { ...buildLeaderboard(times(3, () => vote('company@v1', 'base@v1', winner)), { company }), companies: [{ slug: 'beta', name: 'Beta' }] };
}

describe('the leaderboard store', () => {
  it('shows the answer for the company chosen last, even when an earlier answer arrives after it', async () => {
    const pending: Array<{ company: string | null; release: () => void }> = [];
    const client = new FakeTriadClient().handle('leaderboard.get', (input) => {
      const company = input.company ?? null;
      return new Promise<LeaderboardData>((resolve) => pending.push({ company, release: () => resolve(answerFor(company)) }));
    });
    const store = createLeaderboardStore(client);
    const first = store.getState().load();
    const second = store.getState().setCompany('beta');
    expect(store.getState().loading).toBe(true);
    pending[1]!.release();
    await second;
    pending[0]!.release();
    await first;
    expect(store.getState()).toMatchObject({ company: 'beta', loading: false, error: null });
    expect(store.getState().board?.company).toBe('beta');
    expect(store.getState().board?.entries[0]?.model).toBe('base@v1');
    expect(client.callsTo('leaderboard.get')).toEqual([{ company: null }, { company: 'beta' }]);
  });

  it("shows the main process's refusal in its own words", async () => {
    const client = new FakeTriadClient().refuse('leaderboard.get', { code: 'forbidden', message: "company 'beta': not one of your companies" });
    const store = createLeaderboardStore(client);
    await store.getState().setCompany('beta');
    expect(store.getState()).toMatchObject({ loading: false, error: "company 'beta': not one of your companies" });
  });
});
