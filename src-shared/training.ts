import { z } from 'zod';
import { TIERS } from './domain';

/** `owner/name` of a Hub repo. */
export const RepoIdSchema = z.string().regex(/^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/, { error: 'must be owner/name' });

/** `owner/name@revision` (a dataset version as Triad pushed it; revision defaults to main). */
export const RepoAtRevisionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}(@[\w][\w./-]{0,199})?$/, { error: 'must be owner/name@revision' })
  .transform((value) => {
    const [repo, revision] = value.split('@') as [string, string | undefined];
    return { repo, revision: revision ?? 'main' };
  });

/** Hyper-parameters of training/train.py, with its defaults where it has them. */
export const TrainingParamsSchema = z.strictObject({
  epochs: z.number().positive().max(100).default(1),
  maxSteps: z.int().min(-1).default(-1),
  learningRate: z.number().positive().max(1).optional(),
  batchSize: z.int().min(1).max(512).default(4),
  gradAccum: z.int().min(1).max(512).default(4),
  maxLength: z.int().min(64).max(131_072).default(2048),
  beta: z.number().positive().max(10).default(0.1),
  lora: z.boolean().default(true),
  loraR: z.int().min(1).max(1024).default(16),
  loraAlpha: z.int().min(1).max(4096).default(32),
  gguf: z.boolean().default(true),
});

/** What launching a training run needs. */
export const TrainingLaunchSchema = z.strictObject({
  dataset: RepoAtRevisionSchema,
  /** The tier the trained model is for (the dataset was built for it). */
  tier: z.enum(TIERS),
  baseModel: RepoIdSchema,
  kind: z.enum(['sft', 'dpo']),
  /** A Jobs hardware flavor (`a10g-small`…). */
  flavor: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, { error: 'must be a Jobs hardware flavor' }),
  /** The job is stopped after this long. */
  timeoutSeconds: z.int().min(60).max(7 * 24 * 3600).default(2 * 3600),
  /** Where the model is pushed; default `<namespace>/triad-<tier>-<kind>-<dataset revision>`. */
  outputRepo: RepoIdSchema.optional(),
  /** The account or organisation the job runs under; default the token's account. */
  namespace: z.string().regex(/^[A-Za-z0-9][\w.-]{0,95}$/).optional(),
  params: TrainingParamsSchema.default(TrainingParamsSchema.parse({})),
});
export type TrainingLaunchInput = z.input<typeof TrainingLaunchSchema>;
export type TrainingLaunch = z.output<typeof TrainingLaunchSchema>;

/** A Jobs hardware flavor with its price. */
export interface JobFlavor {
  name: string;
  prettyName: string;
  accelerator: string | null;
  usdPerHour: number;
}

/** Reads a timeout like `90m`, `2h`, `3600` (seconds) or `1d`. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  const factor = { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * factor);
}
