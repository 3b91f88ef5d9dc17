import type { ConversationRepository, RequestSummary, StoredMessage, TranscriptTurn } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireUuid, toDate, toNumber, toText } from '../values';
import { toMessage } from '../rows';

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
    return rows.map((row) => ({
      message: toMessage(row),
      request: row.request_id
        ? {
            id: String(row.request_id),
            tier: row.tier as RequestSummary['tier'],
            provider: row.provider as RequestSummary['provider'],
            modelId: toText(row.model_id),
            modelVersion: toText(row.model_version),
            routingReason: toText(row.routing_reason),
            status: row.status as RequestSummary['status'],
            errorCode: row.error_code as RequestSummary['errorCode'],
            errorMessage: toText(row.error_message),
            finishReason: row.finish_reason as RequestSummary['finishReason'],
            ttftMs: toNumber(row.ttft_ms),
            latencyMs: Number(row.latency_ms),
            tokensIn: toNumber(row.tokens_in),
            tokensOut: toNumber(row.tokens_out),
            routeAttempts: (typeof row.route_attempts === 'string' ? JSON.parse(row.route_attempts) : (row.route_attempts ?? [])) as RequestSummary['routeAttempts'],
            cacheHit: row.cache_hit === true,
          }
        : null,
      feedback: row.f_id
        ? {
            id: String(row.f_id),
            requestId: String(row.request_id),
            userId: viewerId,
            thumbs: toNumber(row.thumbs) as 1 | -1 | null,
            rating: toNumber(row.rating),
            comment: toText(row.comment),
            correctedAnswer: toText(row.corrected_answer),
            createdAt: toDate(row.f_created_at),
            updatedAt: toDate(row.f_updated_at),
          }
        : null,
    }));
  }
}
