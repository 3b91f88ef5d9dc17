import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrainingMetricSample, TrainingRunView } from '../../../src-shared/training-contract';
import { formatTime } from './training-format';

/** Training (and, when the script reports it, eval) loss over the steps. */
export function LossChart({ progress }: { progress: TrainingRunView['progress'] }) {
  const hasEval = progress.some((p) => p.evalLoss !== null);
  return (
    <div className="training-chart" data-testid="loss-chart">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={progress} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 12 }} />
          <YAxis domain={['auto', 'auto']} tick={{ fontSize: 12 }} width={48} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : String(value))} labelFormatter={(step) => `step ${String(step)}`} />
          <Legend />
          <Line dataKey="loss" name="train loss" stroke="#2563eb" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls />
          {hasEval && <Line dataKey="evalLoss" name="eval loss" stroke="#d97706" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls />}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** GPU utilisation (and CPU) of the running job, from the Hub's metrics stream. */
export function GpuChart({ samples }: { samples: TrainingMetricSample[] }) {
  const data = samples.map((s) => ({ ...s, time: formatTime(s.at) }));
  return (
    <div className="training-chart" data-testid="gpu-chart">
      <ResponsiveContainer width="100%" height={160}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis dataKey="time" tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} width={40} unit="%" />
          <Tooltip formatter={(value) => (typeof value === 'number' ? `${value.toFixed(0)}%` : String(value))} />
          <Legend />
          <Line dataKey="gpuPercent" name="GPU" stroke="#16a34a" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          <Line dataKey="cpuPercent" name="CPU" stroke="#9ca3af" strokeWidth={1} dot={false} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
