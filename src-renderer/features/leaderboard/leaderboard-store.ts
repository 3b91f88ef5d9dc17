import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelOutput } from '../../../src-shared/ipc-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** What the Leaderboard page shows: the ratings, win matrix and history, and the companies to filter by. */
export type LeaderboardData = ChannelOutput<'leaderboard.get'>;

export interface LeaderboardState {
  /** The company filter; null for every vote. */
  company: string | null;
  board: LeaderboardData | null;
  loading: boolean;
  error: string | null;
  /** Fetches the leaderboard for the current filter. */
  load(): Promise<void>;
  setCompany(company: string | null): Promise<void>;
}

export type LeaderboardStore = StoreApi<LeaderboardState>;

export function createLeaderboardStore(client: TriadClient): LeaderboardStore {
  // A slower answer for an earlier filter must not replace the answer for the filter now chosen.
  let latest = 0;
  return createStore<LeaderboardState>((set, get) => ({
    company: null,
    board: null,
    loading: false,
    error: null,
    async load() {
      const call = ++latest;
      const company = get().company;
      set({ loading: true, error: null });
      try {
        const board = await client.call('leaderboard.get', { company });
        if (call === latest) set({ board, loading: false });
      } catch (error) {
        if (call === latest) set({ loading: false, error: toShownError(error).message });
      }
    },
    async setCompany(company) {
      set({ company });
      await get().load();
    },
  }));
}
