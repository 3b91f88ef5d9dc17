import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Leaderboard } from '../../../src-shared/leaderboard-contract';
import { modelLabel, seriesColour } from './model-name';

const DATE = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * The ratings at the end of each day or week, one line per model (in board order, so the colours match the
 * table's order). A point is the fit on every vote cast before it.
 */
export function RatingsChart({ history, models }: { history: Leaderboard['history']; models: string[] }) {
  // Each point is labelled with the day it closes, not the midnight after it.
  const data = history.points.map((point) => ({
    label: DATE.format(new Date(new Date(point.at).getTime() - 1)),
    votes: point.votes,
    ...point.ratings,
  }));
  return (
    <div className="ratings-chart" data-testid="ratings-chart">
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis domain={['auto', 'auto']} tick={{ fontSize: 12 }} width={48} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(0) : String(value))} />
          <Legend formatter={(value: string) => modelLabel(value)} />
          {models.map((model, i) => (
            <Line key={model} dataKey={model} name={model} stroke={seriesColour(i)} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
