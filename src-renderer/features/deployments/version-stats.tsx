import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PROVIDER_LABELS, TIER_LABELS } from '../../common/tier-labels';
import { formatDuration } from './deploy-format';
import { shortVersion } from './deployments-store';
import { useDeployments } from './use-deployments';
import { VersionFeedbackChart, VersionFeedbackTable } from './version-feedback';

const ms = (value: number | null) => (value === null ? '—' : value < 1000 ? `${Math.round(value)} ms` : formatDuration(value));

/** Per tier and model version, the last 24 hours: requests, errors, p50 / p95 latency from the request log, and feedback. */
export function VersionStats() {
  const stats = useDeployments((s) => s.requestStats);
  const error = useDeployments((s) => s.requestStatsError);
  const rows = stats?.versions ?? [];
  const feedback = stats?.feedback ?? [];
  const data = rows.map((v) => ({ label: `${TIER_LABELS[v.tier]} · ${shortVersion(v.modelVersion)}`, p50: v.p50LatencyMs, p95: v.p95LatencyMs }));
  return (
    <section className="deploy-panel" aria-label="Last 24 hours per version">
      <h2>Last 24 hours per version</h2>
      {error && <p className="inline-error">Could not read the request log: {error}</p>}
      {stats?.truncated && <p className="muted">Counted from the newest requests only: the day held more than the dashboard reads.</p>}
      {stats && rows.length === 0 && <p className="muted">No requests in the last 24 hours.</p>}
      {rows.length > 0 && (
        <table className="deploy-history" data-testid="version-stats">
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Version</th>
              <th scope="col">Provider</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={`${v.tier}-${v.provider ?? ''}-${v.modelVersion}`} data-testid="version-stats-row">
                <td>{TIER_LABELS[v.tier]}</td>
                <td className="deploy-version" title={v.modelVersion}>
                  {shortVersion(v.modelVersion)}
                </td>
                <td>{v.provider ? PROVIDER_LABELS[v.provider] : '—'}</td>
                <td>{v.requests}</td>
                <td>{v.errors}</td>
                <td>{ms(v.p50LatencyMs)}</td>
                <td>{ms(v.p95LatencyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {stats?.feedbackError && <p className="inline-error">{stats.feedbackError}</p>}
      {stats && !stats.feedbackError && feedback.length === 0 && <p className="muted">No feedback or Compare votes in the last 24 hours.</p>}
      {feedback.length > 0 && <VersionFeedbackTable versions={feedback} />}
      {(rows.length > 0 || feedback.length > 0) && (
        <div className="deploy-charts">
          {rows.length > 0 && (
            <div className="deploy-chart" data-testid="latency-chart">
              <ResponsiveContainer width="100%" height={200}>
                <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
                  <XAxis dataKey="label" tick={{ fontSize: 11 }} />
                  <YAxis tick={{ fontSize: 12 }} width={56} unit=" ms" />
                  <Tooltip formatter={(value) => (typeof value === 'number' ? ms(value) : String(value))} />
                  <Legend />
                  <Bar dataKey="p50" name="p50 latency" fill="#2563eb" isAnimationActive={false} />
                  <Bar dataKey="p95" name="p95 latency" fill="#d97706" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
          {feedback.length > 0 && <VersionFeedbackChart versions={feedback} />}
        </div>
      )}
    </section>
  );
}
