import type { DATASET_CHANNELS } from '../../src-shared/dataset-contract';
import { toDatasetVersionView } from '../datasets/dataset-service';
import type { ChannelHandlers } from './api-context';

/** Handlers of the dataset channels: the dataset service, as the calling operator (ML leads and admins only). */
export const DATASET_HANDLERS: ChannelHandlers<keyof typeof DATASET_CHANNELS> = {
  'datasets.preview': ({ services, userId }, params, caller) => services.datasets.preview(userId, params, (progress) => caller.emit('datasets.buildProgress', progress)),
  'datasets.build': async ({ services, userId }, params, caller) => {
    const { version, summary } = await services.datasets.build(userId, params, { onProgress: (progress) => caller.emit('datasets.buildProgress', progress) });
    return { version: toDatasetVersionView(version), summary };
  },
  'datasets.push': async ({ services, userId }, { datasetId, repo }, caller) => {
    const version = await services.datasets.push(userId, datasetId, repo, (progress) => caller.emit('datasets.pushProgress', { datasetId, ...progress }));
    return toDatasetVersionView(version);
  },
  'datasets.list': async ({ services, userId }) => (await services.datasets.list(userId)).map(toDatasetVersionView),
};
