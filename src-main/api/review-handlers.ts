import type { REVIEW_CHANNELS } from '../../src-shared/review-contract';
import { ReviewService } from '../review/review-service';
import type { ApiContext, ChannelHandlers } from './api-context';

/** The review service on the store in use at each call (team mode changes it). */
function reviewOf(context: ApiContext): ReviewService {
  return new ReviewService(() => context.services.store.review);
}

/** Answers are logged in batches off the response path: the table waits for the ones just given. */
async function settleLog(context: ApiContext): Promise<void> {
  await context.services.requestLog.flush().catch(() => undefined);
}

/** Handlers of the review channels. Every label is made in the name of the operator the call acts for. */
export const REVIEW_HANDLERS: ChannelHandlers<keyof typeof REVIEW_CHANNELS> = {
  'review.list': async (context, input) => {
    await settleLog(context);
    return reviewOf(context).list(input);
  },
  'review.detail': (context, input) => reviewOf(context).detail(input.requestId),
  'review.label': (context, input) => reviewOf(context).label(context.userId, input),
  'review.bulkLabel': async (context, input) => ({ labelled: await reviewOf(context).bulkLabel(context.userId, input.target, input.label) }),
  'review.queues.list': async (context) => {
    await settleLog(context);
    return reviewOf(context).listQueues(context.userId);
  },
  'review.queues.save': (context, input) => reviewOf(context).saveQueue(context.userId, input),
  'review.queues.delete': async (context, input) => ({ deleted: await reviewOf(context).deleteQueue(context.userId, input.id) }),
};
