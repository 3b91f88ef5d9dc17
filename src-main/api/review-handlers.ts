import type { REVIEW_CHANNELS } from '../../src-shared/review-contract';
import type { ChannelHandlers } from './api-context';

/** Handlers of the review channels. */
export const REVIEW_HANDLERS: ChannelHandlers<keyof typeof REVIEW_CHANNELS> = {};
