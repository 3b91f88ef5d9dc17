import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload } from '../../src-shared/ipc-contract';
import type { TriadErrorShape } from '../../src-shared/errors';

/** A failed call, carrying the shared error shape so the UI can show `message` and branch on `code`. */
export class TriadCallError extends Error {
  constructor(readonly shape: TriadErrorShape) {
    super(shape.message);
    this.name = 'TriadCallError';
  }
}

/**
 * How the renderer talks to the main process, whatever carries it (Electron IPC or browser-mode HTTP):
 * typed calls that resolve with the channel's output or reject with a TriadCallError, and event
 * subscriptions that return their unsubscribe function.
 */
export interface TriadClient {
  readonly runtime: 'electron' | 'browser';
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
