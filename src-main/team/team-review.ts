import type { ReviewDetail, ReviewFilter, ReviewLabelView, ReviewRow } from '../../src-shared/review-contract';
import type { ReviewLabelWrite, ReviewQueueRecord, ReviewRepository } from '../store/repositories';
import type { SqlQueryable } from '../store/sql-executor';
import { SqlReviewRepository } from '../store/sql/review-repository';
import { invalidInput, withStoreErrors } from '../store/store-errors';
import type { SupabaseStore } from '../store/supabase/supabase-store';
import type { LocalCopy } from './local-copy';
import { isUnreachable, type RemoteLink } from './remote-link';

/** Labels per outbox item: a bulk label of thousands of answers is sent in calls of this many. */
const LABELS_PER_ITEM = 1_000;
/** Answers copied per call when the ones shown or labelled are brought into the local copy. */
const DETAILS_PER_CALL = 200;

/** What the team review needs of the team store. */
export interface TeamReviewOptions {
  local: LocalCopy;
  link: RemoteLink;
  onWrite(): void;
  logger: { warn(object: object, message?: string): void };
}

/**
 * Review in team mode. Online, the table, the detail and the queues' progress are read from Supabase (row-level
 * security decides what the operator reviews), and every answer shown is copied into the local copy, so that it
 * can be reviewed offline; offline they are read from the local copy, limited to the operator's scope (their own
 * requests and those copied for them from this project). Labels and queues are written to the local copy and the
 * outbox in one transaction and sent in order; a label not yet sent wins over Supabase's older one when shown.
 */
export function createTeamReview(options: TeamReviewOptions): ReviewRepository {
  const { local, link } = options;
  const operatorId = local.scope.userId;
  const mine = new SqlReviewRepository(local.executor, local.scope);

  /** From Supabase while it answers, else from the local copy. */
  async function remoteOr<T>(read: (remote: SupabaseStore) => Promise<T>, offline: () => Promise<T>): Promise<T> {
    try {
      return await link.run(read);
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      return offline();
    }
  }

  /** Copies answers into the local copy; a failure is logged: what Supabase answered still stands. */
  async function keep(details: ReviewDetail[]): Promise<void> {
    if (details.length === 0) return;
    await copyDetails(local, details).catch((error: unknown) => options.logger.warn({ err: error }, 'could not copy answers under review into the local copy'));
  }

  /** The local labels of these answers that are newer than the ones Supabase answered with (not sent yet). */
  async function newerHere(ids: string[]): Promise<Map<string, ReviewLabelView>> {
    if (ids.length === 0) return new Map();
    const details = await mine.details(ids);
    return new Map(details.flatMap((d) => (d.label ? [[d.request.id, d.label] as const] : [])));
  }

  /** Brings the answers about to be labelled into the local copy (labels reference them there). */
  async function ensureCopied(ids: string[]): Promise<void> {
    const missing = await missingHere(local, ids);
    if (missing.length === 0) return;
    try {
      for (let start = 0; start < missing.length; start += DETAILS_PER_CALL) {
        await copyDetails(local, await link.run((remote) => remote.review.details(missing.slice(start, start + DETAILS_PER_CALL))));
      }
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      throw invalidInput(`${missing.length} of the answers to label are not on this computer and Supabase cannot be reached: label them once connected`);
    }
    const still = await missingHere(local, missing);
    if (still.length > 0) throw invalidInput(`labelling answer ${still[0]}: no such answer, or not one this operator may review`);
  }

  return {
    async list(query) {
      return remoteOr(
        async (remote) => {
          const page = await remote.review.list(query);
          const ids = page.rows.map((row) => row.id);
          void remote.review.details(ids).then(keep, (error: unknown) => options.logger.warn({ err: error }, 'could not copy answers under review'));
          const pending = await newerHere(ids);
          return { total: page.total, rows: page.rows.map((row) => withLocalLabel(row, pending.get(row.id))) };
        },
        () => mine.list(query),
      );
    },
    async detail(requestId) {
      const remote = await remoteOr<ReviewDetail | undefined | null>((r) => r.review.detail(requestId), async () => null);
      if (remote === null) return (await inScope(local, [requestId])).length > 0 ? (await mine.details([requestId]))[0] : undefined;
      if (!remote) return undefined;
      await keep([remote]);
      const here = (await newerHere([requestId])).get(requestId);
      return here && (!remote.label || here.updatedAt > remote.label.updatedAt) ? { ...remote, label: here } : remote;
    },
    details: (ids) => remoteOr((remote) => remote.review.details(ids), async () => mine.details(await inScope(local, ids))),
    matchingIds: (filter, limit) => remoteOr((remote) => remote.review.matchingIds(filter, limit), () => mine.matchingIds(filter, limit)),
    progress: (filter) => remoteOr((remote) => remote.review.progress(filter), () => mine.progress(filter)),
    async label(labels) {
      if (labels.length === 0) return [];
      for (const label of labels) {
        if (label.reviewerId !== operatorId) throw invalidInput(`labelling answer ${label.requestId}: a team store labels only as the signed-in operator (user ${operatorId})`);
      }
      await ensureCopied([...new Set(labels.map((l) => l.requestId))]);
      const saved = await local.write(labels.length === 1 ? `labelling answer ${labels[0]!.requestId}` : `labelling ${labels.length} answers`, async (write) => {
        const current = await write.store.review.label(labels);
        const items = [];
        for (let start = 0; start < labels.length; start += LABELS_PER_ITEM) {
          items.push({ kind: 'review_labels' as const, payload: labels.slice(start, start + LABELS_PER_ITEM) });
        }
        await write.append(items);
        return current;
      });
      options.onWrite();
      return saved;
    },
    async listQueues(userId) {
      if (userId !== operatorId) return [];
      const remote = await remoteOr<ReviewQueueRecord[] | null>((r) => r.review.listQueues(userId), async () => null);
      if (remote) await copyQueues(local, remote).catch((error: unknown) => options.logger.warn({ err: error }, 'could not copy review queues'));
      return mine.listQueues(userId);
    },
    async saveQueue(queue) {
      if (queue.userId !== operatorId) throw invalidInput(`saving review queue '${queue.name}': a team store saves only the signed-in operator's queues`);
      const saved = await local.write(`saving review queue '${queue.name}'`, async (write) => {
        const row = await write.store.review.saveQueue(queue);
        await write.append([{ kind: 'review_queue', payload: row }]);
        return row;
      });
      options.onWrite();
      return saved;
    },
    async deleteQueue(userId, id) {
      if (userId !== operatorId) return false;
      const deleted = await local.write(`deleting review queue ${id}`, async (write) => {
        const gone = await write.store.review.deleteQueue(userId, id);
        if (gone) await write.append([{ kind: 'review_queue_delete', payload: { id, userId } }]);
        return gone;
      });
      if (deleted) options.onWrite();
      return deleted;
    },
  };
}

/** A row as Supabase listed it, with the operator's label made here if it is newer (still in the outbox). */
function withLocalLabel(row: ReviewRow, here: ReviewLabelView | undefined): ReviewRow {
  if (!here || (row.labelledAt !== null && row.labelledAt >= here.updatedAt)) return row;
  return { ...row, label: here.label, tags: here.tags, labelCorrected: (here.correctedAnswer ?? '').trim() !== '', labelledAt: here.updatedAt };
}

/** Which of these answers the operator may review offline: their own, and those copied for them from this project. */
async function inScope(local: LocalCopy, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await withStoreErrors('reading the local copy', () =>
    local.executor.query<{ id: string }>(
      `SELECT r.id FROM llm_requests r
        WHERE r.id IN (SELECT value::uuid FROM json_array_elements_text($1::text::json))
          AND (r.user_id = $3 OR EXISTS (SELECT 1 FROM triad_local.review_scope s WHERE s.project = $2 AND s.user_id = $3 AND s.request_id = r.id))`,
      [JSON.stringify(ids), local.scope.project, local.scope.userId],
    ),
  );
  const here = new Set(rows.map((row) => String(row.id)));
  return ids.filter((id) => here.has(id));
}

async function missingHere(local: LocalCopy, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await withStoreErrors('reading the local copy', () =>
    local.executor.query<{ id: string }>('SELECT id FROM llm_requests WHERE id IN (SELECT value::uuid FROM json_array_elements_text($1::text::json))', [JSON.stringify(ids)]),
  );
  const here = new Set(rows.map((row) => String(row.id)));
  return ids.filter((id) => !here.has(id));
}

/**
 * Answers as Supabase showed them, copied into the local copy in one transaction: the request, its own prompt and
 * answer (the rest of another operator's conversation is not copied: offline, the detail shows the answer's own
 * turn), every operator's feedback (the later edit wins), and the label history, from which the current label
 * follows by the same rule as on Supabase. Operators other than this one get a placeholder row in `users`, which
 * feedback and labels reference. Each answer of someone else joins the operator's review scope.
 */
async function copyDetails(local: LocalCopy, details: ReviewDetail[]): Promise<void> {
  const { project, userId } = local.scope;
  const people = new Set<string>();
  for (const d of details) {
    for (const f of d.feedback) people.add(f.userId);
    for (const h of d.history) people.add(h.reviewerId);
    if (d.label) people.add(d.label.reviewerId);
  }
  people.delete(userId);
  const requests = details.map(({ request: r }) => ({
    id: r.id, conversation_id: r.conversationId, user_id: r.userId, company: r.company, tier: r.tier, provider: r.provider,
    model_id: r.modelId, model_version: r.modelVersion, routing_reason: r.routingReason, status: r.status, error_message: r.errorMessage,
    finish_reason: r.finishReason, ttft_ms: r.ttftMs, latency_ms: r.latencyMs, tokens_in: r.tokensIn, tokens_out: r.tokensOut,
    created_at: r.createdAt, completed_at: r.createdAt, route_attempts: r.routeAttempts, cache_hit: r.cacheHit,
  }));
  const messages = details.flatMap((d) => d.messages.filter((m) => m.requestId === d.request.id).map((m) => ({ ...m, request_id: m.requestId, created_at: m.createdAt })));
  const feedback = details.flatMap((d) =>
    d.feedback.map((f) => ({ ...f, request_id: d.request.id, user_id: f.userId, corrected_answer: f.correctedAnswer, updated_at: f.updatedAt })),
  );
  const history = details.flatMap((d) =>
    d.history.map((h) => ({
      history_id: h.id, request_id: h.requestId, label: h.label, corrected_answer: h.correctedAnswer, tags: h.tags, note: h.note,
      reviewer_id: h.reviewerId, labelled_at: h.createdAt, keep_details: false,
    })),
  );
  const theirs = details.filter((d) => d.request.userId !== userId).map((d) => d.request.id);
  await withStoreErrors(`copying ${details.length} answers under review into the local copy`, () =>
    local.executor.transaction(async (tx: SqlQueryable) => {
      if (people.size > 0) {
        await tx.query(
          `INSERT INTO users (id, display_name, role)
           SELECT value::uuid, 'Team member', 'analyst' FROM json_array_elements_text($1::text::json) ON CONFLICT (id) DO NOTHING`,
          [JSON.stringify([...people])],
        );
      }
      await tx.query(
        `INSERT INTO llm_requests (id, conversation_id, user_id, company_id, tier, provider, model_id, model_version, routing_reason,
           status, error_message, finish_reason, ttft_ms, latency_ms, tokens_in, tokens_out, created_at, completed_at, route_attempts, cache_hit)
         SELECT e.id, e.conversation_id, e.user_id, c.id, e.tier, e.provider, e.model_id, e.model_version, e.routing_reason, e.status,
                e.error_message, e.finish_reason, e.ttft_ms, e.latency_ms, e.tokens_in, e.tokens_out, e.created_at, e.completed_at,
                e.route_attempts, e.cache_hit
           FROM json_to_recordset($1::text::json) AS e(
                  id uuid, conversation_id uuid, user_id uuid, company text, tier text, provider text, model_id text, model_version text,
                  routing_reason text, status text, error_message text, finish_reason text, ttft_ms float8, latency_ms float8,
                  tokens_in int, tokens_out int, created_at timestamptz, completed_at timestamptz, route_attempts jsonb, cache_hit boolean)
           LEFT JOIN companies c ON c.slug = e.company
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(requests)],
      );
      await tx.query(
        `INSERT INTO messages (id, request_id, role, content, created_at)
         SELECT e.id, e.request_id, e.role, e.content, e.created_at
           FROM json_to_recordset($1::text::json) AS e(id uuid, request_id uuid, role text, content text, created_at timestamptz)
         ON CONFLICT (id) DO NOTHING`,
        [JSON.stringify(messages)],
      );
      if (feedback.length > 0) {
        await tx.query(
          `INSERT INTO feedback AS f (id, request_id, user_id, thumbs, rating, comment, corrected_answer, created_at, updated_at)
           SELECT e.id, e.request_id, e.user_id, e.thumbs, e.rating, e.comment, e.corrected_answer, e.updated_at, e.updated_at
             FROM json_to_recordset($1::text::json) AS e(
                    id uuid, request_id uuid, user_id uuid, thumbs smallint, rating smallint, comment text, corrected_answer text, updated_at timestamptz)
           ON CONFLICT (request_id, user_id) DO UPDATE SET
             thumbs = EXCLUDED.thumbs, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
             corrected_answer = EXCLUDED.corrected_answer, updated_at = EXCLUDED.updated_at
           WHERE f.updated_at < EXCLUDED.updated_at`,
          [JSON.stringify(feedback)],
        );
      }
      if (history.length > 0) await tx.query('SELECT triad_label_answers($1::text::json)', [JSON.stringify(history)]);
      if (theirs.length > 0) {
        await tx.query(
          `INSERT INTO triad_local.review_scope (project, user_id, request_id)
           SELECT $1, $2, value::uuid FROM json_array_elements_text($3::text::json) ON CONFLICT DO NOTHING`,
          [project, userId, JSON.stringify(theirs)],
        );
      }
    }),
  );
}

/** The operator's queues as Supabase has them; queues made here and not sent yet stay. */
async function copyQueues(local: LocalCopy, queues: ReviewQueueRecord[]): Promise<void> {
  if (queues.length === 0) return;
  await withStoreErrors('copying review queues into the local copy', () =>
    local.executor.query(
      `INSERT INTO review_queues (id, user_id, name, filter, created_at)
       SELECT e.id, e.user_id, e.name, e.filter, e.created_at
         FROM json_to_recordset($1::text::json) AS e(id uuid, user_id uuid, name text, filter jsonb, created_at timestamptz)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(queues.map((q) => ({ id: q.id, user_id: q.userId, name: q.name, filter: q.filter, created_at: q.createdAt })))],
    ),
  );
}

/** The outbox payload of a label item, back from JSON. */
export function labelWritesFrom(payload: unknown): ReviewLabelWrite[] {
  return (payload as Array<Omit<ReviewLabelWrite, 'labelledAt'> & { labelledAt: string }>).map((label) => ({ ...label, labelledAt: new Date(label.labelledAt) }));
}

/** The outbox payload of a queue item, back from JSON. */
export function queueFrom(payload: unknown): { id: string; userId: string; name: string; filter: ReviewFilter } {
  const queue = payload as { id: string; userId: string; name: string; filter: ReviewFilter };
  return { id: queue.id, userId: queue.userId, name: queue.name, filter: queue.filter };
}
