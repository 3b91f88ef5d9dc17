import type { EvaluationStatus } from '../../../src-shared/evaluation-contract';

/** A status in the words the page shows, and the badge's tone. */
export const STATUS_LABELS: Record<EvaluationStatus, { label: string; tone: 'pending' | 'active' | 'good' | 'bad' }> = {
  generating: { label: 'answering', tone: 'active' },
  judging: { label: 'judging', tone: 'pending' },
  completed: { label: 'completed', tone: 'good' },
  failed: { label: 'failed', tone: 'bad' },
  cancelled: { label: 'cancelled', tone: 'bad' },
};

/** `62%`, or a dash when unknown. */
export const formatPercent = (share: number | null | undefined) => (share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`);

/** `62% (48–75%)`: a win rate with its 95% interval. */
export function formatWinRate(winRate: number | null, interval: { low: number; high: number } | null): string {
  if (winRate === null) return 'no verdicts yet';
  return interval ? `${formatPercent(winRate)} (${formatPercent(interval.low)}–${formatPercent(interval.high)})` : formatPercent(winRate);
}

/** `850 ms`, `2.4 s`, or a dash. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `owner/name@0123456` from `owner/name@<40 hex>`; other names as they are. */
export function shortVersion(version: string): string {
  const at = version.lastIndexOf('@');
  return at !== -1 && /^[0-9a-f]{40}$/.test(version.slice(at + 1)) ? version.slice(0, at + 8) : version;
}
