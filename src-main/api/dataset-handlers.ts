import type { DATASET_CHANNELS } from '../../src-shared/dataset-contract';
import type { ChannelHandlers } from './api-context';

/** Handlers of the dataset channels. */
export const DATASET_HANDLERS: ChannelHandlers<keyof typeof DATASET_CHANNELS> = {};
