import type { Tier } from '../../../src-shared/domain';
import type { EvaluationAnswerRecord, EvaluationItem, EvaluationRepository, EvaluationRun, EvaluationSide, EvaluationVerdict } from '../repositories';
import {
  answerJson,
  EVALUATION_ITEM_COLUMNS,
  EVALUATION_RUN_COLUMNS,
  itemRow,
  requireNewRun,
  requireSide,
  requireVerdict,
  toEvaluationItem,
  toEvaluationRun,
} from '../sql/evaluation-repository';
import { invalidInput } from '../store-errors';
import { isUuid, requireLimit, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';

/**
 * Evaluation runs through PostgREST: ML leads and admins run and judge them (migration 016). Runs are read from the
 * view evaluation_run_summaries (security_invoker, so row-level security applies) for their counts.
 */
export class SupabaseEvaluationRepository implements EvaluationRepository {
  constructor(private readonly api: OperatorApi) {}

  async create(run: Parameters<EvaluationRepository['create']>[0], items: Parameters<EvaluationRepository['create']>[1]): Promise<EvaluationRun> {
    requireNewRun(run, items);
    const rows = await this.api.run<ApiRow[]>(
      `recording the evaluation of ${run.candidateVersion}`,
      this.api.client.rpc('triad_create_evaluation_run', {
        p_run: {
          id: run.id ?? null,
          candidate_model_id: run.candidateModelId,
          candidate_version: run.candidateVersion,
          candidate_source: run.candidateSource,
          tier: run.tier,
          serving_version: run.servingVersion,
          dataset_version: run.datasetVersion,
          judge_model: run.judgeModel,
          created_by: run.createdBy,
        },
        p_items: items.map(itemRow),
      }),
    );
    return toEvaluationRun(rows[0]!);
  }

  async get(id: string): Promise<EvaluationRun | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.api.run<ApiRow[]>(`reading evaluation run ${id}`, this.summaries().eq('id', id));
    return rows[0] ? toEvaluationRun(rows[0]) : undefined;
  }

  async list(filter: { candidateModelId?: string; limit: number }): Promise<EvaluationRun[]> {
    requireLimit(filter.limit);
    if (filter.candidateModelId !== undefined && !isUuid(filter.candidateModelId)) return [];
    const rows = await this.api.readAll(
      'listing evaluation runs',
      (from, to) => {
        const query = this.summaries();
        return (filter.candidateModelId ? query.eq('candidate_model_id', filter.candidateModelId) : query)
          .order('created_at', { ascending: false })
          .order('id')
          .range(from, to);
      },
      filter.limit,
    );
    return rows.map(toEvaluationRun);
  }

  async listUnfinished(): Promise<EvaluationRun[]> {
    const rows = await this.api.readAll('listing unfinished evaluation runs', (from, to) =>
      this.summaries().eq('status', 'generating').order('created_at').order('id').range(from, to),
    );
    return rows.map(toEvaluationRun);
  }

  async items(runId: string): Promise<EvaluationItem[]> {
    if (!isUuid(runId)) return [];
    const rows = await this.api.readAll(`reading the items of evaluation run ${runId}`, (from, to) =>
      this.api.client.from('evaluation_items').select(EVALUATION_ITEM_COLUMNS).eq('run_id', runId).order('position').range(from, to),
    );
    return rows.map(toEvaluationItem);
  }

  async recordAnswer(itemId: string, side: EvaluationSide, answer: EvaluationAnswerRecord): Promise<void> {
    requireUuid(itemId, 'evaluation item id');
    requireSide(side);
    const column = side === 'candidate' ? 'candidate_answer' : 'serving_answer';
    const action = `recording the ${side} answer of evaluation item ${itemId}`;
    // Written once: the filter on the empty column keeps a first answer, as the SQL store's COALESCE does.
    const written = await this.api.run<ApiRow[]>(
      action,
      this.api.client.from('evaluation_items').update({ [column]: answerJson(answer) }).eq('id', itemId).is(column, null).select('id'),
    );
    if (written.length > 0) return;
    const existing = await this.api.run<ApiRow[]>(action, this.api.client.from('evaluation_items').select('id').eq('id', itemId));
    if (existing.length === 0) throw invalidInput(`${action}: no such item`);
  }

  async judge(itemId: string, verdict: EvaluationVerdict, by: { userId: string } | 'model'): Promise<EvaluationItem> {
    requireUuid(itemId, 'evaluation item id');
    requireVerdict(verdict);
    const action = `recording the verdict on evaluation item ${itemId}`;
    const change =
      by === 'model'
        ? { judge_verdict: verdict }
        : { verdict, judged_by: requireUuid(by.userId, 'user id'), judged_at: new Date().toISOString() };
    const rows = await this.api.run<ApiRow[]>(action, this.api.client.from('evaluation_items').update(change).eq('id', itemId).select(EVALUATION_ITEM_COLUMNS));
    if (!rows[0]) throw invalidInput(`${action}: no such item`);
    return toEvaluationItem(rows[0]);
  }

  async update(id: string, change: Parameters<EvaluationRepository['update']>[1]): Promise<EvaluationRun> {
    requireUuid(id, 'evaluation run id');
    const action = `updating evaluation run ${id}`;
    const row: ApiRow = { updated_at: new Date().toISOString() };
    if (change.status !== undefined) row.status = change.status;
    if (change.failureReason !== undefined) row.failure_reason = change.failureReason;
    if (change.report !== undefined) row.report = change.report;
    if (change.finishedAt !== undefined) row.finished_at = change.finishedAt.toISOString();
    const updated = await this.api.run<ApiRow[]>(action, this.api.client.from('evaluation_runs').update(row).eq('id', id).select('id'));
    if (!updated[0]) throw invalidInput(`${action}: no such run`);
    return (await this.get(id))!;
  }

  async latestCompleted(candidateModelId: string, tier: Tier): Promise<EvaluationRun | undefined> {
    if (!isUuid(candidateModelId)) return undefined;
    const rows = await this.api.run<ApiRow[]>(
      `reading the evaluation of model ${candidateModelId}`,
      this.summaries().eq('candidate_model_id', candidateModelId).eq('tier', tier).eq('status', 'completed').order('finished_at', { ascending: false }).order('id').limit(1),
    );
    return rows[0] ? toEvaluationRun(rows[0]) : undefined;
  }

  private summaries() {
    return this.api.client.from('evaluation_run_summaries').select(EVALUATION_RUN_COLUMNS);
  }
}
