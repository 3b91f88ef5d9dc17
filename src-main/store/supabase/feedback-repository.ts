import type { Feedback, FeedbackOnAnswer, FeedbackRepository } from '../repositories';
import { checkSince, toFeedbackOnAnswer } from '../sql/feedback-repository';
import { isUuid, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { FEEDBACK_COLUMNS, toFeedback } from '../rows';

/** Feedback on answers: each operator writes their own; ML leads read their companies', admins all. */
export class SupabaseFeedbackRepository implements FeedbackRepository {
  constructor(private readonly api: OperatorApi) {}

  /** A second save replaces every field of the first but its id (migrations/009 triad_save_feedback). */
  async save(feedback: Omit<Feedback, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<Feedback> {
    if (feedback.id !== undefined) requireUuid(feedback.id, 'feedback id');
    requireUuid(feedback.requestId, 'request id');
    requireUuid(feedback.userId, 'user id');
    const row = await this.api.run<ApiRow>(
      `saving feedback of user ${feedback.userId} on request ${feedback.requestId}`,
      this.api.client.rpc('triad_save_feedback', {
        p_id: feedback.id ?? null,
        p_request_id: feedback.requestId,
        p_user_id: feedback.userId,
        p_thumbs: feedback.thumbs,
        p_rating: feedback.rating,
        p_comment: feedback.comment,
        p_corrected_answer: feedback.correctedAnswer,
      }),
    );
    return toFeedback(row);
  }

  /** Oldest first, among the feedback the operator may read. */
  async forRequest(requestId: string): Promise<Feedback[]> {
    if (!isUuid(requestId)) return [];
    const rows = await this.api.readAll(`reading feedback on request ${requestId}`, (from, to) =>
      this.api.client.from('feedback').select(FEEDBACK_COLUMNS).eq('request_id', requestId).order('created_at').order('id').range(from, to),
    );
    return rows.map(toFeedback);
  }

  /**
   * With each one's request embedded (feedback.request_id references llm_requests): row-level security decides
   * both which feedback and which requests the operator reads, and `!inner` leaves out feedback on a request
   * they may not see.
   */
  async listGivenSince(since: Date): Promise<FeedbackOnAnswer[]> {
    const from = checkSince(since);
    const rows = await this.api.readAll(`reading the feedback given since ${from}`, (from_, to) =>
      this.api.client
        .from('feedback')
        .select('thumbs, rating, updated_at, llm_requests!inner(tier, provider, model_id, model_version)')
        .gte('updated_at', from)
        .order('updated_at')
        .order('id')
        .range(from_, to),
    );
    return rows.map(({ llm_requests: request, ...row }) => toFeedbackOnAnswer({ ...row, ...(request as Record<string, unknown>) }));
  }
}
