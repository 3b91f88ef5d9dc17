import type { LeaderboardEntry } from '../../../src-shared/leaderboard-contract';
import { splitModel } from './model-name';

/** The models best first: rank, model, rating, its 95% interval drawn on one shared scale, votes. */
export function RatingsTable({ entries, preliminaryBelow }: { entries: LeaderboardEntry[]; preliminaryBelow: number }) {
  const low = Math.min(...entries.map((e) => e.ci[0]));
  const high = Math.max(...entries.map((e) => e.ci[1]));
  const span = Math.max(high - low, 1);
  const at = (rating: number) => `${(((rating - low) / span) * 100).toFixed(2)}%`;
  return (
    <table className="ratings-table" aria-label="Ratings">
      <thead>
        <tr>
          <th scope="col">Rank</th>
          <th scope="col">Model</th>
          <th scope="col" className="is-number">
            Rating
          </th>
          <th scope="col">95% interval</th>
          <th scope="col" className="is-number">
            Votes
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const { tier, version } = splitModel(entry.model);
          const [lo, hi] = entry.ci;
          return (
            <tr key={entry.model} data-model={entry.model}>
              <td className="ratings-rank">{entry.rank}</td>
              <td>
                <span className="ratings-model">
                  {tier && <span className={`tier-tag tier-${tier}`}>{tier}</span>}
                  <span className="ratings-version">{version}</span>
                  {entry.preliminary && (
                    <span className="preliminary-badge" title={`Fewer than ${preliminaryBelow} votes: the rating may still move a lot`}>
                      preliminary
                    </span>
                  )}
                </span>
              </td>
              <td className="is-number ratings-value">{entry.rating.toFixed(0)}</td>
              <td>
                <div className="interval" role="img" aria-label={`95% interval ${lo.toFixed(0)} to ${hi.toFixed(0)}`} title={`${lo.toFixed(1)} – ${hi.toFixed(1)}`}>
                  <span className="interval-bar" style={{ left: at(lo), width: `calc(${at(hi)} - ${at(lo)})` }} />
                  <span className="interval-point" style={{ left: at(entry.rating) }} />
                </div>
                <span className="interval-text">
                  {lo.toFixed(0)} – {hi.toFixed(0)}
                </span>
              </td>
              <td className="is-number">{entry.votes}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
