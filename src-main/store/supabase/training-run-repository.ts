import type { NewRegisteredModel, TrainingRun, TrainingRunChange, TrainingRunRepository } from '../repositories';
import { TRAINING_RUN_COLUMNS, toTrainingRun } from '../rows';
import { trainingRunChangeParams } from '../sql/training-run-repository';
import { invalidInput } from '../store-errors';
import { isUuid, requireLimit, requireUuid } from '../values';
import { modelRow } from './model-registry-repository';
import type { ApiRow, OperatorApi } from './operator-api';

/** Training runs through PostgREST: ML leads and admins launch and follow them (migration 014). */
export class SupabaseTrainingRunRepository implements TrainingRunRepository {
  constructor(private readonly api: OperatorApi) {}

  async create(run: Parameters<TrainingRunRepository['create']>[0]): Promise<TrainingRun> {
    if (run.id !== undefined) requireUuid(run.id, 'training run id');
    requireUuid(run.createdBy, 'user id');
    const row = await this.api.run<ApiRow>(
      `recording the training run of ${run.outputRepo}`,
      this.api.client
        .from('training_runs')
        .insert({
          ...(run.id && { id: run.id }),
          namespace: run.namespace,
          dataset_repo: run.datasetRepo,
          dataset_revision: run.datasetRevision,
          base_model: run.baseModel,
          kind: run.kind,
          params: run.params,
          flavor: run.flavor,
          price_usd_per_hour: run.priceUsdPerHour,
          timeout_seconds: run.timeoutSeconds,
          output_repo: run.outputRepo,
          script_sha256: run.scriptSha256,
          stage: 'launching',
          stage_history: [{ stage: 'launching', at: new Date().toISOString(), message: null }],
          created_by: run.createdBy,
        })
        .select(TRAINING_RUN_COLUMNS)
        .single(),
    );
    return toTrainingRun(row);
  }

  async get(id: string): Promise<TrainingRun | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.api.run<ApiRow[]>(`reading training run ${id}`, this.api.client.from('training_runs').select(TRAINING_RUN_COLUMNS).eq('id', id));
    return rows[0] ? toTrainingRun(rows[0]) : undefined;
  }

  async list(limit: number): Promise<TrainingRun[]> {
    requireLimit(limit);
    const rows = await this.api.readAll(
      'listing training runs',
      (from, to) => this.api.client.from('training_runs').select(TRAINING_RUN_COLUMNS).order('created_at', { ascending: false }).order('id').range(from, to),
      limit,
    );
    return rows.map(toTrainingRun);
  }

  async listUnfinished(): Promise<TrainingRun[]> {
    const rows = await this.api.readAll('listing unfinished training runs', (from, to) =>
      this.api.client.from('training_runs').select(TRAINING_RUN_COLUMNS).is('finished_at', null).order('created_at').order('id').range(from, to),
    );
    return rows.map(toTrainingRun);
  }

  async update(id: string, change: TrainingRunChange): Promise<TrainingRun> {
    const action = `updating training run ${id}`;
    requireUuid(id, 'training run id');
    const [jobId, stage, history, progress, lastLogLines, failureReason, failureReasonGiven, startedAt, finishedAt] = trainingRunChangeParams(change);
    const rows = await this.api.run<ApiRow[]>(
      action,
      this.api.client.rpc('triad_update_training_run', {
        p_id: id,
        p_job_id: jobId,
        p_stage: stage,
        p_history: JSON.parse(history as string),
        p_progress: JSON.parse(progress as string),
        p_last_log_lines: lastLogLines,
        p_failure_reason: failureReason,
        p_failure_reason_given: failureReasonGiven,
        p_started_at: startedAt,
        p_finished_at: finishedAt,
      }),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such run`);
    return toTrainingRun(rows[0]);
  }

  async complete(id: string, model: NewRegisteredModel): Promise<TrainingRun> {
    const action = `registering the model of training run ${id}`;
    requireUuid(id, 'training run id');
    const rows = await this.api.run<ApiRow[]>(
      action,
      this.api.client.rpc('triad_complete_training_run', {
        p_id: id,
        // The function links the model to the run itself (training_run_id = p_id).
        p_model: modelRow(model),
      }),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such run`);
    return toTrainingRun(rows[0]);
  }
}
