import type { Channel, ChannelOutput, ChannelParsedInput, EventName, EventPayload } from '../../src-shared/ipc-contract';
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
  /**
   * The operator the call acts for, read at each use (set by the main process, never by the renderer): the
   * operator signed in to the team's Supabase project, else the embedded store's local operator.
   */
  readonly userId: string;
  streams: StreamRegistry;
  status: TierStatusTracker;
}

/** The handler of one channel: validated input in, the channel's output out (errors are thrown as TriadError). */
export type Handler<C extends Channel> = (context: ApiContext, input: ChannelParsedInput<C>, caller: Caller) => Promise<ChannelOutput<C>>;

/** Handlers for a set of channels; each feature exports its own map, and triad-api.ts joins them. */
export type ChannelHandlers<K extends Channel> = { [C in K]: Handler<C> };
