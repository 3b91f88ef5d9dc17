import type { ConversationRepository, StoredMessage } from '../repositories';
import type { SqlExecutor, SqlRow } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireUuid, toDate, toText } from './values';

function toMessage(row: SqlRow): StoredMessage {
  return {
    id: String(row.id),
    conversationId: toText(row.conversation_id),
    requestId: toText(row.request_id),
    role: row.role as StoredMessage['role'],
    content: String(row.content),
    createdAt: toDate(row.created_at),
  };
}

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
}
