import { z } from 'zod';
import { CHAT_LIMITS, RequestContextSchema } from './chat';
import { PROVIDERS, TIERS } from './domain';
import { RouteAttemptSchema } from './routing';

/** The reviewers' channels (issue 8 §1): the Review screen's table, detail, labels and queues. */

const isoDate = z.iso.datetime();

/** What a reviewer decides about an answer. */
export const REVIEW_LABELS = ['accepted', 'rejected', 'needs_fix'] as const;
export type ReviewLabelValue = (typeof REVIEW_LABELS)[number];

/** Limits of the review channels, shared by the UI and the main process. */
export const REVIEW_LIMITS = {
  /** Rows per page of the table. */
  maxPageSize: 500,
  /** Rows one bulk label may change ("label all N rows of this filter"). */
  maxBulkRows: 20_000,
  maxTags: 20,
  maxTagChars: 40,
  maxNoteChars: 4_000,
  maxSearchChars: 200,
} as const;

const oneDate = z.iso.datetime({ offset: true, error: 'must be an ISO date-time, e.g. 2026-01-31T00:00:00Z' });

/** The filters of the Review table; every one is optional, and they combine with AND. */
export const ReviewFilterSchema = z
  .strictObject({
    tier: z.enum(TIERS).optional(),
    modelVersion: z.string().trim().min(1).max(200).optional(),
    company: RequestContextSchema.shape.company.unwrap().optional(),
    /** Some feedback has thumbs up / thumbs down; `none`: no feedback has thumbs. */
    thumbs: z.enum(['up', 'down', 'none']).optional(),
    /** Some feedback's stars are in this range (inclusive). */
    rating: z
      .strictObject({ min: z.int().min(1).max(5).optional(), max: z.int().min(1).max(5).optional() })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { error: 'min must not be above max' })
      .optional(),
    hasComment: z.boolean().optional(),
    /** A corrected answer in some feedback or in the label. */
    hasCorrection: z.boolean().optional(),
    /** Any of these labels; `unlabelled` for answers nobody labelled yet. */
    labels: z.array(z.enum([...REVIEW_LABELS, 'unlabelled'])).max(4).optional(),
    /** Logged at or after. */
    dateFrom: oneDate.optional(),
    /** Logged before. */
    dateTo: oneDate.optional(),
    /** Full-text search over prompt and answer (web-search syntax: words, "a phrase", -excluded, or). */
    text: z.string().trim().max(REVIEW_LIMITS.maxSearchChars).optional(),
  })
  .refine((f) => f.dateFrom === undefined || f.dateTo === undefined || Date.parse(f.dateFrom) < Date.parse(f.dateTo), {
    error: 'dateFrom must be before dateTo',
    path: ['dateTo'],
  });
export type ReviewFilter = z.output<typeof ReviewFilterSchema>;

export const REVIEW_SORT_KEYS = ['date', 'latency', 'rating', 'tier', 'label'] as const;
export const ReviewSortSchema = z.strictObject({
  by: z.enum(REVIEW_SORT_KEYS).default('date'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type ReviewSort = z.output<typeof ReviewSortSchema>;

/** One logged answer as the table shows it (prompt and answer cut to 500 characters). */
export const ReviewRowSchema = z.object({
  id: z.uuid(),
  createdAt: isoDate,
  tier: z.enum(TIERS).nullable(),
  provider: z.enum(PROVIDERS).nullable(),
  modelId: z.string().nullable(),
  modelVersion: z.string().nullable(),
  company: z.string().nullable(),
  prompt: z.string().nullable(),
  answer: z.string().nullable(),
  thumbsUp: z.int().nonnegative(),
  thumbsDown: z.int().nonnegative(),
  /** Mean stars of the feedback that has some. */
  rating: z.number().nullable(),
  comments: z.int().nonnegative(),
  corrections: z.int().nonnegative(),
  label: z.enum(REVIEW_LABELS).nullable(),
  tags: z.array(z.string()),
  /** The label carries a corrected answer. */
  labelCorrected: z.boolean(),
  labelledAt: isoDate.nullable(),
});
export type ReviewRow = z.output<typeof ReviewRowSchema>;

/** The current label of an answer: the latest by the time it was made (last write wins). */
export const ReviewLabelViewSchema = z.object({
  requestId: z.uuid(),
  label: z.enum(REVIEW_LABELS),
  correctedAnswer: z.string().nullable(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  reviewerId: z.uuid(),
  /** When it was made, on the reviewer's computer. */
  updatedAt: isoDate,
});
export type ReviewLabelView = z.output<typeof ReviewLabelViewSchema>;

/** One write of a label, kept for good. */
export const ReviewHistoryEntrySchema = ReviewLabelViewSchema.omit({ updatedAt: true }).extend({ id: z.uuid(), createdAt: isoDate });

/** Everything the detail pane shows of one answer. */
export const ReviewDetailSchema = z.object({
  request: z.object({
    id: z.uuid(),
    conversationId: z.uuid().nullable(),
    userId: z.uuid().nullable(),
    company: z.string().nullable(),
    tier: z.enum(TIERS).nullable(),
    provider: z.enum(PROVIDERS).nullable(),
    modelId: z.string().nullable(),
    modelVersion: z.string().nullable(),
    routingReason: z.string().nullable(),
    status: z.string(),
    errorMessage: z.string().nullable(),
    finishReason: z.string().nullable(),
    ttftMs: z.number().nullable(),
    latencyMs: z.number(),
    tokensIn: z.int().nullable(),
    tokensOut: z.int().nullable(),
    createdAt: isoDate,
    routeAttempts: z.array(RouteAttemptSchema),
    cacheHit: z.boolean(),
  }),
  /** The whole conversation the answer belongs to, oldest first (only its own prompt and answer without one). */
  messages: z.array(z.object({ id: z.uuid(), requestId: z.uuid().nullable(), role: z.enum(['system', 'user', 'assistant']), content: z.string(), createdAt: isoDate })),
  /** Every operator's feedback the reviewer may read. */
  feedback: z.array(
    z.object({
      id: z.uuid(),
      userId: z.uuid(),
      thumbs: z.union([z.literal(1), z.literal(-1)]).nullable(),
      rating: z.int().nullable(),
      comment: z.string().nullable(),
      correctedAnswer: z.string().nullable(),
      updatedAt: isoDate,
    }),
  ),
  label: ReviewLabelViewSchema.nullable(),
  /** Newest first. */
  history: z.array(ReviewHistoryEntrySchema),
});
export type ReviewDetail = z.output<typeof ReviewDetailSchema>;

const TagsSchema = z
  .array(z.string().trim().min(1, { error: 'a tag must not be empty' }).max(REVIEW_LIMITS.maxTagChars))
  .max(REVIEW_LIMITS.maxTags)
  .transform((tags) => [...new Set(tags)]);

/** Labelling one answer: the label, and the correction, tags and note as they now are. */
export const ReviewLabelInputSchema = z.strictObject({
  requestId: z.uuid(),
  label: z.enum(REVIEW_LABELS),
  correctedAnswer: z.string().max(CHAT_LIMITS.maxMessageChars).nullable().default(null),
  tags: TagsSchema.default([]),
  note: z.string().max(REVIEW_LIMITS.maxNoteChars).nullable().default(null),
});

/** Labelling many answers at once: the rows selected, or every row the filter matches. Corrections, tags and notes stay. */
export const ReviewBulkLabelInputSchema = z.strictObject({
  target: z.union([
    z.strictObject({ ids: z.array(z.uuid()).min(1, { error: 'select at least one answer' }).max(REVIEW_LIMITS.maxBulkRows) }),
    z.strictObject({ filter: ReviewFilterSchema }),
  ]),
  label: z.enum(REVIEW_LABELS),
});

/** A queue's progress: of the answers its filter matches (whatever their label), how many are labelled. */
export const QueueProgressSchema = z.object({ total: z.int().nonnegative(), done: z.int().nonnegative(), left: z.int().nonnegative() });

/** A saved filter. */
export const ReviewQueueSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  filter: ReviewFilterSchema,
  createdAt: isoDate,
  progress: QueueProgressSchema,
});
export type ReviewQueue = z.output<typeof ReviewQueueSchema>;

export const REVIEW_CHANNELS = {
  /** One page of the table: the rows the filter matches, sorted, and (with the first page) how many match in all. */
  'review.list': {
    input: z.strictObject({
      filter: ReviewFilterSchema.default({}),
      sort: ReviewSortSchema.default({ by: 'date', direction: 'desc' }),
      /** Rows to skip: the page's cursor. */
      offset: z.int().min(0).default(0),
      limit: z.int().min(1).max(REVIEW_LIMITS.maxPageSize).default(100),
    }),
    /** `total` is counted for the first page (offset 0) only, null for the others: the table keeps the first. */
    output: z.object({ total: z.int().nonnegative().nullable(), rows: z.array(ReviewRowSchema) }),
  },
  'review.detail': { input: z.strictObject({ requestId: z.uuid() }), output: ReviewDetailSchema },
  'review.label': { input: ReviewLabelInputSchema, output: ReviewLabelViewSchema },
  'review.bulkLabel': { input: ReviewBulkLabelInputSchema, output: z.object({ labelled: z.int().nonnegative() }) },
  'review.queues.list': { input: z.strictObject({}), output: z.array(ReviewQueueSchema) },
  'review.queues.save': {
    input: z.strictObject({ id: z.uuid().optional(), name: z.string().trim().min(1, { error: 'a queue needs a name' }).max(80), filter: ReviewFilterSchema }),
    output: ReviewQueueSchema,
  },
  'review.queues.delete': { input: z.strictObject({ id: z.uuid() }), output: z.object({ deleted: z.boolean() }) },
} as const;
