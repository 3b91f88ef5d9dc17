import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StatusView } from '../../../src-shared/ipc-contract';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

export interface StatusState {
  view: StatusView | null;
  error: string | null;
  /** Reads the status once and follows `status.changed`; returns the function that stops following. */
  follow(): () => void;
  /** Reads the status again (after a change the main process does not announce, such as a flag). */
  refresh(): Promise<void>;
}

export type StatusStore = StoreApi<StatusState>;

export function createStatusStore(client: TriadClient): StatusStore {
  return createStore<StatusState>()((set) => ({
    view: null,
    error: null,
    follow: () => {
      let changedSinceRead = false;
      const unsubscribe = client.on('status.changed', (view) => {
        changedSinceRead = true;
        set({ view, error: null });
      });
      client.call('status.get', {}).then(
        // An event that arrived while status.get was on its way is newer than its answer.
        (view) => {
          if (!changedSinceRead) set({ view, error: null });
        },
        (error: unknown) => set({ error: toShownError(error).message }),
      );
      return unsubscribe;
    },
    refresh: async () => {
      try {
        set({ view: await client.call('status.get', {}), error: null });
      } catch (error) {
        set({ error: toShownError(error).message });
      }
    },
  }));
}
