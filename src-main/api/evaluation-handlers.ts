import type { EVALUATION_CHANNELS } from '../../src-shared/evaluation-contract';
import type { EventPayload } from '../../src-shared/ipc-contract';
import type { AppServices } from '../app-services';
import { toRunView } from '../evaluation/evaluation-views';
import type { ChannelHandlers } from './api-context';
import { operatorAccess } from './operator';

/** Handlers of the evaluation channels: the app's evaluation service, as the calling operator. */
export const EVALUATION_HANDLERS: ChannelHandlers<keyof typeof EVALUATION_CHANNELS> = {
  'evaluation.list': async ({ services }, { modelId }) => (await services.evaluations.list({ modelId })).map(toRunView),
  'evaluation.start': async ({ services, userId }, input) => toRunView(await services.evaluations.start(input, await operatorAccess(services, userId))),
  'evaluation.get': ({ services }, { runId }) => services.evaluations.detail(runId),
  'evaluation.judge': async ({ services, userId }, { runId, itemId, verdict }) =>
    services.evaluations.judge(runId, itemId, verdict, await operatorAccess(services, userId)),
  'evaluation.cancel': async ({ services, userId }, { runId }) => toRunView(await services.evaluations.cancel(runId, await operatorAccess(services, userId))),
  'evaluation.report': ({ services }, { runId }) => services.evaluations.report(runId),
};

/** Sends every run change and streamed answer piece to the windows; returns the unsubscribe. */
export function announceEvaluations(
  services: AppServices,
  broadcast: <E extends 'evaluation.changed' | 'evaluation.answer'>(event: E, payload: EventPayload<E>) => void,
): () => void {
  const stopChanges = services.evaluations.onChange((run) => broadcast('evaluation.changed', toRunView(run)));
  const stopAnswers = services.evaluations.onAnswer((delta) => broadcast('evaluation.answer', delta));
  return () => {
    stopChanges();
    stopAnswers();
  };
}
