/** The leaderboard's channels (issue 8 §2): Bradley–Terry ratings from Compare votes. */
export const LEADERBOARD_CHANNELS = {} as const;
