import type { NewRegisteredModel, TrainingRun, TrainingRunChange, TrainingRunRepository } from '../repositories';
import { TRAINING_RUN_COLUMNS, toTrainingRun } from '../rows';
import type { SqlExecutor, SqlQueryable } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireLimit, requireUuid } from '../values';
import { registerModel } from './model-registry-repository';

/** The stages after which nothing more happens to a run. */
export const FINISHED_TRAINING_STAGES = new Set(['CANCELED', 'ERROR', 'DELETED', 'registered', 'failed']);

/**
 * The parameters of one UPDATE of a run, shared by the SQL store and the Supabase function
 * (triad_update_training_run, migration 014): history and progress are appended, never rewritten.
 */
export function trainingRunChangeParams(change: TrainingRunChange): unknown[] {
  const at = new Date().toISOString();
  return [
    change.jobId ?? null,
    change.stage ?? null,
    change.stage ? JSON.stringify([{ stage: change.stage, at, message: change.stageMessage ?? null }]) : '[]',
    JSON.stringify((change.progress ?? []).map((point) => ({ ...point, at: point.at.toISOString() }))),
    change.lastLogLines ?? null,
    change.failureReason === undefined ? null : change.failureReason,
    change.failureReason !== undefined,
    change.startedAt ?? null,
    change.finishedAt ?? (change.stage && FINISHED_TRAINING_STAGES.has(change.stage) ? new Date(at) : null),
  ];
}

// Safe to repeat, as triad_update_training_run (019): a second follower of the run records nothing twice.
const UPDATE_SQL = `UPDATE training_runs SET
    job_id = COALESCE($2, job_id),
    stage = CASE WHEN finished_at IS NULL THEN COALESCE($3, stage) ELSE stage END,
    stage_history = CASE WHEN finished_at IS NULL AND $3::text IS DISTINCT FROM stage THEN stage_history || $4::jsonb ELSE stage_history END,
    progress = progress || COALESCE((
      SELECT jsonb_agg(point) FROM jsonb_array_elements($5::jsonb) AS point
       WHERE (point ->> 'step')::numeric > COALESCE((SELECT max((recorded ->> 'step')::numeric) FROM jsonb_array_elements(training_runs.progress) AS recorded), -1)
    ), '[]'::jsonb),
    last_log_lines = COALESCE($6, last_log_lines),
    failure_reason = CASE WHEN $8 THEN $7 ELSE failure_reason END,
    started_at = COALESCE(started_at, $9),
    finished_at = COALESCE(finished_at, $10),
    updated_at = now()
  WHERE id = $1 RETURNING ${TRAINING_RUN_COLUMNS}`;

/** Training runs in SQL (`training_runs`). */
export class SqlTrainingRunRepository implements TrainingRunRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(run: Parameters<TrainingRunRepository['create']>[0]): Promise<TrainingRun> {
    if (run.id !== undefined) requireUuid(run.id, 'training run id');
    requireUuid(run.createdBy, 'user id');
    const rows = await withStoreErrors(`recording the training run of ${run.outputRepo}`, () =>
      this.db.query(
        `INSERT INTO training_runs (id, namespace, dataset_repo, dataset_revision, base_model, kind, params, flavor,
           price_usd_per_hour, timeout_seconds, output_repo, script_sha256, stage, stage_history, created_by)
         VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'launching',
           jsonb_build_array(jsonb_build_object('stage', 'launching', 'at', now(), 'message', NULL)), $13)
         RETURNING ${TRAINING_RUN_COLUMNS}`,
        [
          run.id ?? null,
          run.namespace,
          run.datasetRepo,
          run.datasetRevision,
          run.baseModel,
          run.kind,
          JSON.stringify(run.params),
          run.flavor,
          run.priceUsdPerHour,
          run.timeoutSeconds,
          run.outputRepo,
          run.scriptSha256,
          run.createdBy,
        ],
      ),
    );
    return toTrainingRun(rows[0]!);
  }

  async get(id: string): Promise<TrainingRun | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await withStoreErrors(`reading training run ${id}`, () =>
      this.db.query(`SELECT ${TRAINING_RUN_COLUMNS} FROM training_runs WHERE id = $1`, [id]),
    );
    return rows[0] ? toTrainingRun(rows[0]) : undefined;
  }

  async list(limit: number): Promise<TrainingRun[]> {
    requireLimit(limit);
    const rows = await withStoreErrors('listing training runs', () =>
      this.db.query(`SELECT ${TRAINING_RUN_COLUMNS} FROM training_runs ORDER BY created_at DESC, id LIMIT $1`, [limit]),
    );
    return rows.map(toTrainingRun);
  }

  async listUnfinished(): Promise<TrainingRun[]> {
    const rows = await withStoreErrors('listing unfinished training runs', () =>
      this.db.query(`SELECT ${TRAINING_RUN_COLUMNS} FROM training_runs WHERE finished_at IS NULL ORDER BY created_at, id`),
    );
    return rows.map(toTrainingRun);
  }

  async update(id: string, change: TrainingRunChange): Promise<TrainingRun> {
    return updateRun(this.db, id, change);
  }

  async complete(id: string, model: NewRegisteredModel): Promise<TrainingRun> {
    requireUuid(id, 'training run id');
    return withStoreErrors(`registering the model of training run ${id}`, () =>
      this.db.transaction(async (tx) => {
        const [current] = await tx.query(`SELECT ${TRAINING_RUN_COLUMNS} FROM training_runs WHERE id = $1 FOR UPDATE`, [id]);
        if (!current) throw invalidInput(`training run ${id}: no such run`);
        if (current.model_id) return toTrainingRun(current);
        const registered = await registerModel(tx, { ...model, trainingRunId: id });
        await tx.query('UPDATE training_runs SET model_id = $2 WHERE id = $1', [id, registered.id]);
        return updateRun(tx, id, { stage: 'registered', stageMessage: `registered ${registered.name}@${registered.version}` });
      }),
    );
  }
}

async function updateRun(db: SqlQueryable, id: string, change: TrainingRunChange): Promise<TrainingRun> {
  const action = `updating training run ${id}`;
  requireUuid(id, 'training run id');
  const rows = await withStoreErrors(action, () => db.query(UPDATE_SQL, [id, ...trainingRunChangeParams(change)]));
  if (!rows[0]) throw invalidInput(`${action}: no such run`);
  return toTrainingRun(rows[0]);
}
