import type { Channel } from '../../src-shared/ipc-contract';

// No run-time imports here: the preload bundles this file and must stay free of zod and the contract's schemas.

/** The IPC channel a contract channel is invoked on; the prefix keeps Triad's channels apart from any other. */
export const ipcChannelOf = (channel: Channel) => `triad:${channel}` as const;
/** The one IPC channel every event travels on, as `{ event, payload }`. */
export const EVENT_CHANNEL = 'triad:event';
