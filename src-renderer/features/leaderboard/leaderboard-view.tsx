import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { RatingsChart } from './ratings-chart';
import { RatingsTable } from './ratings-table';
import { useLeaderboard } from './use-leaderboard';
import { WinMatrixGrid } from './win-matrix';
import '../../common/page.css';
import './leaderboard.css';

/**
 * The Leaderboard: Bradley–Terry ratings of each tier @ model version from Compare votes, overall or for one
 * company, with their intervals, the win matrix and the ratings over time.
 */
export function LeaderboardView() {
  const { board, company, loading, error, load, setCompany } = useLeaderboard(
    useShallow((state) => ({ board: state.board, company: state.company, loading: state.loading, error: state.error, load: state.load, setCompany: state.setCompany })),
  );

  // Fresh on every visit: votes cast in Compare since change it.
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page-view" data-testid="leaderboard-view">
      <header className="leaderboard-header">
        <div>
          <h1>Leaderboard</h1>
          <p className="muted">Bradley–Terry ratings from Compare votes, with bootstrap 95% intervals. Models whose intervals overlap share a rank.</p>
        </div>
        <label className="leaderboard-filter">
          <span className="field-label">Votes of</span>
          <select aria-label="Company filter" value={company ?? ''} onChange={(event) => void setCompany(event.target.value || null)}>
            <option value="">Every company</option>
            {board?.companies.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
      </header>

      {loading && (
        <p className="leaderboard-progress" role="status">
          <span className="spinner" aria-hidden="true" /> Fitting ratings and resampling votes…
        </p>
      )}
      {error && (
        <p className="inline-error" role="alert">
          The leaderboard could not be computed: {error}
        </p>
      )}

      {board && (
        <>
          {board.notice && <p className="notice">{board.notice}</p>}
          {board.entries.length > 0 && (
            <>
              <section className="leaderboard-card" aria-label="Ratings">
                <RatingsTable entries={board.entries} preliminaryBelow={board.method.preliminaryBelow} />
                <p className="leaderboard-footnote">
                  {board.ratedVotes} of {board.totalVotes} votes rated · rating = 400·log10(strength) + 1000, the models' mean at 1000 ·{' '}
                  {board.method.bothBad === 'tie' ? 'a tie or an “all bad” vote counts' : 'a tie counts'} half a win each way · {board.method.resamples} resamples, seed {board.method.seed}
                </p>
              </section>
              <div className="leaderboard-grid">
                <section className="leaderboard-card" aria-label="Ratings over time">
                  <h2>Ratings over time</h2>
                  {board.history.points.length > 0 ? (
                    <RatingsChart history={board.history} models={board.entries.map((e) => e.model)} />
                  ) : (
                    <p className="muted">No dated votes to plot.</p>
                  )}
                  <p className="leaderboard-footnote">Each point: the fit on every vote cast by the end of that {board.history.step}.</p>
                </section>
                <section className="leaderboard-card" aria-label="Win matrix">
                  <h2>Win matrix</h2>
                  <WinMatrixGrid matrix={board.winMatrix} />
                  <p className="leaderboard-footnote">Share of the pairs the row model won against the column model; the small number is how many pairs.</p>
                </section>
              </div>
            </>
          )}
        </>
      )}
    </div>
  );
}
