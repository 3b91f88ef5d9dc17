import type { RequestLogEntry, RequestLogRepository } from '../repositories';
import type { SqlExecutor, SqlQueryable } from '../sql-executor';
import { withStoreErrors } from '../store-errors';
import { toConversationRow, toEntry, toJsonRow, validUniqueEntries } from './request-log-rows';
import { isUuid, requireLimit } from '../values';

/** Entries per INSERT statement: keeps one statement's JSON parameter to a few megabytes. */
const ENTRIES_PER_STATEMENT = 500;

// A batch travels as ONE JSON parameter unpacked by json_to_recordset: one statement for any number of
// rows, the same on PGlite and PostgreSQL, with no driver-specific array serialisation. (json, not jsonb:
// the text is only read once, and building jsonb costs PGlite measurably more.)
const ENTRY_RECORD = `json_to_recordset($1::text::json) AS e(
  id uuid, conversation_id uuid, user_id uuid, company_slug text, requested_tier text, tier text, provider text,
  model_id text, model_version text, routing_reason text, status text, error_code text, error_message text,
  finish_reason text, ttft_ms float8, latency_ms float8, tokens_in int, tokens_out int,
  created_at timestamptz, completed_at timestamptz, prompt_id uuid, prompt text, answer_id uuid, answer text,
  route_attempts jsonb, cache_hit boolean)`;

/**
 * Creates each named conversation that does not exist yet (owned by the request's user, titled with the
 * prompt's first 80 characters) and moves existing ones' updated_at forward. Requests by users that do not
 * exist (rejected ones) create nothing: a conversation must belong to a user. It gets its own small JSON
 * (only entries with a conversation, no answers) so that it costs little next to the main insert.
 */
const UPSERT_CONVERSATIONS = `
  INSERT INTO conversations (id, user_id, company_id, title, created_at, updated_at)
  SELECT DISTINCT ON (e.conversation_id)
         e.conversation_id, e.user_id, c.id, e.title, e.created_at,
         max(e.completed_at) OVER (PARTITION BY e.conversation_id)
    FROM json_to_recordset($1::text::json) AS e(
           conversation_id uuid, user_id uuid, company_slug text, title text, created_at timestamptz, completed_at timestamptz)
    JOIN users u ON u.id = e.user_id
    LEFT JOIN companies c ON c.slug = e.company_slug
   ORDER BY e.conversation_id, e.created_at
  ON CONFLICT (id) DO UPDATE SET updated_at = GREATEST(conversations.updated_at, EXCLUDED.updated_at)`;

/**
 * Inserts the request rows and, only for rows that were new, their prompt and answer messages: a retried
 * batch adds nothing, even if it carried other message ids.
 */
const INSERT_REQUESTS_AND_MESSAGES = `
  WITH e AS (SELECT * FROM ${ENTRY_RECORD}),
  inserted AS (
    INSERT INTO llm_requests (id, conversation_id, user_id, company_id, requested_tier, tier, provider, model_id,
      model_version, routing_reason, status, error_code, error_message, finish_reason, ttft_ms, latency_ms,
      tokens_in, tokens_out, created_at, completed_at, route_attempts, cache_hit)
    SELECT e.id, e.conversation_id, e.user_id, c.id, e.requested_tier, e.tier, e.provider, e.model_id,
      e.model_version, e.routing_reason, e.status, e.error_code, e.error_message, e.finish_reason, e.ttft_ms,
      e.latency_ms, e.tokens_in, e.tokens_out, e.created_at, e.completed_at, e.route_attempts, e.cache_hit
      FROM e LEFT JOIN companies c ON c.slug = e.company_slug
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  INSERT INTO messages (id, conversation_id, request_id, role, content, created_at)
  SELECT m.id, conv.id, e.id, m.role, m.content, m.created_at
    FROM e
    JOIN inserted ON inserted.id = e.id
    LEFT JOIN conversations conv ON conv.id = e.conversation_id
    CROSS JOIN LATERAL (VALUES (e.prompt_id, 'user', e.prompt, e.created_at),
                               (e.answer_id, 'assistant', e.answer, e.completed_at)) AS m(id, role, content, created_at)
   WHERE m.id IS NOT NULL
  ON CONFLICT (id) DO NOTHING`;

const SELECT_ENTRIES = `
  SELECT r.*, c.slug AS company_slug, p.id AS prompt_id, p.content AS prompt_content,
         a.id AS answer_id, a.content AS answer_content
    FROM llm_requests r
    LEFT JOIN companies c ON c.id = r.company_id
    LEFT JOIN LATERAL (SELECT id, content FROM messages m WHERE m.request_id = r.id AND m.role = 'user'
                        ORDER BY m.created_at, m.id LIMIT 1) p ON true
    LEFT JOIN LATERAL (SELECT id, content FROM messages m WHERE m.request_id = r.id AND m.role = 'assistant'
                        ORDER BY m.created_at, m.id LIMIT 1) a ON true`;

/** The request log in `llm_requests`, with prompt and answer in `messages`. */
export class SqlRequestLogRepository implements RequestLogRepository {
  constructor(
    private readonly db: SqlExecutor,
    /** Told as each write starts and ends (the embedded store's search indexer waits for a quiet log). */
    private readonly onWrite?: () => void,
  ) {}

  async record(entry: RequestLogEntry): Promise<void> {
    await this.recordMany([entry]);
  }

  /**
   * Writes many entries in one transaction, a few statements in all. Idempotent by entry id. Every entry
   * is checked first, so one bad entry fails the call before anything is written, with a message naming it.
   */
  async recordMany(entries: RequestLogEntry[]): Promise<void> {
    const all = validUniqueEntries(entries);
    if (all.length === 0) return;
    const what = all.length === 1 ? `request ${all[0]!.id}` : `${all.length} requests`;
    // Before and after: a long write is not a quiet log.
    this.onWrite?.();
    await withStoreErrors(`logging ${what}`, () =>
      this.db.transaction(async (tx) => {
        for (let start = 0; start < all.length; start += ENTRIES_PER_STATEMENT) {
          await writeChunk(tx, all.slice(start, start + ENTRIES_PER_STATEMENT));
        }
      }),
    );
    this.onWrite?.();
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await withStoreErrors(`reading request ${id}`, () => this.db.query(`${SELECT_ENTRIES} WHERE r.id = $1`, [id]));
    return rows[0] && toEntry(rows[0]);
  }

  async listRecent(limit: number): Promise<RequestLogEntry[]> {
    requireLimit(limit);
    const rows = await withStoreErrors('listing recent requests', () =>
      this.db.query(`${SELECT_ENTRIES} ORDER BY r.created_at DESC, r.id DESC LIMIT $1`, [limit]),
    );
    return rows.map(toEntry);
  }
}

async function writeChunk(tx: SqlQueryable, entries: RequestLogEntry[]): Promise<void> {
  const conversations = entries.filter((e) => e.conversationId !== null && e.userId !== null).map(toConversationRow);
  // Conversations first: the messages reference them.
  if (conversations.length > 0) await tx.query(UPSERT_CONVERSATIONS, [JSON.stringify(conversations)]);
  await tx.query(INSERT_REQUESTS_AND_MESSAGES, [JSON.stringify(entries.map(toJsonRow))]);
}
