/** The Leaderboard page (being built: issue 8). */
export function LeaderboardView() {
  return <section className="page-placeholder">Leaderboard</section>;
}
