import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VersionFeedback } from '../../../src-shared/deploy-contract';
import { TIER_LABELS } from '../../common/tier-labels';
import { shortVersion } from './deployments-store';

const label = (v: VersionFeedback) => `${TIER_LABELS[v.tier]} · ${shortVersion(v.modelVersion)}`;

/** Mean stars with how many gave them: `4.5 ★ (2)`, or a dash. */
export function formatRating(v: Pick<VersionFeedback, 'meanRating' | 'ratings'>): string {
  return v.meanRating === null ? '—' : `${v.meanRating.toFixed(1)} ★ (${v.ratings})`;
}

/** Per tier and version, what operators said over the last 24 hours: thumbs, stars, and Compare wins / losses / ties. */
export function VersionFeedbackTable({ versions }: { versions: readonly VersionFeedback[] }) {
  return (
    <table className="deploy-history" data-testid="version-feedback">
      <thead>
        <tr>
          <th scope="col">Tier</th>
          <th scope="col">Version</th>
          <th scope="col">Thumbs up</th>
          <th scope="col">Thumbs down</th>
          <th scope="col">Stars</th>
          <th scope="col">Compare won</th>
          <th scope="col">lost</th>
          <th scope="col">tied</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={`${v.tier}-${v.modelVersion}`} data-testid="version-feedback-row">
            <td>{TIER_LABELS[v.tier]}</td>
            <td className="deploy-version" title={v.modelVersion}>
              {shortVersion(v.modelVersion)}
            </td>
            <td>{v.thumbsUp}</td>
            <td>{v.thumbsDown}</td>
            <td>{formatRating(v)}</td>
            <td>{v.compareWins}</td>
            <td>{v.compareLosses}</td>
            <td>{v.compareTies}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The same as bars per version: thumbs stacked up and down, Compare outcomes stacked beside them. */
export function VersionFeedbackChart({ versions }: { versions: readonly VersionFeedback[] }) {
  const data = versions.map((v) => ({ label: label(v), up: v.thumbsUp, down: v.thumbsDown, won: v.compareWins, lost: v.compareLosses, tied: v.compareTies, stars: formatRating(v) }));
  return (
    <div className="deploy-chart" data-testid="feedback-chart">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 12 }} width={40} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="up" name="thumbs up" stackId="thumbs" fill="#16a34a" isAnimationActive={false} />
          <Bar dataKey="down" name="thumbs down" stackId="thumbs" fill="#dc2626" isAnimationActive={false} />
          <Bar dataKey="won" name="Compare won" stackId="compare" fill="#2563eb" isAnimationActive={false} />
          <Bar dataKey="lost" name="Compare lost" stackId="compare" fill="#d97706" isAnimationActive={false} />
          <Bar dataKey="tied" name="Compare tied" stackId="compare" fill="#9ca3af" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
