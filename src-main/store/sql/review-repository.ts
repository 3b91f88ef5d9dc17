import { TriadError } from '../../../src-shared/errors';
import type { ReviewDetail, ReviewFilter, ReviewLabelView, ReviewRow } from '../../../src-shared/review-contract';
import type { ReviewLabelWrite, ReviewQueueRecord, ReviewRepository } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { withStoreErrors } from '../store-errors';
import { isUuid, requireLimit, requireUuid, toDate } from '../values';

/**
 * Review in SQL. The table query, labelling and the detail are the functions of migrations/011, which the
 * Supabase adapter calls through PostgREST too; here they are called directly. A scope restricts the table to a
 * team operator's rows of the local copy (team mode, offline).
 */
export class SqlReviewRepository implements ReviewRepository {
  constructor(
    private readonly db: SqlExecutor,
    private readonly scope: { project: string; userId: string } | null = null,
  ) {}

  async list(query: Parameters<ReviewRepository['list']>[0]): Promise<{ total: number | null; rows: ReviewRow[] }> {
    requireLimit(query.offset, 'offset');
    requireLimit(query.limit);
    const rows = await withStoreErrors('reading the review table', () =>
      this.db.query<{ result: unknown }>('SELECT triad_review_list($1::text::jsonb, $2::text::jsonb, $3, $4, $5::text::jsonb) AS result', [
        JSON.stringify(query.filter),
        JSON.stringify(query.sort),
        query.offset,
        query.limit,
        this.scopeJson(),
      ]),
    );
    return toReviewPage(parsed(rows[0]?.result));
  }

  async detail(requestId: string): Promise<ReviewDetail | undefined> {
    if (!isUuid(requestId)) return undefined;
    const rows = await withStoreErrors(`reading answer ${requestId} for review`, () =>
      this.db.query<{ result: unknown }>('SELECT triad_review_detail($1) AS result', [requestId]),
    );
    const detail = parsed(rows[0]?.result);
    return detail ? toReviewDetail(detail) : undefined;
  }

  async details(requestIds: string[]): Promise<ReviewDetail[]> {
    const ids = requestIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await withStoreErrors(`reading ${ids.length} answers for review`, () =>
      this.db.query<{ result: unknown }>('SELECT triad_review_details(ARRAY(SELECT json_array_elements_text($1::text::json)::uuid)) AS result', [JSON.stringify(ids)]),
    );
    return (parsed(rows[0]?.result) as unknown[]).map(toReviewDetail);
  }

  async matchingIds(filter: ReviewFilter, limit: number): Promise<string[]> {
    requireLimit(limit);
    const rows = await withStoreErrors('finding the answers of a review filter', () =>
      this.db.query<{ result: unknown }>('SELECT triad_review_matching_ids($1::text::jsonb, $2, $3::text::jsonb) AS result', [
        JSON.stringify(filter),
        limit,
        this.scopeJson(),
      ]),
    );
    return (parsed(rows[0]?.result) as unknown[]).map(String);
  }

  async progress(filter: ReviewFilter): Promise<{ total: number; done: number }> {
    const rows = await withStoreErrors('counting a review queue', () =>
      this.db.query<{ result: unknown }>('SELECT triad_review_progress($1::text::jsonb, $2::text::jsonb) AS result', [JSON.stringify(filter), this.scopeJson()]),
    );
    const progress = parsed(rows[0]?.result) as { total: unknown; done: unknown };
    return { total: Number(progress.total), done: Number(progress.done) };
  }

  async label(labels: ReviewLabelWrite[]): Promise<ReviewLabelView[]> {
    if (labels.length === 0) return [];
    const rows = await withStoreErrors(labelAction(labels), () =>
      this.db.query<{ result: unknown }>('SELECT triad_label_answers($1::text::json) AS result', [JSON.stringify(labels.map(toLabelArgument))]),
    );
    return (parsed(rows[0]?.result) as Row[]).map(toLabelView);
  }

  async listQueues(userId: string): Promise<ReviewQueueRecord[]> {
    if (!isUuid(userId)) return [];
    const rows = await withStoreErrors('reading review queues', () =>
      this.db.query(`SELECT ${QUEUE_COLUMNS} FROM review_queues WHERE user_id = $1 ORDER BY created_at, id`, [userId]),
    );
    return rows.map(toQueue);
  }

  async saveQueue(queue: { id: string; userId: string; name: string; filter: ReviewFilter }): Promise<ReviewQueueRecord> {
    requireUuid(queue.id, 'queue id');
    requireUuid(queue.userId, 'user id');
    const rows = await withStoreErrors(`saving review queue '${queue.name}'`, () =>
      this.db.query(
        `INSERT INTO review_queues (id, user_id, name, filter) VALUES ($1, $2, $3, $4::text::jsonb)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, filter = EXCLUDED.filter WHERE review_queues.user_id = EXCLUDED.user_id
         RETURNING ${QUEUE_COLUMNS}`,
        [queue.id, queue.userId, queue.name, JSON.stringify(queue.filter)],
      ),
    );
    if (!rows[0]) throw queueOfSomeoneElse(queue.id);
    return toQueue(rows[0]);
  }

  async deleteQueue(userId: string, id: string): Promise<boolean> {
    if (!isUuid(userId) || !isUuid(id)) return false;
    const rows = await withStoreErrors(`deleting review queue ${id}`, () =>
      this.db.query('DELETE FROM review_queues WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId]),
    );
    return rows.length > 0;
  }

  private scopeJson(): string | null {
    return this.scope ? JSON.stringify(this.scope) : null;
  }
}

// Shared with the Supabase adapter, which receives the same JSON from the same functions.

type Row = Record<string, unknown>;

export const QUEUE_COLUMNS = 'id, user_id, name, filter, created_at';

/** A json result as the driver returns it: parsed by pg, PGlite and PostgREST; text from anything else. */
export function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** ISO text in UTC of a timestamp that PostgreSQL's JSON wrote with its offset. */
function iso(value: unknown): string {
  return toDate(value).toISOString();
}
function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

export function labelAction(labels: ReviewLabelWrite[]): string {
  return labels.length === 1 ? `labelling answer ${labels[0]!.requestId}` : `labelling ${labels.length} answers`;
}

/** A label as an element of triad_label_answers's argument. */
export function toLabelArgument(label: ReviewLabelWrite): Row {
  requireUuid(label.historyId, 'label history id');
  requireUuid(label.requestId, 'request id');
  requireUuid(label.reviewerId, 'reviewer id');
  return {
    history_id: label.historyId,
    request_id: label.requestId,
    label: label.label,
    corrected_answer: label.correctedAnswer,
    tags: label.tags,
    note: label.note,
    reviewer_id: label.reviewerId,
    labelled_at: label.labelledAt.toISOString(),
    keep_details: label.keepDetails,
  };
}

export function toLabelView(row: Row): ReviewLabelView {
  return {
    requestId: String(row.requestId),
    label: row.label as ReviewLabelView['label'],
    correctedAnswer: (row.correctedAnswer as string | null) ?? null,
    tags: ((row.tags as unknown[] | null) ?? []).map(String),
    note: (row.note as string | null) ?? null,
    reviewerId: String(row.reviewerId),
    updatedAt: iso(row.updatedAt),
  };
}

export function toReviewPage(value: unknown): { total: number | null; rows: ReviewRow[] } {
  const page = value as { total: unknown; rows: Row[] };
  return {
    total: page.total === null || page.total === undefined ? null : Number(page.total),
    rows: page.rows.map((row) => ({
      id: String(row.id),
      createdAt: iso(row.createdAt),
      tier: (row.tier as ReviewRow['tier']) ?? null,
      provider: (row.provider as ReviewRow['provider']) ?? null,
      modelId: (row.modelId as string | null) ?? null,
      modelVersion: (row.modelVersion as string | null) ?? null,
      company: (row.company as string | null) ?? null,
      prompt: (row.prompt as string | null) ?? null,
      answer: (row.answer as string | null) ?? null,
      thumbsUp: Number(row.thumbsUp),
      thumbsDown: Number(row.thumbsDown),
      rating: row.rating === null || row.rating === undefined ? null : Number(row.rating),
      comments: Number(row.comments),
      corrections: Number(row.corrections),
      label: (row.label as ReviewRow['label']) ?? null,
      tags: ((row.tags as unknown[] | null) ?? []).map(String),
      labelCorrected: row.labelCorrected === true,
      labelledAt: isoOrNull(row.labelledAt),
    })),
  };
}

export function toReviewDetail(value: unknown): ReviewDetail {
  const detail = value as { request: Row; messages: Row[]; feedback: Row[]; label: Row | null; history: Row[] };
  const r = detail.request;
  return {
    request: {
      id: String(r.id),
      conversationId: (r.conversationId as string | null) ?? null,
      userId: (r.userId as string | null) ?? null,
      company: (r.company as string | null) ?? null,
      tier: (r.tier as ReviewDetail['request']['tier']) ?? null,
      provider: (r.provider as ReviewDetail['request']['provider']) ?? null,
      modelId: (r.modelId as string | null) ?? null,
      modelVersion: (r.modelVersion as string | null) ?? null,
      routingReason: (r.routingReason as string | null) ?? null,
      status: String(r.status),
      errorMessage: (r.errorMessage as string | null) ?? null,
      finishReason: (r.finishReason as string | null) ?? null,
      ttftMs: r.ttftMs === null ? null : Number(r.ttftMs),
      latencyMs: Number(r.latencyMs),
      tokensIn: r.tokensIn === null ? null : Number(r.tokensIn),
      tokensOut: r.tokensOut === null ? null : Number(r.tokensOut),
      createdAt: iso(r.createdAt),
      routeAttempts: (parsed(r.routeAttempts) ?? []) as ReviewDetail['request']['routeAttempts'],
      cacheHit: r.cacheHit === true,
    },
    messages: detail.messages.map((m) => ({
      id: String(m.id),
      requestId: (m.requestId as string | null) ?? null,
      role: m.role as ReviewDetail['messages'][number]['role'],
      content: String(m.content),
      createdAt: iso(m.createdAt),
    })),
    feedback: detail.feedback.map((f) => ({
      id: String(f.id),
      userId: String(f.userId),
      thumbs: (f.thumbs === null ? null : Number(f.thumbs)) as 1 | -1 | null,
      rating: f.rating === null ? null : Number(f.rating),
      comment: (f.comment as string | null) ?? null,
      correctedAnswer: (f.correctedAnswer as string | null) ?? null,
      updatedAt: iso(f.updatedAt),
    })),
    label: detail.label ? toLabelView(detail.label) : null,
    history: detail.history.map((h) => ({
      id: String(h.id),
      requestId: String(h.requestId),
      label: h.label as ReviewLabelView['label'],
      correctedAnswer: (h.correctedAnswer as string | null) ?? null,
      tags: ((h.tags as unknown[] | null) ?? []).map(String),
      note: (h.note as string | null) ?? null,
      reviewerId: String(h.reviewerId),
      createdAt: iso(h.createdAt),
    })),
  };
}

export function toQueue(row: Row): ReviewQueueRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    name: String(row.name),
    filter: parsed(row.filter) as ReviewFilter,
    createdAt: toDate(row.created_at),
  };
}

/** Saving over a queue id that another operator's queue has. */
export function queueOfSomeoneElse(id: string): TriadError {
  return new TriadError({ code: 'forbidden', message: `saving review queue ${id}: this queue belongs to another operator` });
}
