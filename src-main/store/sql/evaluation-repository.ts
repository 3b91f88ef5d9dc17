import type { Tier } from '../../../src-shared/domain';
import type {
  EvaluationAnswerRecord,
  EvaluationItem,
  EvaluationRepository,
  EvaluationRun,
  EvaluationSide,
  EvaluationVerdict,
} from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireLimit, requireUuid, toDate, toNumber, toText } from '../values';

type Row = Record<string, unknown>;

/** Read from the view `evaluation_run_summaries` (migration 016): the run with its answered and judged counts. */
export const EVALUATION_RUN_COLUMNS =
  'id, candidate_model_id, candidate_version, candidate_source, tier, serving_version, dataset_version, status, item_count, answered_count, judged_count, failure_reason, judge_model, report, created_by, created_at, finished_at';
export const EVALUATION_ITEM_COLUMNS =
  'id, run_id, position, company_slug, messages, reference, candidate_first, candidate_answer, serving_answer, verdict, judged_by, judged_at, judge_verdict';

const VERDICTS = new Set<EvaluationVerdict>(['candidate', 'serving', 'tie']);
const SIDES = new Set<EvaluationSide>(['candidate', 'serving']);

/** A jsonb column: parsed by pg and PostgREST, text from anything else. */
function jsonValue(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function toEvaluationRun(row: Row): EvaluationRun {
  return {
    id: String(row.id),
    candidateModelId: String(row.candidate_model_id),
    candidateVersion: String(row.candidate_version),
    candidateSource: row.candidate_source as EvaluationRun['candidateSource'],
    tier: row.tier as Tier,
    servingVersion: String(row.serving_version),
    datasetVersion: String(row.dataset_version),
    status: row.status as EvaluationRun['status'],
    itemCount: Number(row.item_count),
    answered: Number(row.answered_count ?? 0),
    judged: Number(row.judged_count ?? 0),
    failureReason: toText(row.failure_reason),
    judgeModel: toText(row.judge_model),
    report: (jsonValue(row.report) as Record<string, unknown> | null) ?? null,
    createdBy: String(row.created_by),
    createdAt: toDate(row.created_at),
    finishedAt: row.finished_at ? toDate(row.finished_at) : null,
  };
}

function toAnswer(value: unknown): EvaluationAnswerRecord | null {
  const answer = jsonValue(value) as Partial<EvaluationAnswerRecord> | null;
  if (!answer) return null;
  return {
    text: String(answer.text ?? ''),
    error: toText(answer.error),
    timeToFirstTokenMs: toNumber(answer.timeToFirstTokenMs),
    latencyMs: toNumber(answer.latencyMs),
  };
}

export function toEvaluationItem(row: Row): EvaluationItem {
  return {
    id: String(row.id),
    runId: String(row.run_id),
    position: Number(row.position),
    companySlug: toText(row.company_slug),
    messages: (jsonValue(row.messages) ?? []) as EvaluationItem['messages'],
    reference: toText(row.reference),
    candidateFirst: Boolean(row.candidate_first),
    candidate: toAnswer(row.candidate_answer),
    serving: toAnswer(row.serving_answer),
    verdict: (toText(row.verdict) as EvaluationVerdict | null) ?? null,
    judgedBy: toText(row.judged_by),
    judgedAt: row.judged_at ? toDate(row.judged_at) : null,
    judgeVerdict: (toText(row.judge_verdict) as EvaluationVerdict | null) ?? null,
  };
}

/** The checks both adapters make before a write reaches the database. */
export function requireNewRun(run: Parameters<EvaluationRepository['create']>[0], items: Parameters<EvaluationRepository['create']>[1]): void {
  if (run.id !== undefined) requireUuid(run.id, 'evaluation run id');
  requireUuid(run.candidateModelId, 'candidate model id');
  requireUuid(run.createdBy, 'user id');
  if (items.length === 0) throw invalidInput(`recording the evaluation of ${run.candidateVersion}: the eval split has no examples`);
}

export function requireSide(side: EvaluationSide): void {
  if (!SIDES.has(side)) throw invalidInput(`evaluation side must be candidate or serving, got ${JSON.stringify(side)}`);
}

export function requireVerdict(verdict: EvaluationVerdict): void {
  if (!VERDICTS.has(verdict)) throw invalidInput(`verdict must be candidate, serving or tie, got ${JSON.stringify(verdict)}`);
}

/** The JSON stored for one answer: only the record's own fields. */
export function answerJson(answer: EvaluationAnswerRecord): EvaluationAnswerRecord {
  return { text: answer.text, error: answer.error, timeToFirstTokenMs: answer.timeToFirstTokenMs, latencyMs: answer.latencyMs };
}

/** Evaluation runs and items in SQL (`evaluation_runs`, `evaluation_items`, migration 016). */
export class SqlEvaluationRepository implements EvaluationRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(run: Parameters<EvaluationRepository['create']>[0], items: Parameters<EvaluationRepository['create']>[1]): Promise<EvaluationRun> {
    requireNewRun(run, items);
    return withStoreErrors(`recording the evaluation of ${run.candidateVersion}`, () =>
      this.db.transaction(async (tx) => {
        const [created] = await tx.query(
          `INSERT INTO evaluation_runs (id, candidate_model_id, candidate_version, candidate_source, tier, serving_version,
             dataset_version, item_count, judge_model, created_by)
           VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [run.id ?? null, run.candidateModelId, run.candidateVersion, run.candidateSource, run.tier, run.servingVersion,
            run.datasetVersion, items.length, run.judgeModel, run.createdBy],
        );
        const id = String(created!.id);
        await tx.query(
          `INSERT INTO evaluation_items (run_id, position, company_slug, messages, reference, candidate_first)
           SELECT $1, i.position, i.company_slug, i.messages, i.reference, i.candidate_first
             FROM jsonb_to_recordset($2::jsonb) AS i(position integer, company_slug text, messages jsonb, reference text, candidate_first boolean)`,
          [id, JSON.stringify(items.map(itemRow))],
        );
        const [row] = await tx.query(`SELECT ${EVALUATION_RUN_COLUMNS} FROM evaluation_run_summaries WHERE id = $1`, [id]);
        return toEvaluationRun(row!);
      }),
    );
  }

  async get(id: string): Promise<EvaluationRun | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await withStoreErrors(`reading evaluation run ${id}`, () =>
      this.db.query(`SELECT ${EVALUATION_RUN_COLUMNS} FROM evaluation_run_summaries WHERE id = $1`, [id]),
    );
    return rows[0] ? toEvaluationRun(rows[0]) : undefined;
  }

  async list(filter: { candidateModelId?: string; limit: number }): Promise<EvaluationRun[]> {
    requireLimit(filter.limit);
    if (filter.candidateModelId !== undefined && !isUuid(filter.candidateModelId)) return [];
    const rows = await withStoreErrors('listing evaluation runs', () =>
      this.db.query(
        `SELECT ${EVALUATION_RUN_COLUMNS} FROM evaluation_run_summaries
          WHERE ($1::uuid IS NULL OR candidate_model_id = $1) ORDER BY created_at DESC, id LIMIT $2`,
        [filter.candidateModelId ?? null, filter.limit],
      ),
    );
    return rows.map(toEvaluationRun);
  }

  async listUnfinished(): Promise<EvaluationRun[]> {
    const rows = await withStoreErrors('listing unfinished evaluation runs', () =>
      this.db.query(`SELECT ${EVALUATION_RUN_COLUMNS} FROM evaluation_run_summaries WHERE status = 'generating' ORDER BY created_at, id`),
    );
    return rows.map(toEvaluationRun);
  }

  async items(runId: string): Promise<EvaluationItem[]> {
    if (!isUuid(runId)) return [];
    const rows = await withStoreErrors(`reading the items of evaluation run ${runId}`, () =>
      this.db.query(`SELECT ${EVALUATION_ITEM_COLUMNS} FROM evaluation_items WHERE run_id = $1 ORDER BY position`, [runId]),
    );
    return rows.map(toEvaluationItem);
  }

  async recordAnswer(itemId: string, side: EvaluationSide, answer: EvaluationAnswerRecord): Promise<void> {
    requireUuid(itemId, 'evaluation item id');
    requireSide(side);
    const column = side === 'candidate' ? 'candidate_answer' : 'serving_answer';
    const action = `recording the ${side} answer of evaluation item ${itemId}`;
    const rows = await withStoreErrors(action, () =>
      this.db.query(`UPDATE evaluation_items SET ${column} = COALESCE(${column}, $2::jsonb) WHERE id = $1 RETURNING id`, [itemId, JSON.stringify(answerJson(answer))]),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such item`);
  }

  async judge(itemId: string, verdict: EvaluationVerdict, by: { userId: string } | 'model'): Promise<EvaluationItem> {
    requireUuid(itemId, 'evaluation item id');
    requireVerdict(verdict);
    const action = `recording the verdict on evaluation item ${itemId}`;
    const rows = await withStoreErrors(action, () =>
      by === 'model'
        ? this.db.query(`UPDATE evaluation_items SET judge_verdict = $2 WHERE id = $1 RETURNING ${EVALUATION_ITEM_COLUMNS}`, [itemId, verdict])
        : this.db.query(
            `UPDATE evaluation_items SET verdict = $2, judged_by = $3, judged_at = now() WHERE id = $1 RETURNING ${EVALUATION_ITEM_COLUMNS}`,
            [itemId, verdict, requireUuid(by.userId, 'user id')],
          ),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such item`);
    return toEvaluationItem(rows[0]);
  }

  async update(id: string, change: Parameters<EvaluationRepository['update']>[1]): Promise<EvaluationRun> {
    requireUuid(id, 'evaluation run id');
    const action = `updating evaluation run ${id}`;
    const rows = await withStoreErrors(action, () =>
      this.db.transaction(async (tx) => {
        const updated = await tx.query(
          `UPDATE evaluation_runs SET
              status = COALESCE($2, status),
              failure_reason = CASE WHEN $4 THEN $3 ELSE failure_reason END,
              report = COALESCE($5::jsonb, report),
              finished_at = COALESCE($6, finished_at),
              updated_at = now()
            WHERE id = $1 RETURNING id`,
          [id, change.status ?? null, change.failureReason ?? null, change.failureReason !== undefined,
            change.report === undefined ? null : JSON.stringify(change.report), change.finishedAt ?? null],
        );
        if (!updated[0]) return [];
        return tx.query(`SELECT ${EVALUATION_RUN_COLUMNS} FROM evaluation_run_summaries WHERE id = $1`, [id]);
      }),
    );
    if (!rows[0]) throw invalidInput(`${action}: no such run`);
    return toEvaluationRun(rows[0]);
  }

  async latestCompleted(candidateModelId: string, tier: Tier): Promise<EvaluationRun | undefined> {
    if (!isUuid(candidateModelId)) return undefined;
    const rows = await withStoreErrors(`reading the evaluation of model ${candidateModelId}`, () =>
      this.db.query(
        `SELECT ${EVALUATION_RUN_COLUMNS} FROM evaluation_run_summaries
          WHERE candidate_model_id = $1 AND tier = $2 AND status = 'completed' ORDER BY finished_at DESC, id LIMIT 1`,
        [candidateModelId, tier],
      ),
    );
    return rows[0] ? toEvaluationRun(rows[0]) : undefined;
  }
}

/** One item as the insert (and the Supabase function) reads it. */
export function itemRow(item: Parameters<EvaluationRepository['create']>[1][number]): Row {
  return {
    position: item.position,
    company_slug: item.companySlug,
    messages: item.messages,
    reference: item.reference,
    candidate_first: item.candidateFirst,
  };
}
