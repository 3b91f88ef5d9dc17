import type { TrainingStageName } from '../../../src-shared/training-contract';

/** A stage in the words the page shows, and the badge's tone. */
export const STAGE_LABELS: Record<TrainingStageName, { label: string; tone: 'pending' | 'active' | 'good' | 'bad' }> = {
  launching: { label: 'launching', tone: 'pending' },
  SCHEDULING: { label: 'scheduling', tone: 'pending' },
  RUNNING: { label: 'running', tone: 'active' },
  COMPLETED: { label: 'completed', tone: 'active' },
  CANCELED: { label: 'cancelled', tone: 'bad' },
  ERROR: { label: 'error', tone: 'bad' },
  DELETED: { label: 'deleted', tone: 'bad' },
  registered: { label: 'registered', tone: 'good' },
  failed: { label: 'failed', tone: 'bad' },
};

/** `1 h 02 min`, `4 min 05 s`, `12 s`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Dollars with cents, or with more digits below a cent (a run of seconds costs fractions of one). */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd > 0 && usd < 0.01 ? 4 : 2)}`;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatTime = (iso: string) => TIME.format(new Date(iso));
