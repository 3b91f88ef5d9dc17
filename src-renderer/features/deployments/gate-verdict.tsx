import type { GateVerdict } from '../../../src-shared/deploy-contract';

const GATE_BADGES: Record<GateVerdict['status'], { label: string; tone: string }> = {
  passed: { label: 'gate passed', tone: 'good' },
  failed: { label: 'gate failed', tone: 'bad' },
  missing: { label: 'no evaluation', tone: 'warn' },
};

const WIDTH = 240;
const x = (share: number) => 4 + share * (WIDTH - 8);

/**
 * The evaluation's win rate and 95% interval on a 0–100% line, with the gate's two thresholds marked: whether the
 * interval clears the lower-bound line and the dot the win-rate line is seen at a glance.
 */
function IntervalPlot({ verdict }: { verdict: GateVerdict }) {
  const { winRate, intervalLow, intervalHigh, thresholds } = verdict;
  if (winRate === null) return null;
  const label = `win rate ${Math.round(winRate * 100)}%${intervalLow !== null && intervalHigh !== null ? `, 95% interval ${Math.round(intervalLow * 100)}–${Math.round(intervalHigh * 100)}%` : ''}; needs ${Math.round(thresholds.minWinRate * 100)}% and a lower bound of ${Math.round(thresholds.minIntervalLow * 100)}%`;
  return (
    <svg className="deploy-gate-plot" width={WIDTH} height={26} role="img" aria-label={label} data-testid="gate-plot">
      <line x1={x(0)} x2={x(1)} y1={13} y2={13} stroke="#d1d5db" strokeWidth={2} />
      {intervalLow !== null && intervalHigh !== null && <rect x={x(intervalLow)} width={Math.max(1, x(intervalHigh) - x(intervalLow))} y={8} height={10} rx={3} fill="#bfdbfe" />}
      <line x1={x(thresholds.minIntervalLow)} x2={x(thresholds.minIntervalLow)} y1={3} y2={23} stroke="#d97706" strokeDasharray="3 2" />
      <line x1={x(thresholds.minWinRate)} x2={x(thresholds.minWinRate)} y1={3} y2={23} stroke="#374151" strokeDasharray="3 2" />
      <circle cx={x(winRate)} cy={13} r={4} fill={verdict.status === 'passed' ? '#16a34a' : '#dc2626'} />
    </svg>
  );
}

/** The deploy gate's verdict on a version for a tier: the outcome, the numbers (text and plot) and what to do. */
export function GateVerdictNote({ verdict, advice = true }: { verdict: GateVerdict; advice?: boolean }) {
  const badge = GATE_BADGES[verdict.status];
  return (
    <div className="deploy-gate" data-testid="gate-verdict" data-gate={verdict.status} data-evaluation-run={verdict.evaluationRunId ?? undefined}>
      <span className={`deploy-badge deploy-badge-${badge.tone}`}>{badge.label}</span>
      <span className="deploy-gate-message">{verdict.message}</span>
      <IntervalPlot verdict={verdict} />
      {advice && verdict.advice && <span className="muted">To promote it: {verdict.advice}.</span>}
    </div>
  );
}
