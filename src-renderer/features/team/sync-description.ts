import type { SyncStatus } from '../../../src-shared/ipc-contract';

/** How the sync state reads in the status bar and Settings. */
export interface SyncDescription {
  /** The short text, e.g. "Offline · 3 waiting". */
  label: string;
  /** The longer explanation, shown on hover. */
  detail: string;
  tone: 'ok' | 'busy' | 'warn' | 'muted';
}

/** A moment as the status bar shows it: the time today, the date and time before. */
export function formatMoment(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
}

const waiting = (pending: number) => `${pending} waiting`;

/** Describes the sync state; null in embedded mode, where there is nothing to sync. */
export function describeSync(sync: SyncStatus, format: (iso: string) => string = formatMoment): SyncDescription | null {
  const lastSuccess = sync.lastSuccessAt ? `last synced ${format(sync.lastSuccessAt)}` : 'nothing synced yet';
  switch (sync.state) {
    case 'embedded':
      return null;
    case 'online':
      return sync.pending === 0
        ? { label: 'Synced', detail: `Synced with the team project: ${lastSuccess}`, tone: 'ok' }
        : { label: `Syncing · ${waiting(sync.pending)}`, detail: `Sending ${sync.pending} waiting writes to the team project; ${lastSuccess}`, tone: 'busy' };
    case 'offline':
      return {
        label: `Offline · ${waiting(sync.pending)}`,
        detail: [sync.lastError ?? 'The team project cannot be reached', `Writes wait on this computer and are sent when it is back; ${lastSuccess}`].join('\n'),
        tone: 'warn',
      };
    case 'signed-out':
      return {
        label: 'Signed out',
        detail: [sync.lastError, `Sign in under Settings → Team to use the team project${sync.pending > 0 ? ` and send ${sync.pending} waiting writes` : ''}`]
          .filter((line) => line !== null)
          .join('\n'),
        tone: 'muted',
      };
  }
}
