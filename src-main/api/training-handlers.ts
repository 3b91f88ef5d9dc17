import { TIERS, type Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { TRAINING_CHANNELS, TrainingRunView } from '../../src-shared/training-contract';
import type { AppServices } from '../app-services';
import type { RegisteredModel, TrainingRun } from '../store/repositories';
import type { ChannelHandlers } from './api-context';
import { operatorAccess } from './operator';

/** The runs as the Training page shows them, each with the model it registered (read from the registry once). */
export async function toTrainingRunViews(services: AppServices, runs: TrainingRun[]): Promise<TrainingRunView[]> {
  const models = runs.some((run) => run.modelId) ? await services.store.registry.list() : [];
  return runs.map((run) => toTrainingRunView(run, models));
}

export async function toOneTrainingRunView(services: AppServices, run: TrainingRun): Promise<TrainingRunView> {
  return (await toTrainingRunViews(services, [run]))[0]!;
}

function toTrainingRunView(run: TrainingRun, models: RegisteredModel[]): TrainingRunView {
  const model = run.modelId ? models.find((m) => m.id === run.modelId) : undefined;
  const tier = run.params.tier;
  return {
    id: run.id,
    jobId: run.jobId,
    namespace: run.namespace,
    datasetRepo: run.datasetRepo,
    datasetRevision: run.datasetRevision,
    baseModel: run.baseModel,
    kind: run.kind,
    tier: typeof tier === 'string' && (TIERS as readonly string[]).includes(tier) ? (tier as Tier) : null,
    params: run.params,
    flavor: run.flavor,
    priceUsdPerHour: run.priceUsdPerHour,
    timeoutSeconds: run.timeoutSeconds,
    outputRepo: run.outputRepo,
    stage: run.stage,
    stageHistory: run.stageHistory.map((h) => ({ stage: h.stage, at: h.at.toISOString(), message: h.message })),
    progress: run.progress.map((p) => ({ ...p, at: p.at.toISOString() })),
    lastLogLines: run.lastLogLines,
    failureReason: run.failureReason,
    model: model ? { id: model.id, name: model.name, version: model.version } : null,
    createdBy: run.createdBy,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

async function runOrRefuse(services: AppServices, runId: string): Promise<TrainingRun> {
  const run = await services.training.get(runId);
  if (!run) throw new TriadError({ code: 'validation_failed', message: `training run ${runId}: no such run` });
  return run;
}

/** Handlers of the training channels: the app's training service, as the calling operator. */
export const TRAINING_HANDLERS: ChannelHandlers<keyof typeof TRAINING_CHANNELS> = {
  'training.hardware': ({ services }) => services.training.hardware(),
  'training.launch': async ({ services, userId }, launch) => {
    // The service validates the launch again, from its input form, and refuses operators who may not train.
    const input = { ...launch, dataset: `${launch.dataset.repo}@${launch.dataset.revision}` };
    const run = await services.training.launch(input, await operatorAccess(services, userId));
    return toOneTrainingRunView(services, run);
  },
  'training.list': async ({ services }) => toTrainingRunViews(services, await services.training.list()),
  'training.get': async ({ services }, { runId }) => {
    const run = await runOrRefuse(services, runId);
    const metrics = services.training.metricsOf(runId).map((s) => ({ ...s, at: s.at.toISOString() }));
    return { ...(await toOneTrainingRunView(services, run)), metrics };
  },
  'training.cancel': async ({ services, userId }, { runId }) => {
    const operator = await operatorAccess(services, userId);
    if (operator.role !== 'ml_lead' && operator.role !== 'admin') {
      throw new TriadError({ code: 'forbidden', message: `cancelling training run ${runId}: ${operator.displayName} is an ${operator.role}; only ML leads and admins stop training runs` });
    }
    return toOneTrainingRunView(services, await services.training.cancel(runId));
  },
};
