import type { ReviewDetail, ReviewFilter, ReviewLabelView, ReviewRow } from '../../../src-shared/review-contract';
import type { ReviewLabelWrite, ReviewQueueRecord, ReviewRepository } from '../repositories';
import {
  labelAction,
  parsed,
  QUEUE_COLUMNS,
  queueOfSomeoneElse,
  toLabelArgument,
  toLabelView,
  toQueue,
  toReviewDetail,
  toReviewPage,
} from '../sql/review-repository';
import { isUuid, requireLimit, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';

/**
 * Review through PostgREST: the functions of migrations/011, as the signed-in operator, so row-level security
 * decides which answers they review (their own; an ML lead their companies'; an admin all) and labels only in
 * their own name.
 */
export class SupabaseReviewRepository implements ReviewRepository {
  constructor(private readonly api: OperatorApi) {}

  async list(query: Parameters<ReviewRepository['list']>[0]): Promise<{ total: number | null; rows: ReviewRow[] }> {
    requireLimit(query.offset, 'offset');
    requireLimit(query.limit);
    const page = await this.api.run<unknown>(
      'reading the review table',
      this.api.client.rpc('triad_review_list', { p_filter: query.filter, p_sort: query.sort, p_offset: query.offset, p_limit: query.limit }),
    );
    return toReviewPage(parsed(page));
  }

  async detail(requestId: string): Promise<ReviewDetail | undefined> {
    if (!isUuid(requestId)) return undefined;
    const detail = await this.api.run<unknown>(`reading answer ${requestId} for review`, this.api.client.rpc('triad_review_detail', { p_request_id: requestId }));
    const value = parsed(detail);
    return value ? toReviewDetail(value) : undefined;
  }

  async details(requestIds: string[]): Promise<ReviewDetail[]> {
    const ids = requestIds.filter(isUuid);
    if (ids.length === 0) return [];
    const details = await this.api.run<unknown>(`reading ${ids.length} answers for review`, this.api.client.rpc('triad_review_details', { p_request_ids: ids }));
    return (parsed(details) as unknown[]).map(toReviewDetail);
  }

  async matchingIds(filter: ReviewFilter, limit: number): Promise<string[]> {
    requireLimit(limit);
    const ids = await this.api.run<unknown>('finding the answers of a review filter', this.api.client.rpc('triad_review_matching_ids', { p_filter: filter, p_limit: limit }));
    return (parsed(ids) as unknown[]).map(String);
  }

  async progress(filter: ReviewFilter): Promise<{ total: number; done: number }> {
    const progress = parsed(await this.api.run<unknown>('counting a review queue', this.api.client.rpc('triad_review_progress', { p_filter: filter }))) as {
      total: unknown;
      done: unknown;
    };
    return { total: Number(progress.total), done: Number(progress.done) };
  }

  async label(labels: ReviewLabelWrite[]): Promise<ReviewLabelView[]> {
    if (labels.length === 0) return [];
    const saved = await this.api.run<unknown>(labelAction(labels), this.api.client.rpc('triad_label_answers', { p_labels: labels.map(toLabelArgument) }));
    return (parsed(saved) as ApiRow[]).map(toLabelView);
  }

  async listQueues(userId: string): Promise<ReviewQueueRecord[]> {
    if (!isUuid(userId)) return [];
    const rows = await this.api.readAll('reading review queues', (from, to) =>
      this.api.client.from('review_queues').select(QUEUE_COLUMNS).eq('user_id', userId).order('created_at').order('id').range(from, to),
    );
    return rows.map(toQueue);
  }

  async saveQueue(queue: { id: string; userId: string; name: string; filter: ReviewFilter }): Promise<ReviewQueueRecord> {
    requireUuid(queue.id, 'queue id');
    requireUuid(queue.userId, 'user id');
    // An id of someone else's queue is hidden by row-level security, so the upsert fails its check: refused.
    const rows = await this.api.run<ApiRow[]>(
      `saving review queue '${queue.name}'`,
      this.api.client
        .from('review_queues')
        .upsert({ id: queue.id, user_id: queue.userId, name: queue.name, filter: queue.filter }, { onConflict: 'id' })
        .select(QUEUE_COLUMNS),
    );
    if (!rows[0]) throw queueOfSomeoneElse(queue.id);
    return toQueue(rows[0]);
  }

  async deleteQueue(userId: string, id: string): Promise<boolean> {
    if (!isUuid(userId) || !isUuid(id)) return false;
    const rows = await this.api.run<ApiRow[]>(
      `deleting review queue ${id}`,
      this.api.client.from('review_queues').delete().eq('id', id).eq('user_id', userId).select('id'),
    );
    return rows.length > 0;
  }
}
