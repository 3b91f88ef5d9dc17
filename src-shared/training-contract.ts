import { z } from 'zod';
import { TIERS } from './domain';
import { RepoAtRevisionSchema, TrainingLaunchSchema } from './training';

/** The ML leads' training channels (issue 10 §1): launch and follow training runs on Hugging Face Jobs. */

const isoDate = z.iso.datetime();

/** Every stage a run goes through: `launching`, the Hub's job stages, then `registered` or `failed`. */
export const TRAINING_STAGES = ['launching', 'SCHEDULING', 'RUNNING', 'COMPLETED', 'CANCELED', 'ERROR', 'DELETED', 'registered', 'failed'] as const;
export type TrainingStageName = (typeof TRAINING_STAGES)[number];
/** Stages a run does not leave. */
export const FINAL_TRAINING_STAGES: ReadonlySet<TrainingStageName> = new Set(['registered', 'failed', 'CANCELED', 'ERROR', 'DELETED']);

/** A Jobs hardware flavor with its hourly price. */
export const TrainingFlavorSchema = z.object({
  name: z.string(),
  prettyName: z.string(),
  /** e.g. `1× A10G 24 GB`; null for CPU hardware. */
  accelerator: z.string().nullable(),
  usdPerHour: z.number().nonnegative(),
});
export type TrainingFlavor = z.output<typeof TrainingFlavorSchema>;

/** One point of the loss curve, from the training script's progress lines. */
export const TrainingPointSchema = z.object({
  step: z.int().nonnegative(),
  maxSteps: z.int().nullable(),
  loss: z.number().nullable(),
  evalLoss: z.number().nullable(),
  learningRate: z.number().nullable(),
  at: isoDate,
});

/** A run as the Training page lists it. Log lines and reasons are untrusted text (they come from the job). */
export const TrainingRunViewSchema = z.object({
  id: z.uuid(),
  jobId: z.string().nullable(),
  namespace: z.string(),
  datasetRepo: z.string(),
  datasetRevision: z.string(),
  baseModel: z.string(),
  kind: z.enum(['sft', 'dpo']),
  tier: z.enum(TIERS).nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  flavor: z.string(),
  priceUsdPerHour: z.number().nullable(),
  timeoutSeconds: z.int(),
  outputRepo: z.string(),
  stage: z.enum(TRAINING_STAGES),
  stageHistory: z.array(z.object({ stage: z.enum(TRAINING_STAGES), at: isoDate, message: z.string().nullable() })),
  progress: z.array(TrainingPointSchema),
  lastLogLines: z.array(z.string()),
  failureReason: z.string().nullable(),
  /** The model the run registered, once it has. */
  model: z.object({ id: z.uuid(), name: z.string(), version: z.string() }).nullable(),
  createdBy: z.uuid(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type TrainingRunView = z.output<typeof TrainingRunViewSchema>;

/** One CPU / GPU sample of a running job (kept in memory by the main process, not stored). */
export const TrainingMetricSampleSchema = z.object({
  at: isoDate,
  cpuPercent: z.number().nullable(),
  gpuPercent: z.number().nullable(),
  gpuMemoryUsedBytes: z.number().nullable(),
});
export type TrainingMetricSample = z.output<typeof TrainingMetricSampleSchema>;

/** A run with its hardware samples, for the run's detail. */
export const TrainingRunDetailSchema = TrainingRunViewSchema.extend({ metrics: z.array(TrainingMetricSampleSchema) });
export type TrainingRunDetail = z.output<typeof TrainingRunDetailSchema>;

/**
 * What the Training page launches: the launch of `triad train`, except that the dataset must name its version
 * (a commit or tag), so that what was trained on can be told later; the moving `main` branch cannot.
 */
export const TrainingLaunchRequestSchema = TrainingLaunchSchema.extend({
  dataset: z
    .string()
    .trim()
    .regex(/@[^@]+$/, { error: 'must name a version, owner/name@commit (the commit a push recorded)' })
    .pipe(RepoAtRevisionSchema),
});

const runId = z.strictObject({ runId: z.uuid() });

export const TRAINING_CHANNELS = {
  /** The Jobs hardware with hourly prices. */
  'training.hardware': { input: z.strictObject({}), output: z.array(TrainingFlavorSchema) },
  /** Launches a run (ML leads and admins only); it is followed until it ends, with `training.changed` on each change. */
  'training.launch': { input: TrainingLaunchRequestSchema, output: TrainingRunViewSchema },
  /** Recorded runs, newest first. */
  'training.list': { input: z.strictObject({}), output: z.array(TrainingRunViewSchema) },
  'training.get': { input: runId, output: TrainingRunDetailSchema },
  /** Asks the Hub to cancel the run's job; the run records CANCELED once the Hub has. */
  'training.cancel': { input: runId, output: TrainingRunViewSchema },
} as const;

export const TRAINING_EVENTS = {
  /** A run changed: stage, progress, log lines or result. */
  'training.changed': TrainingRunViewSchema,
} as const;
