/**
 * The anonymiser's recall and precision as the benchmark (scripts/bench/anonymiser-bench.ts) last measured
 * them on the labelled corpus in test/datasets/anonymiser/, so a dataset card can cite them.
 */
import { z } from 'zod';
import measured from './measured-quality.json';
import { PII_TYPES, type PiiType } from './pii-span';

const perType = z.object(Object.fromEntries(PII_TYPES.map((type) => [type, z.number().min(0).max(1)])) as Record<PiiType, z.ZodNumber>);

const MeasuredQualitySchema = z.object({
  version: z.string().min(1),
  measuredAt: z.iso.datetime(),
  recall: perType,
  precision: perType,
});

/** Recall and precision per type, with the anonymiser version and time they were measured. */
export type MeasuredQuality = { version: string; measuredAt: string; recall: Record<PiiType, number>; precision: Record<PiiType, number> };

/** The committed measurement; fails naming the problem if the benchmark's file is malformed. */
export function measuredQuality(): MeasuredQuality {
  const parsed = MeasuredQualitySchema.safeParse(measured);
  if (!parsed.success) {
    throw new Error(`measured-quality.json is not a valid anonymiser measurement: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const { version, measuredAt, recall, precision } = parsed.data;
  return { version, measuredAt, recall, precision };
}
