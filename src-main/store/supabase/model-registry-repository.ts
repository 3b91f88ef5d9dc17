import type { Deployment, ModelRegistryRepository, NewRegisteredModel, RegisteredModel } from '../repositories';
import { invalidInput } from '../store-errors';
import { isUuid, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { DEPLOYMENT_COLUMNS, MODEL_COLUMNS, toDeployment, toModel } from '../rows';

/** The model registry and deployments: every operator reads them, ML leads and admins write them. */
export class SupabaseModelRegistryRepository implements ModelRegistryRepository {
  constructor(private readonly api: OperatorApi) {}

  async register(model: NewRegisteredModel): Promise<RegisteredModel> {
    const row = await this.api.run<ApiRow>(
      `registering model '${model.name}' version '${model.version}'`,
      this.api.client
        .from('model_registry')
        .insert({
          name: model.name,
          version: model.version,
          tier: model.tier,
          hf_model_id: model.hfModelId,
          hf_space_id: model.hfSpaceId,
          hf_space_url: model.hfSpaceUrl,
          hf_commit: model.hfCommit ?? null,
          base_model: model.baseModel ?? null,
          dataset_version: model.datasetVersion ?? null,
          gguf_file: model.ggufFile ?? null,
          training_run_id: model.trainingRunId ?? null,
          metrics: model.metrics ?? null,
        })
        .select(MODEL_COLUMNS)
        .single(),
    );
    return toModel(row);
  }

  /** Newest first. */
  async list(): Promise<RegisteredModel[]> {
    const rows = await this.api.readAll('listing registered models', (from, to) =>
      this.api.client.from('model_registry').select(MODEL_COLUMNS).order('created_at', { ascending: false }).order('name').order('version').range(from, to),
    );
    return rows.map(toModel);
  }

  async recordDeployment(deployment: { spaceId: string; modelId: string; deploymentStatus: string; deploymentLogs?: string }): Promise<Deployment> {
    requireUuid(deployment.spaceId, 'Space id');
    requireUuid(deployment.modelId, 'model id');
    const row = await this.api.run<ApiRow>(
      `recording deployment of model ${deployment.modelId} to Space ${deployment.spaceId}`,
      this.api.client
        .from('hf_deployments')
        .insert({
          space_id: deployment.spaceId,
          model_id: deployment.modelId,
          deployment_status: deployment.deploymentStatus,
          deployment_logs: deployment.deploymentLogs ?? null,
        })
        .select(DEPLOYMENT_COLUMNS)
        .single(),
    );
    return toDeployment(row);
  }

  /** Sets the status; replaces the logs only when `deploymentLogs` is given (migrations/009 triad_update_deployment). */
  async updateDeployment(id: string, change: { deploymentStatus: string; deploymentLogs?: string }): Promise<Deployment> {
    const action = `updating deployment ${id}`;
    requireUuid(id, 'deployment id');
    const rows = await this.api.run<ApiRow[]>(
      action,
      this.api.client.rpc('triad_update_deployment', {
        p_id: id,
        p_deployment_status: change.deploymentStatus,
        p_deployment_logs: change.deploymentLogs ?? null,
      }),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such deployment`);
    return toDeployment(rows[0]);
  }

  /** Newest first; only those of one Space when `spaceId` is given. */
  async listDeployments(spaceId?: string): Promise<Deployment[]> {
    if (spaceId !== undefined && !isUuid(spaceId)) return [];
    const rows = await this.api.readAll('listing deployments', (from, to) => {
      const query = this.api.client.from('hf_deployments').select(DEPLOYMENT_COLUMNS);
      return (spaceId === undefined ? query : query.eq('space_id', spaceId)).order('created_at', { ascending: false }).order('id').range(from, to);
    });
    return rows.map(toDeployment);
  }
}
