import type { LEADERBOARD_CHANNELS } from '../../src-shared/leaderboard-contract';
import type { ChannelHandlers } from './api-context';

/** Handlers of the leaderboard channels. */
export const LEADERBOARD_HANDLERS: ChannelHandlers<keyof typeof LEADERBOARD_CHANNELS> = {};
