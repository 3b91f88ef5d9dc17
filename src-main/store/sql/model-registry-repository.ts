import { TriadError } from '../../../src-shared/errors';
import type { Deployment, DeploymentChange, ModelRegistryRepository, NewDeployment, NewRegisteredModel, RegisteredModel } from '../repositories';
import type { SqlExecutor, SqlQueryable } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireUuid } from '../values';
import { DEPLOYMENT_COLUMNS, deployRunningError, MODEL_COLUMNS, newDeploymentParams, toDeployment, toModel } from '../rows';

/** The model registry (`model_registry`) and deployments to Spaces (`hf_deployments`). */
export class SqlModelRegistryRepository implements ModelRegistryRepository {
  constructor(private readonly db: SqlExecutor) {}

  async register(model: NewRegisteredModel): Promise<RegisteredModel> {
    return registerModel(this.db, model);
  }

  async linkSpace(modelId: string, space: { hfSpaceId: string; hfSpaceUrl: string }): Promise<RegisteredModel> {
    const action = `linking model ${modelId} to Space ${space.hfSpaceId}`;
    requireUuid(modelId, 'model id');
    const rows = await withStoreErrors(action, () =>
      this.db.query(`UPDATE model_registry SET hf_space_id = $2, hf_space_url = $3 WHERE id = $1 RETURNING ${MODEL_COLUMNS}`, [modelId, space.hfSpaceId, space.hfSpaceUrl]),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such model`);
    return toModel(rows[0]);
  }

  /** Newest first. */
  async list(): Promise<RegisteredModel[]> {
    const rows = await withStoreErrors('listing registered models', () =>
      this.db.query(`SELECT ${MODEL_COLUMNS} FROM model_registry ORDER BY created_at DESC, name, version`),
    );
    return rows.map(toModel);
  }

  async recordDeployment(deployment: NewDeployment): Promise<Deployment> {
    requireUuid(deployment.spaceId, 'Space id');
    requireUuid(deployment.modelId, 'model id');
    const rows = await withStoreErrors(`recording deployment of model ${deployment.modelId} to Space ${deployment.spaceId}`, () =>
      this.db.query(
        `INSERT INTO hf_deployments (space_id, model_id, deployment_status, deployment_logs, tier, target, kind, space_repo,
           model_version, previous_deployment_id, steps, hardware, sleep_time_seconds, override_reason, created_by, installation_id)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6, 'live'), COALESCE($7, 'deploy'), $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING ${DEPLOYMENT_COLUMNS}`,
        newDeploymentParams(deployment),
      ),
    ).catch((error: unknown) => Promise.reject(this.alreadyRunning(error, deployment)));
    return toDeployment(rows[0]!);
  }

  /** A unique-index refusal names the deploy that is running, so the second caller knows whose it is. */
  private async alreadyRunning(error: unknown, deployment: NewDeployment): Promise<unknown> {
    if (!(TriadError.isInstance(error) && /already|unique|one_running/i.test(error.message) && deployment.tier)) return error;
    const [running] = await this.db.query(
      `SELECT ${DEPLOYMENT_COLUMNS} FROM hf_deployments WHERE tier = $1 AND target = $2 AND deployment_status = 'running'`,
      [deployment.tier, deployment.target ?? 'live'],
    );
    return running ? deployRunningError(toDeployment(running)) : error;
  }

  /** Sets the status; replaces the logs and steps only when given. */
  async updateDeployment(id: string, change: DeploymentChange): Promise<Deployment> {
    const action = `updating deployment ${id}`;
    requireUuid(id, 'deployment id');
    const rows = await withStoreErrors(action, () =>
      this.db.query(
        `UPDATE hf_deployments
            SET deployment_status = $2, deployment_logs = COALESCE($3, deployment_logs), steps = COALESCE($4::jsonb, steps),
                finished_at = COALESCE(finished_at, $5), updated_at = now()
          WHERE id = $1 RETURNING ${DEPLOYMENT_COLUMNS}`,
        [id, change.deploymentStatus, change.deploymentLogs ?? null, change.steps ? JSON.stringify(change.steps) : null, change.finishedAt ?? null],
      ),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such deployment`);
    return toDeployment(rows[0]);
  }

  /** Newest first; only those of one Space when `spaceId` is given. */
  async listDeployments(spaceId?: string): Promise<Deployment[]> {
    if (spaceId !== undefined && !isUuid(spaceId)) return [];
    const rows = await withStoreErrors('listing deployments', () =>
      this.db.query(
        `SELECT ${DEPLOYMENT_COLUMNS} FROM hf_deployments
          WHERE $1::uuid IS NULL OR space_id = $1::uuid
          ORDER BY created_at DESC, id`,
        [spaceId ?? null],
      ),
    );
    return rows.map(toDeployment);
  }
}

/** Inserts a registry row (on a connection or inside a transaction). */
export async function registerModel(db: SqlQueryable, model: NewRegisteredModel): Promise<RegisteredModel> {
  if (model.trainingRunId != null) requireUuid(model.trainingRunId, 'training run id');
  const rows = await withStoreErrors(`registering model '${model.name}' version '${model.version}'`, () =>
    db.query(
      `INSERT INTO model_registry (name, version, tier, hf_model_id, hf_space_id, hf_space_url, hf_commit, base_model,
         dataset_version, gguf_file, training_run_id, metrics)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${MODEL_COLUMNS}`,
      [
        model.name,
        model.version,
        model.tier,
        model.hfModelId,
        model.hfSpaceId,
        model.hfSpaceUrl,
        model.hfCommit ?? null,
        model.baseModel ?? null,
        model.datasetVersion ?? null,
        model.ggufFile ?? null,
        model.trainingRunId ?? null,
        model.metrics ? JSON.stringify(model.metrics) : null,
      ],
    ),
  );
  return toModel(rows[0]!);
}
