import type { Feedback, FeedbackRepository } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { withStoreErrors } from '../store-errors';
import { isUuid, requireUuid } from '../values';
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
}
