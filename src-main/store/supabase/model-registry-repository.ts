import { TriadError } from '../../../src-shared/errors';
import type { Deployment, DeploymentChange, ModelRegistryRepository, NewDeployment, NewRegisteredModel, RegisteredModel } from '../repositories';
import { invalidInput } from '../store-errors';
import { isUuid, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { DEPLOYMENT_COLUMNS, deployRunningError, MODEL_COLUMNS, toDeployment, toModel } from '../rows';

/** The model registry and deployments: every operator reads them, ML leads and admins write them. */
export class SupabaseModelRegistryRepository implements ModelRegistryRepository {
  constructor(private readonly api: OperatorApi) {}

  async register(model: NewRegisteredModel): Promise<RegisteredModel> {
    const row = await this.api.run<ApiRow>(
      `registering model '${model.name}' version '${model.version}'`,
      this.api.client
        .from('model_registry')
        .insert(modelRow(model))
        .select(MODEL_COLUMNS)
        .single(),
    );
    return toModel(row);
  }

  async linkSpace(modelId: string, space: { hfSpaceId: string; hfSpaceUrl: string }): Promise<RegisteredModel> {
    const action = `linking model ${modelId} to Space ${space.hfSpaceId}`;
    requireUuid(modelId, 'model id');
    const rows = await this.api.run<ApiRow[]>(
      action,
      this.api.client.from('model_registry').update({ hf_space_id: space.hfSpaceId, hf_space_url: space.hfSpaceUrl }).eq('id', modelId).select(MODEL_COLUMNS),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such model, or not yours to change`);
    return toModel(rows[0]);
  }

  /** Newest first. */
  async list(): Promise<RegisteredModel[]> {
    const rows = await this.api.readAll('listing registered models', (from, to) =>
      this.api.client.from('model_registry').select(MODEL_COLUMNS).order('created_at', { ascending: false }).order('name').order('version').range(from, to),
    );
    return rows.map(toModel);
  }

  async recordDeployment(deployment: NewDeployment): Promise<Deployment> {
    requireUuid(deployment.spaceId, 'Space id');
    requireUuid(deployment.modelId, 'model id');
    const row = {
      space_id: deployment.spaceId,
      model_id: deployment.modelId,
      deployment_status: deployment.deploymentStatus,
      deployment_logs: deployment.deploymentLogs ?? null,
      tier: deployment.tier ?? null,
      target: deployment.target ?? 'live',
      kind: deployment.kind ?? 'deploy',
      space_repo: deployment.spaceRepo ?? null,
      model_version: deployment.modelVersion ?? null,
      previous_deployment_id: deployment.previousDeploymentId ?? null,
      steps: deployment.steps ?? [],
      hardware: deployment.hardware ?? null,
      sleep_time_seconds: deployment.sleepTimeSeconds ?? null,
      override_reason: deployment.overrideReason ?? null,
      created_by: deployment.createdBy ?? null,
      installation_id: deployment.installationId ?? null,
    };
    try {
      const inserted = await this.api.run<ApiRow>(
        `recording deployment of model ${deployment.modelId} to Space ${deployment.spaceId}`,
        this.api.client.from('hf_deployments').insert(row).select(DEPLOYMENT_COLUMNS).single(),
      );
      return toDeployment(inserted);
    } catch (error) {
      if (!deployment.tier || !TriadError.isInstance(error) || !/already|unique|duplicate/i.test(error.message)) throw error;
      const running = await this.api.run<ApiRow[]>(
        'reading the running deployment',
        this.api.client.from('hf_deployments').select(DEPLOYMENT_COLUMNS).eq('tier', deployment.tier).eq('target', deployment.target ?? 'live').eq('deployment_status', 'running'),
      );
      throw running[0] ? deployRunningError(toDeployment(running[0])) : error;
    }
  }

  /** Sets the status; replaces the logs and steps only when given (migrations/015 triad_update_deployment_run). */
  async updateDeployment(id: string, change: DeploymentChange): Promise<Deployment> {
    const action = `updating deployment ${id}`;
    requireUuid(id, 'deployment id');
    const rows = await this.api.run<ApiRow[]>(
      action,
      this.api.client.rpc('triad_update_deployment_run', {
        p_id: id,
        p_deployment_status: change.deploymentStatus,
        p_deployment_logs: change.deploymentLogs ?? null,
        p_steps: change.steps ?? null,
        p_finished_at: change.finishedAt?.toISOString() ?? null,
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

/** A registry row as PostgREST takes it (also the model a completed training run registers, migration 014). */
export function modelRow(model: NewRegisteredModel): ApiRow {
  return {
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
  };
}
