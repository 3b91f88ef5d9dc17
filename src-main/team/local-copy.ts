import type { Company, TranscriptTurn, TriadStore, UserAccess } from '../store/repositories';
import type { SqlExecutor, SqlQueryable, SqlRow } from '../store/sql-executor';
import { createSqlStore } from '../store/sql-store';
import { withStoreErrors } from '../store/store-errors';

// The team store's own tables (migrations/010, schema triad_local) and the mirroring of what it reads from
// Supabase into the embedded store's tables. The SQL is here, beside its only user, rather than among the
// repositories of src-main/store: none of it is part of the TriadStore contract.

/** Who a team store acts for: one operator of one Supabase project. */
export interface TeamScope {
  /** The project URL. */
  project: string;
  /** The operator's id (auth.uid()). */
  userId: string;
}

/** What an outbox item replays. */
export type OutboxKind = 'request' | 'conversation' | 'feedback' | 'preference' | 'review_labels' | 'review_queue' | 'review_queue_delete';

/** One write waiting for Supabase. */
export interface OutboxItem {
  seq: number;
  kind: OutboxKind;
  payload: unknown;
}

/** How far the outbox is from Supabase. */
export interface OutboxCounts {
  /** Items waiting to be sent. */
  waiting: number;
  /** Items Supabase refused for good, set aside. */
  refused: number;
  /** Why the last refused item was refused. */
  lastRefusal: string | null;
}

/** What a write may do inside its local transaction: the SQL repositories on it, and the outbox. */
export interface LocalWrite {
  store: TriadStore;
  append(items: Array<{ kind: OutboxKind; payload: unknown }>): Promise<void>;
  /** Which of these request ids the local copy already holds. */
  knownRequests(ids: string[]): Promise<Set<string>>;
}

/** An executor whose every call runs in `tx`; its own transactions are part of that one. */
function executorIn(tx: SqlQueryable, engine: SqlExecutor['engine']): SqlExecutor {
  return {
    engine,
    query: <T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]) => tx.query<T>(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
}

/**
 * A team operator's copy of their data on this computer, in the embedded store: their conversations, requests,
 * messages, feedback and votes in the usual tables (written here first, then sent), what was last read of the
 * team's configuration, and the outbox.
 */
export class LocalCopy {
  /** The embedded store's repositories, outside any transaction. */
  readonly store: TriadStore;

  constructor(
    /** The embedded store's connection: the team review keeps its copies beside the local copy (team-review.ts). */
    readonly executor: SqlExecutor,
    readonly scope: TeamScope,
  ) {
    this.store = createSqlStore(executor);
  }

  /** Runs `work` in one local transaction: the write and its outbox items commit together or not at all. */
  write<T>(action: string, work: (write: LocalWrite) => Promise<T>): Promise<T> {
    return withStoreErrors(action, () =>
      this.executor.transaction(async (tx) =>
        work({
          store: createSqlStore(executorIn(tx, this.executor.engine)),
          append: (items) => appendToOutbox(tx, this.scope, items),
          knownRequests: async (ids) => {
            if (ids.length === 0) return new Set();
            const rows = await tx.query<{ id: string }>(
              'SELECT id FROM llm_requests WHERE id IN (SELECT value::uuid FROM json_array_elements_text($1::text::json))',
              [JSON.stringify(ids)],
            );
            return new Set(rows.map((row) => String(row.id)));
          },
        }),
      ),
    );
  }

  /** The oldest waiting items of this operator, in order. */
  async waiting(limit: number): Promise<OutboxItem[]> {
    const rows = await withStoreErrors('reading the outbox', () =>
      this.executor.query<{ seq: unknown; kind: OutboxKind; payload: unknown }>(
        `SELECT seq, kind, payload FROM triad_local.outbox
          WHERE project = $1 AND user_id = $2 AND refused_at IS NULL
          ORDER BY seq LIMIT $3`,
        [this.scope.project, this.scope.userId, limit],
      ),
    );
    return rows.map((row) => ({ seq: Number(row.seq), kind: row.kind, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload }));
  }

  /** Supabase has these items: they leave the outbox. */
  async sent(seqs: number[]): Promise<void> {
    await withStoreErrors('removing sent items from the outbox', () =>
      this.executor.query('DELETE FROM triad_local.outbox WHERE seq IN (SELECT value::bigint FROM json_array_elements_text($1::text::json))', [
        JSON.stringify(seqs),
      ]),
    );
  }

  /** Supabase refused the item for good: it stays, set aside with the reason, and is not sent again. */
  async setAside(seq: number, reason: string): Promise<void> {
    await withStoreErrors('setting aside a refused outbox item', () =>
      this.executor.query('UPDATE triad_local.outbox SET refused_at = now(), refused_reason = $2 WHERE seq = $1', [seq, reason]),
    );
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await withStoreErrors('counting the outbox', () =>
      this.executor.query<{ waiting: unknown; refused: unknown; last_refusal: string | null }>(
        `SELECT count(*) FILTER (WHERE refused_at IS NULL) AS waiting,
                count(*) FILTER (WHERE refused_at IS NOT NULL) AS refused,
                (SELECT refused_reason FROM triad_local.outbox
                  WHERE project = $1 AND user_id = $2 AND refused_at IS NOT NULL
                  ORDER BY refused_at DESC, seq DESC LIMIT 1) AS last_refusal
           FROM triad_local.outbox WHERE project = $1 AND user_id = $2`,
        [this.scope.project, this.scope.userId],
      ),
    );
    const row = rows[0];
    return { waiting: Number(row?.waiting ?? 0), refused: Number(row?.refused ?? 0), lastRefusal: row?.last_refusal ?? null };
  }

  /** A value remembered for this operator: `{ value }`, or undefined when none was. */
  async recall<T>(key: string): Promise<{ value: T } | undefined> {
    const rows = await withStoreErrors(`reading the remembered '${key}'`, () =>
      this.executor.query<{ value: unknown }>('SELECT value FROM triad_local.team_values WHERE project = $1 AND user_id = $2 AND key = $3', [
        this.scope.project,
        this.scope.userId,
        key,
      ]),
    );
    const row = rows[0];
    if (!row) return undefined;
    // Wrapped, so that an undefined or null value is remembered too.
    const wrapped = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as { v?: T };
    return { value: wrapped.v as T };
  }

  async remember(key: string, value: unknown): Promise<void> {
    await withStoreErrors(`remembering '${key}'`, () =>
      this.executor.query(
        `INSERT INTO triad_local.team_values (project, user_id, key, value) VALUES ($1, $2, $3, $4::text::jsonb)
         ON CONFLICT (project, user_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [this.scope.project, this.scope.userId, key, JSON.stringify({ v: value })],
      ),
    );
  }

  /**
   * The operator's row in `users`, which their conversations, feedback and votes reference. `placeholder` only
   * creates one where there is none (a session restored offline on a computer that never saw the operator):
   * no company, the least role, until Supabase answers.
   */
  async ensureOperator(user: Pick<UserAccess, 'id' | 'displayName' | 'role'>, options: { placeholder?: boolean } = {}): Promise<void> {
    await withStoreErrors(`saving operator ${user.id} in the local copy`, () =>
      this.executor.query(
        `INSERT INTO users (id, display_name, role) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO ${options.placeholder ? 'NOTHING' : 'UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role'}`,
        [user.id, user.displayName, user.role],
      ),
    );
  }

  /**
   * Companies the operator may see, so that local conversations and requests can name them. A company is known
   * by its slug everywhere in Triad; one whose slug is already taken here (the embedded store's sample company)
   * is not copied, and local rows about that slug use the local company.
   */
  async ensureCompanies(companies: Company[]): Promise<void> {
    if (companies.length === 0) return;
    await withStoreErrors('saving companies in the local copy', () =>
      this.executor.query(
        `INSERT INTO companies (id, slug, name)
         SELECT e.id, e.slug, e.name FROM json_to_recordset($1::text::json) AS e(id uuid, slug text, name text)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(companies)],
      ),
    );
  }

  async hasConversation(conversationId: string): Promise<boolean> {
    const rows = await withStoreErrors(`reading conversation ${conversationId}`, () =>
      this.executor.query('SELECT 1 FROM conversations WHERE id = $1 AND user_id = $2', [conversationId, this.scope.userId]),
    );
    return rows.length > 0;
  }

  /** The operator's conversations as Supabase listed them; the local `updated_at` only moves forward. */
  async mirrorConversations(conversations: Array<{ id: string; title: string; companySlug: string | null; updatedAt: Date }>): Promise<void> {
    if (conversations.length === 0) return;
    await withStoreErrors('copying conversations into the local copy', () =>
      this.executor.query(
        `INSERT INTO conversations (id, user_id, company_id, title, created_at, updated_at)
         SELECT e.id, $1, c.id, e.title, e.updated_at, e.updated_at
           FROM json_to_recordset($2::text::json) AS e(id uuid, title text, company_slug text, updated_at timestamptz)
           LEFT JOIN companies c ON c.slug = e.company_slug
         ON CONFLICT (id) DO UPDATE SET updated_at = GREATEST(conversations.updated_at, EXCLUDED.updated_at)`,
        [this.scope.userId, JSON.stringify(conversations.map((c) => ({ id: c.id, title: c.title, company_slug: c.companySlug, updated_at: c.updatedAt })))],
      ),
    );
  }

  /**
   * A transcript as Supabase answered it: its requests, messages and the operator's feedback, in one local
   * transaction. Requests and messages never change, so rows already here stay; feedback follows the rule of
   * the outbox (the later `updated_at` wins), so an edit made here and not yet sent is kept. The conversation
   * must be in the local copy already.
   */
  async mirrorTranscript(conversationId: string, turns: TranscriptTurn[]): Promise<void> {
    const requests = new Map<string, { turn: TranscriptTurn; first: Date; last: Date }>();
    for (const turn of turns) {
      if (!turn.request) continue;
      const known = requests.get(turn.request.id);
      const at = turn.message.createdAt;
      if (!known) requests.set(turn.request.id, { turn, first: at, last: at });
      else {
        if (at < known.first) known.first = at;
        if (at > known.last) known.last = at;
      }
    }
    const requestRows = [...requests.values()].map(({ turn, first, last }) => {
      const r = turn.request!;
      return {
        id: r.id, tier: r.tier, provider: r.provider, model_id: r.modelId, model_version: r.modelVersion, routing_reason: r.routingReason,
        status: r.status, error_code: r.errorCode, error_message: r.errorMessage, finish_reason: r.finishReason, ttft_ms: r.ttftMs,
        latency_ms: r.latencyMs, tokens_in: r.tokensIn, tokens_out: r.tokensOut, created_at: first, completed_at: last,
        route_attempts: r.routeAttempts, cache_hit: r.cacheHit,
      };
    });
    const messageRows = turns.map(({ message }) => ({
      id: message.id, request_id: message.requestId, role: message.role, content: message.content, created_at: message.createdAt,
    }));
    const feedbackRows = turns.flatMap(({ feedback }) =>
      feedback && feedback.userId === this.scope.userId
        ? [{
            id: feedback.id, request_id: feedback.requestId, thumbs: feedback.thumbs, rating: feedback.rating, comment: feedback.comment,
            corrected_answer: feedback.correctedAnswer, created_at: feedback.createdAt, updated_at: feedback.updatedAt,
          }]
        : [],
    );
    await withStoreErrors(`copying conversation ${conversationId} into the local copy`, () =>
      this.executor.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO llm_requests (id, conversation_id, user_id, company_id, tier, provider, model_id, model_version, routing_reason,
             status, error_code, error_message, finish_reason, ttft_ms, latency_ms, tokens_in, tokens_out, created_at, completed_at,
             route_attempts, cache_hit)
           SELECT e.id, v.id, $2, v.company_id, e.tier, e.provider, e.model_id, e.model_version, e.routing_reason, e.status,
                  e.error_code, e.error_message, e.finish_reason, e.ttft_ms, e.latency_ms, e.tokens_in, e.tokens_out, e.created_at,
                  e.completed_at, e.route_attempts, e.cache_hit
             FROM json_to_recordset($3::text::json) AS e(
                    id uuid, tier text, provider text, model_id text, model_version text, routing_reason text, status text,
                    error_code text, error_message text, finish_reason text, ttft_ms float8, latency_ms float8, tokens_in int,
                    tokens_out int, created_at timestamptz, completed_at timestamptz, route_attempts jsonb, cache_hit boolean)
             JOIN conversations v ON v.id = $1 AND v.user_id = $2
           ON CONFLICT (id) DO NOTHING`,
          [conversationId, this.scope.userId, JSON.stringify(requestRows)],
        );
        await tx.query(
          `INSERT INTO messages (id, conversation_id, request_id, role, content, created_at)
           SELECT e.id, v.id, r.id, e.role, e.content, e.created_at
             FROM json_to_recordset($3::text::json) AS e(id uuid, request_id uuid, role text, content text, created_at timestamptz)
             JOIN conversations v ON v.id = $1 AND v.user_id = $2
             LEFT JOIN llm_requests r ON r.id = e.request_id
           ON CONFLICT (id) DO NOTHING`,
          [conversationId, this.scope.userId, JSON.stringify(messageRows)],
        );
        if (feedbackRows.length === 0) return;
        await tx.query(
          `INSERT INTO feedback AS f (id, request_id, user_id, thumbs, rating, comment, corrected_answer, created_at, updated_at)
           SELECT e.id, r.id, $1, e.thumbs, e.rating, e.comment, e.corrected_answer, e.created_at, e.updated_at
             FROM json_to_recordset($2::text::json) AS e(
                    id uuid, request_id uuid, thumbs smallint, rating smallint, comment text, corrected_answer text,
                    created_at timestamptz, updated_at timestamptz)
             JOIN llm_requests r ON r.id = e.request_id
           ON CONFLICT (request_id, user_id) DO UPDATE SET
             thumbs = EXCLUDED.thumbs, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
             corrected_answer = EXCLUDED.corrected_answer, updated_at = EXCLUDED.updated_at
           WHERE f.updated_at < EXCLUDED.updated_at`,
          [this.scope.userId, JSON.stringify(feedbackRows)],
        );
      }),
    );
  }
}

/** Items waiting for any operator of `project` (or of every project): what signing in again would send. */
export async function countWaiting(executor: SqlExecutor, project?: string): Promise<number> {
  const rows = await withStoreErrors('counting the outbox', () =>
    executor.query<{ waiting: unknown }>(
      'SELECT count(*) AS waiting FROM triad_local.outbox WHERE refused_at IS NULL AND ($1::text IS NULL OR project = $1)',
      [project ?? null],
    ),
  );
  return Number(rows[0]?.waiting ?? 0);
}

async function appendToOutbox(tx: SqlQueryable, scope: TeamScope, items: Array<{ kind: OutboxKind; payload: unknown }>): Promise<void> {
  if (items.length === 0) return;
  // WITH ORDINALITY and ORDER BY: the identity follows the order of the items.
  await tx.query(
    `INSERT INTO triad_local.outbox (project, user_id, kind, payload)
     SELECT $1, $2, e.item ->> 'kind', (e.item -> 'payload')::jsonb
       FROM json_array_elements($3::text::json) WITH ORDINALITY AS e(item, n)
      ORDER BY e.n`,
    [scope.project, scope.userId, JSON.stringify(items)],
  );
}
