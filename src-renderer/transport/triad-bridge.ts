import type { CallResult, Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../src-shared/ipc-contract';

/**
 * What the Electron preload exposes as `window.triad`: one function per channel of the contract, each
 * resolving with the CallResult envelope (never rejecting with a call's error: Electron would keep only its
 * message), `on` for the contract's events, and the runtime's name. Nothing else crosses the bridge.
 */
export type TriadBridge = { readonly [C in Channel]: (input: ChannelInput<C>) => Promise<CallResult<ChannelOutput<C>>> } & {
  readonly runtime: 'electron';
  /** Subscribes to one event of the contract; returns the unsubscribe function. Throws for any other name. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

declare global {
  interface Window {
    /** Present only in the Electron app, set by the preload. */
    readonly triad?: TriadBridge;
  }
}
