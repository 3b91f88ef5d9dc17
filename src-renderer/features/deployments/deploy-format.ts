import type { DeployStepView } from '../../../src-shared/deploy-contract';

/** How the page names each step of a deploy. */
export const STEP_LABELS: Record<string, string> = {
  check: 'Check the request',
  gate: 'Evaluation gate',
  create_space: 'Create or find the Space',
  commit: 'Commit the Space template',
  variables: 'Set variables',
  secrets: 'Set secrets',
  hardware: 'Request hardware and sleep time',
  restart: 'Restart the Space',
  build: 'Build and start',
  health_check: 'Health check (a real chat)',
  activate: 'Activate',
  rollback: 'Roll back to the previous version',
};

/** A step's status as a symbol (drawn as text, so no emoji font is needed) and its words. */
export const STEP_STATUS: Record<DeployStepView['status'], { symbol: string; label: string }> = {
  pending: { symbol: '○', label: 'pending' },
  running: { symbol: '◐', label: 'running' },
  done: { symbol: '✓', label: 'done' },
  failed: { symbol: '✗', label: 'failed' },
  skipped: { symbol: '–', label: 'skipped' },
};

/** A deployment status in the words the page shows, and the badge's tone. */
export function deploymentStatusLabel(status: string): { label: string; tone: 'active' | 'good' | 'bad' | 'warn' } {
  if (status === 'running') return { label: 'running', tone: 'active' };
  if (status === 'succeeded') return { label: 'succeeded', tone: 'good' };
  if (status === 'rolled_back') return { label: 'rolled back', tone: 'warn' };
  if (status === 'failed') return { label: 'failed', tone: 'bad' };
  return { label: status, tone: 'warn' };
}

/** `1.2 s`, `3 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** `$0.03/h`, `free`; `price unknown` without a price. */
export function formatPricePerHour(usdPerHour: number | null): string {
  if (usdPerHour === null) return 'price unknown';
  if (usdPerHour === 0) return 'free';
  return `$${usdPerHour.toFixed(2)}/h`;
}

/** `1 h`, `15 min`, `90 s`; the Hub's default when unset. */
export function formatSleepTime(seconds: number | null): string {
  if (seconds === null) return 'Hub default';
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const formatDateTime = (iso: string | number) => DATE_TIME.format(new Date(iso));
