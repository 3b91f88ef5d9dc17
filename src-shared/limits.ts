import { z } from 'zod';
import { PROVIDERS } from './domain';

/** A token bucket of requests: `capacity` at once, refilled steadily at `refillPerMinute`. */
export const RequestBucketSchema = z.strictObject({
  /** Requests that may be made in a burst. */
  capacity: z.int().positive(),
  /** Requests per minute sustained. */
  refillPerMinute: z.number().positive(),
});
/** A token bucket of requests. */
export type RequestBucket = z.infer<typeof RequestBucketSchema>;

const DEFAULT_PER_USER: RequestBucket = { capacity: 20, refillPerMinute: 60 };
// Shared by every user of a tier; generous, because the local model is the default and costs nothing.
const DEFAULT_PER_TIER: RequestBucket = { capacity: 60, refillPerMinute: 300 };

/** Rate limits and budgets; every field has a default, and an unset budget means unlimited. */
export const RateLimitSettingsSchema = z.strictObject({
  /** Each user's own bucket. */
  perUser: RequestBucketSchema.default(DEFAULT_PER_USER),
  /** One bucket per tier, shared by all users. */
  perTier: z
    .strictObject({
      base: RequestBucketSchema.default(DEFAULT_PER_TIER),
      company: RequestBucketSchema.default(DEFAULT_PER_TIER),
      abstraction: RequestBucketSchema.default(DEFAULT_PER_TIER),
    })
    .default({ base: DEFAULT_PER_TIER, company: DEFAULT_PER_TIER, abstraction: DEFAULT_PER_TIER }),
  /** LLM tokens (prompt + answer) a provider may use per UTC day. */
  dailyTokenBudget: z.partialRecord(z.enum(PROVIDERS), z.int().positive()).default({}),
});
/** Rate limits and budgets, with defaults applied. */
export type RateLimitSettings = z.output<typeof RateLimitSettingsSchema>;
/** Rate limits and budgets as written in settings. */
export type RateLimitSettingsInput = z.input<typeof RateLimitSettingsSchema>;

