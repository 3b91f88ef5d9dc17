import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { TIERS } from '../../../src-shared/domain';
import { TIER_LABELS } from '../../common/tier-labels';
import { deploymentStatusLabel, formatDateTime } from './deploy-format';
import { timelinePoints, type TimelinePoint } from './deployments-store';
import { useDeployments } from './use-deployments';

/** Marker colour and shape per outcome; a rollback is drawn as a diamond whatever its outcome. */
const SERIES: Array<{ status: string; colour: string }> = [
  { status: 'succeeded', colour: '#16a34a' },
  { status: 'failed', colour: '#dc2626' },
  { status: 'rolled_back', colour: '#d97706' },
  { status: 'running', colour: '#2563eb' },
];

const TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

function PointTooltip({ active, payload }: { active?: boolean; payload?: Array<{ payload: TimelinePoint }> }) {
  const point = active ? payload?.[0]?.payload : undefined;
  if (!point) return null;
  return (
    <div className="deploy-tooltip">
      <strong>{point.version}</strong>
      <div>
        {TIER_LABELS[point.tier]} {point.target} · {point.kind} · {deploymentStatusLabel(point.status).label}
      </div>
      <div className="muted">{formatDateTime(point.at)}</div>
    </div>
  );
}

/** Deployments over time, one row per tier, a marker per deploy or rollback coloured by how it ended. */
export function DeployTimeline() {
  const deployments = useDeployments((s) => s.deployments);
  const points = timelinePoints(deployments);
  if (points.length === 0) return null;
  return (
    <section className="deploy-panel" aria-label="Deployments over time">
      <h2>Deployments over time</h2>
      <div className="deploy-chart" data-testid="deploy-timeline">
        <ResponsiveContainer width="100%" height={200}>
          <ScatterChart margin={{ top: 8, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
            <XAxis dataKey="at" type="number" domain={['dataMin - 60000', 'dataMax + 60000']} tickFormatter={(at: number) => TIME.format(new Date(at))} tick={{ fontSize: 12 }} />
            <YAxis dataKey="row" type="number" domain={[-0.5, TIERS.length - 0.5]} ticks={TIERS.map((_, i) => i)} tickFormatter={(row: number) => TIER_LABELS[TIERS[row]!] ?? ''} tick={{ fontSize: 12 }} width={90} />
            <Tooltip content={<PointTooltip />} />
            <Legend formatter={(status: string) => deploymentStatusLabel(status).label} />
            {SERIES.map(({ status, colour }) => {
              const data = points.filter((p) => p.status === status);
              return data.length === 0 ? null : <Scatter key={status} name={status} data={data} fill={colour} isAnimationActive={false} shape={(props: { cx?: number; cy?: number; payload?: TimelinePoint }) => marker(props, colour)} />;
            })}
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

function marker({ cx = 0, cy = 0, payload }: { cx?: number; cy?: number; payload?: TimelinePoint }, colour: string) {
  if (payload?.kind === 'rollback') return <path className="deploy-marker" data-status={payload.status} d={`M${cx},${cy - 7}L${cx + 7},${cy}L${cx},${cy + 7}L${cx - 7},${cy}Z`} fill={colour} />;
  return <circle className="deploy-marker" data-status={payload?.status} cx={cx} cy={cy} r={6} fill={colour} />;
}
