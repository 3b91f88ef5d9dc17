import type { EventName, EventPayload } from '../../src-shared/ipc-contract';
import type { AppServices } from '../app-services';
import type { StreamRegistry } from './stream-registry';
import type { TierStatusTracker } from './tier-status';

/** Who is calling: one window or browser tab, and how to send it events. */
export interface Caller {
  clientId: string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** What every handler may use. */
export interface ApiContext {
  services: AppServices;
  /** The operator the calls act for (set by the main process, never by the renderer). */
  userId: string;
  streams: StreamRegistry;
  status: TierStatusTracker;
}
