import { CartesianGrid, ErrorBar, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvaluationTally } from '../../../src-shared/evaluation-contract';

/** One row of the plot: a label, and its tally. */
export interface WinRateRow {
  label: string;
  tally: EvaluationTally;
}

/**
 * The candidate's win rate against the serving version, one row per group (all prompts, then each company): a
 * point with its 95% interval as a bar, and the 50% line where the two are equally good. A row without verdicts
 * has nothing to draw and is left out.
 */
export function WinRateChart({ rows }: { rows: WinRateRow[] }) {
  const data = rows
    .filter((row) => row.tally.winRate !== null)
    .map((row) => {
      const rate = row.tally.winRate! * 100;
      const low = (row.tally.interval?.low ?? row.tally.winRate!) * 100;
      const high = (row.tally.interval?.high ?? row.tally.winRate!) * 100;
      return { label: row.label, winRate: rate, interval: [rate - low, high - rate], low, high, judged: row.tally.judged };
    });
  if (data.length === 0) return <p className="muted">No verdicts yet: the plot appears with the first one.</p>;
  return (
    <div className="evaluation-chart" data-testid="win-rate-chart" role="img" aria-label="Win rate with 95% intervals">
      <ResponsiveContainer width="100%" height={68 + data.length * 40}>
        <ScatterChart margin={{ top: 20, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis type="number" dataKey="winRate" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 12 }} allowDuplicatedCategory={false} reversed />
          <ReferenceLine x={50} stroke="#6b7280" strokeDasharray="4 3" label={{ value: '50%: as good as serving', position: 'top', fontSize: 11, fill: '#6b7280' }} />
          <Tooltip
            cursor={false}
            content={({ payload }) => {
              const point = payload?.[0]?.payload as (typeof data)[number] | undefined;
              if (!point) return null;
              return (
                <div className="evaluation-tooltip">
                  {point.label}: {point.winRate.toFixed(0)}% (95% interval {point.low.toFixed(0)}–{point.high.toFixed(0)}%) over {point.judged} verdict{point.judged === 1 ? '' : 's'}
                </div>
              );
            }}
          />
          <Scatter data={data} fill="#2563eb" isAnimationActive={false}>
            <ErrorBar dataKey="interval" direction="x" width={8} strokeWidth={2} stroke="#2563eb" isAnimationActive={false} />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
