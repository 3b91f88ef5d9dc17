import { z } from 'zod';
import { RequestContextSchema } from './chat';
import { TIERS } from './domain';

/** The ML leads' dataset channels (issue 8 §3–5): build, preview and push SFT / DPO datasets. */

/** SFT: TRL's conversational format; DPO: preference pairs. */
export const DATASET_KINDS = ['sft', 'dpo'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

/** The defaults, shared by the app, the `triad dataset` command and docs/datasets.md. */
export const DATASET_DEFAULTS = {
  /** An Abstraction example is kept only when its pattern appears in at least this many companies. */
  k: 3,
  seed: 42,
  /** The share of prompt groups that go to the eval split. */
  evalShare: 0.1,
  /** Two prompts whose character 5-gram sets have at least this Jaccard similarity are near-duplicates. */
  nearDuplicateThreshold: 0.8,
  /** Two anonymised prompts whose content-word sets have at least this Jaccard similarity share a pattern. */
  patternThreshold: 0.5,
} as const;

const isoDate = z.iso.datetime();

/** What to build: the tier (one company for Company), the kind, and the filters' parameters. */
export const DatasetBuildParamsSchema = z
  .strictObject({
    tier: z.enum(TIERS),
    company: RequestContextSchema.shape.company.unwrap().nullable().default(null),
    kind: z.enum(DATASET_KINDS),
    k: z.int().min(1).max(100).default(DATASET_DEFAULTS.k),
    seed: z.int().min(0).max(2 ** 31 - 1).default(DATASET_DEFAULTS.seed),
    evalShare: z.number().min(0).max(0.5).default(DATASET_DEFAULTS.evalShare),
  })
  .refine((p) => p.tier !== 'company' || p.company !== null, { error: 'a Company dataset needs a company', path: ['company'] })
  .refine((p) => p.tier === 'company' || p.company === null, {
    error: 'only a Company dataset is of one company: Base and Abstraction datasets take every company the builder may read',
    path: ['company'],
  });
export type DatasetBuildParams = z.output<typeof DatasetBuildParamsSchema>;

/** One SFT row: a user turn and the assistant's answer. */
export const SftRowSchema = z.object({
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  source: z.string(),
  request_ids: z.array(z.string()),
});
/** One DPO row. */
export const DpoRowSchema = z.object({ prompt: z.string(), chosen: z.string(), rejected: z.string(), source: z.string(), request_ids: z.array(z.string()) });
export const DatasetRowSchema = z.union([SftRowSchema, DpoRowSchema]);
export type DatasetRow = z.output<typeof DatasetRowSchema>;

/** What a filter removed, in words. */
export const FilterCountSchema = z.object({ filter: z.string(), removed: z.int().nonnegative(), detail: z.string() });

/** The counts a build reports and its card records. */
export const DatasetCountsSchema = z.object({
  /** Answered requests of the tier (and company) read. */
  requestsRead: z.int().nonnegative(),
  votesRead: z.int().nonnegative(),
  /** Examples made from them, before the filters. */
  candidates: z.int().nonnegative(),
  train: z.int().nonnegative(),
  eval: z.int().nonnegative(),
  /** Per split: examples per source (accepted, label_correction, feedback_correction, vote, thumbs, correction_pair). */
  bySource: z.record(z.enum(['train', 'eval']), z.record(z.string(), z.int().nonnegative())),
  /** Per split: examples per review label of the answer they teach (accepted, rejected, needs_fix, unlabelled). */
  byLabel: z.record(z.enum(['train', 'eval']), z.record(z.string(), z.int().nonnegative())),
  /** In the order applied. */
  removed: z.array(FilterCountSchema),
  /** Abstraction only: companies that contributed examples, and patterns kept. */
  companies: z.int().nonnegative(),
  patterns: z.int().nonnegative().nullable(),
});
export type DatasetCounts = z.output<typeof DatasetCountsSchema>;

/** A build's outcome as the screen shows it: counts and a few anonymised examples of each split. */
export const DatasetSummarySchema = z.object({
  params: DatasetBuildParamsSchema,
  counts: DatasetCountsSchema,
  samples: z.object({ train: z.array(DatasetRowSchema), eval: z.array(DatasetRowSchema) }),
  anonymiserVersion: z.string(),
});
export type DatasetSummary = z.output<typeof DatasetSummarySchema>;

/** A built dataset, pushed or not. */
export const DatasetVersionViewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(DATASET_KINDS),
  tier: z.enum(TIERS),
  company: z.string().nullable(),
  status: z.enum(['built', 'pushed', 'push_failed']),
  train: z.int().nonnegative(),
  eval: z.int().nonnegative(),
  anonymiserVersion: z.string(),
  repo: z.string().nullable(),
  commitSha: z.string().nullable(),
  pushError: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: isoDate,
  pushedAt: isoDate.nullable(),
});
export type DatasetVersionView = z.output<typeof DatasetVersionViewSchema>;

/** `owner/name` or `name` (the token's own account) of a dataset repo on the Hub. */
export const DatasetRepoNameSchema = z
  .string()
  .trim()
  .regex(/^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, {
    error: "must be a Hub repo name, 'name' or 'owner/name' (letters, digits, '-', '_', '.')",
  })
  .refine((name) => !/(\.\.|--)/.test(name) && !name.endsWith('.git'), { error: "must not contain '..' or '--' nor end in .git" });

export const DATASET_CHANNELS = {
  /** Builds without recording: counts and sample examples (refused, naming the filters, when nothing is left). */
  'datasets.preview': { input: DatasetBuildParamsSchema, output: DatasetSummarySchema },
  /** Builds and records a version, its files kept for pushing. */
  'datasets.build': { input: DatasetBuildParamsSchema, output: z.object({ version: DatasetVersionViewSchema, summary: DatasetSummarySchema }) },
  /** Pushes a built version to a private dataset repo; progress arrives as `datasets.pushProgress`. Retry after a failure with the same id. */
  'datasets.push': { input: z.strictObject({ datasetId: z.uuid(), repo: DatasetRepoNameSchema }), output: DatasetVersionViewSchema },
  /** Built and pushed versions, newest first. */
  'datasets.list': { input: z.strictObject({}), output: z.array(DatasetVersionViewSchema) },
} as const;

/** Events of dataset work (build and push progress). */
export const DATASET_EVENTS = {
  /** How far a preview or build of the calling window is: `done` of `total` examples through `stage`. */
  'datasets.buildProgress': z.object({
    stage: z.enum(['reading', 'anonymising', 'filtering', 'splitting']),
    done: z.int().nonnegative(),
    total: z.int().nonnegative(),
  }),
  /** One step of a push: the Hub client's phase and the share done (0–1). */
  'datasets.pushProgress': z.object({
    datasetId: z.uuid(),
    phase: z.enum(['checking', 'creating', 'preuploading', 'uploadingLargeFiles', 'committing', 'done']),
    fraction: z.number().min(0).max(1),
    message: z.string(),
  }),
} as const;
