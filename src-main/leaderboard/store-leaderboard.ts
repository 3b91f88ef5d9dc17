import type { Leaderboard } from '../../src-shared/leaderboard-contract';
import type { PreferenceRepository } from '../store/repositories';
import { buildLeaderboardInSlices, type LeaderboardOptions } from './leaderboard';
import { ratedVotesFrom } from './rated-vote';

/**
 * The leaderboard of the store's Compare votes (every vote the reader may see, or one company's): what the
 * Leaderboard page and `triad leaderboard` show.
 */
export async function leaderboardFromStore(
  preferences: PreferenceRepository,
  options: Omit<LeaderboardOptions, 'unrated'> & { company?: string | null } = {},
): Promise<Leaderboard> {
  const company = options.company ?? undefined;
  const stored = await preferences.listVotes(company === undefined ? {} : { company });
  const { votes, unrated } = ratedVotesFrom(stored);
  return buildLeaderboardInSlices(votes, { ...options, company: company ?? null, unrated });
}
