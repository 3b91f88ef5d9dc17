import type { ConversationRepository, StoredMessage, TranscriptTurn } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireUuid, toDate, toText } from '../values';
import { toMessage, toRequestSummary, toViewerFeedback } from '../rows';

/** Conversations (`conversations`) and their messages (`messages`). */
export class SqlConversationRepository implements ConversationRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(conversation: { id?: string; userId: string; companySlug?: string; title: string }): Promise<{ id: string }> {
    if (conversation.id !== undefined) requireUuid(conversation.id, 'conversation id');
    requireUuid(conversation.userId, 'user id');
    const action = `creating conversation '${conversation.title}'`;
    const rows = await withStoreErrors(action, () =>
      this.db.query<{ id: string | null; company_known: boolean }>(
        `WITH company AS (SELECT (SELECT id FROM companies WHERE slug = $3) AS id),
         created AS (
           INSERT INTO conversations (id, user_id, company_id, title)
           SELECT COALESCE($1::uuid, gen_random_uuid()), $2, company.id, $4 FROM company
            WHERE $3::text IS NULL OR company.id IS NOT NULL
           RETURNING id
         )
         SELECT (SELECT id FROM created) AS id, $3::text IS NULL OR company.id IS NOT NULL AS company_known FROM company`,
        [conversation.id ?? null, conversation.userId, conversation.companySlug ?? null, conversation.title],
      ),
    );
    const row = rows[0]!;
    if (!row.company_known) throw invalidInput(`${action}: no company '${conversation.companySlug}'`);
    return { id: String(row.id) };
  }

  /** Most recently active first. */
  async listForUser(userId: string): Promise<Array<{ id: string; title: string; companySlug: string | null; updatedAt: Date }>> {
    if (!isUuid(userId)) return [];
    const rows = await withStoreErrors(`listing conversations of user ${userId}`, () =>
      this.db.query(
        `SELECT v.id, v.title, c.slug AS company_slug, v.updated_at
           FROM conversations v LEFT JOIN companies c ON c.id = v.company_id
          WHERE v.user_id = $1
          ORDER BY v.updated_at DESC, v.id`,
        [userId],
      ),
    );
    return rows.map((row) => ({ id: String(row.id), title: String(row.title), companySlug: toText(row.company_slug), updatedAt: toDate(row.updated_at) }));
  }

  /** Oldest first; a prompt comes before its answer even when both carry the same time. */
  async messages(conversationId: string): Promise<StoredMessage[]> {
    if (!isUuid(conversationId)) return [];
    const rows = await withStoreErrors(`reading messages of conversation ${conversationId}`, () =>
      this.db.query(
        `SELECT id, conversation_id, request_id, role, content, created_at
           FROM messages
          WHERE conversation_id = $1
          ORDER BY created_at, CASE role WHEN 'system' THEN 0 WHEN 'user' THEN 1 ELSE 2 END, id`,
        [conversationId],
      ),
    );
    return rows.map(toMessage);
  }

  /** One query: messages with their request and the viewer's feedback, oldest first; only the owner sees them. */
  async transcript(conversationId: string, viewerId: string): Promise<TranscriptTurn[]> {
    if (!isUuid(conversationId) || !isUuid(viewerId)) return [];
    const rows = await withStoreErrors(`reading conversation ${conversationId}`, () =>
      this.db.query(
        `SELECT m.id, m.conversation_id, m.request_id, m.role, m.content, m.created_at,
                r.tier, r.provider, r.model_id, r.model_version, r.routing_reason, r.status, r.error_code,
                r.error_message, r.finish_reason, r.ttft_ms, r.latency_ms, r.tokens_in, r.tokens_out,
                r.route_attempts, r.cache_hit,
                f.id AS f_id, f.thumbs, f.rating, f.comment, f.corrected_answer, f.created_at AS f_created_at,
                f.updated_at AS f_updated_at
           FROM messages m
           LEFT JOIN llm_requests r ON r.id = m.request_id
           LEFT JOIN feedback f ON f.request_id = m.request_id AND f.user_id = $2 AND m.role = 'assistant'
          WHERE m.conversation_id = $1
            AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id AND c.user_id = $2)
          ORDER BY m.created_at, CASE m.role WHEN 'system' THEN 0 WHEN 'user' THEN 1 ELSE 2 END, m.id`,
        [conversationId, viewerId],
      ),
    );
    return rows.map((row) => ({ message: toMessage(row), request: toRequestSummary(row, row.request_id), feedback: toViewerFeedback(row, viewerId) }));
  }
}
