import type { Feedback, FeedbackOnAnswer, FeedbackRepository, RequestLogEntry } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireUuid, toDate, toNumber, toText } from '../values';
import { FEEDBACK_COLUMNS, toFeedback } from '../rows';

/** Feedback on answers, one per user and request (`feedback`). */
export class SqlFeedbackRepository implements FeedbackRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Saves the user's feedback on the request; a second save replaces every field of the first. */
  async save(feedback: Omit<Feedback, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<Feedback> {
    if (feedback.id !== undefined) requireUuid(feedback.id, 'feedback id');
    requireUuid(feedback.requestId, 'request id');
    requireUuid(feedback.userId, 'user id');
    const rows = await withStoreErrors(`saving feedback of user ${feedback.userId} on request ${feedback.requestId}`, () =>
      this.db.query(
        `INSERT INTO feedback (id, request_id, user_id, thumbs, rating, comment, corrected_answer)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7)
         ON CONFLICT (request_id, user_id) DO UPDATE SET
           thumbs = EXCLUDED.thumbs, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
           corrected_answer = EXCLUDED.corrected_answer, updated_at = now()
         RETURNING ${FEEDBACK_COLUMNS}`,
        [feedback.id ?? null, feedback.requestId, feedback.userId, feedback.thumbs, feedback.rating, feedback.comment, feedback.correctedAnswer],
      ),
    );
    return toFeedback(rows[0]!);
  }

  /** Oldest first. */
  async forRequest(requestId: string): Promise<Feedback[]> {
    if (!isUuid(requestId)) return [];
    const rows = await withStoreErrors(`reading feedback on request ${requestId}`, () =>
      this.db.query(`SELECT ${FEEDBACK_COLUMNS} FROM feedback WHERE request_id = $1 ORDER BY created_at, id`, [requestId]),
    );
    return rows.map(toFeedback);
  }

  /** Joined with the request each is on; the embedded store has one operator, who sees everything. */
  async listGivenSince(since: Date): Promise<FeedbackOnAnswer[]> {
    const from = checkSince(since);
    const rows = await withStoreErrors(`reading the feedback given since ${from}`, () =>
      this.db.query(
        `SELECT f.thumbs, f.rating, f.updated_at, r.tier, r.provider, r.model_id, r.model_version
         FROM feedback f JOIN llm_requests r ON r.id = f.request_id
         WHERE f.updated_at >= $1::timestamptz ORDER BY f.updated_at, f.id`,
        [from],
      ),
    );
    return rows.map(toFeedbackOnAnswer);
  }
}

/** `since` as the query's argument; a time that is not one is refused rather than read as "all". */
export function checkSince(since: Date): string {
  if (!(since instanceof Date) || !Number.isFinite(since.getTime())) throw invalidInput(`since must be a valid time, got ${String(since)}`);
  return since.toISOString();
}

/** A row of feedback with its request's tier, provider and model columns (flat, as both backends read them). */
export function toFeedbackOnAnswer(row: Record<string, unknown>): FeedbackOnAnswer {
  return {
    thumbs: toNumber(row.thumbs) as FeedbackOnAnswer['thumbs'],
    rating: toNumber(row.rating),
    updatedAt: toDate(row.updated_at),
    answer: {
      tier: toText(row.tier) as RequestLogEntry['tier'],
      provider: toText(row.provider) as RequestLogEntry['provider'],
      modelId: toText(row.model_id),
      modelVersion: toText(row.model_version),
    },
  };
}
