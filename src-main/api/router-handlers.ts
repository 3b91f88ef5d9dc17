import type { ROUTER_CHANNELS } from '../../src-shared/router-contract';
import type { ChannelHandlers } from './api-context';

/** Handlers of the learned tier router's channels: the same service as `triad router`. */
export const ROUTER_HANDLERS: ChannelHandlers<keyof typeof ROUTER_CHANNELS> = {
  'router.status': ({ services, userId }) => services.routers.status(userId),
  'router.train': ({ services, userId }, input) => services.routers.train(userId, input),
  'router.evaluate': ({ services, userId }, input) => services.routers.evaluate(userId, input),
};
