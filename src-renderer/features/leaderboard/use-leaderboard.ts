import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { LeaderboardState } from './leaderboard-store';

/** The leaderboard slice; the selector must return a stable value (see app/store-hooks.ts). */
export const useLeaderboard = <T>(selector: (state: LeaderboardState) => T): T => useStore(useStores().leaderboard, selector);
