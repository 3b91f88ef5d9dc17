import { z } from 'zod';
import { PROVIDERS, TIERS } from './domain';

/**
 * Routing strategies as data, after Portkey's config tree: per tier, a tree of targets whose nodes are
 * `single`, `fallback` (try in order) or `loadbalance` (pick one by weight). Validated here, walked by the
 * route executor in the main process.
 */

/** A target named by role rather than by address, so a strategy survives a change of Space URL. */
export const TargetRefSchema = z.discriminatedUnion('provider', [
  /** A Hugging Face Space: the request's own tier (`tier`) or a named tier's Space. */
  z.strictObject({ provider: z.literal('huggingface'), space: z.enum([...TIERS, 'tier']).default('tier') }),
  z.strictObject({ provider: z.literal('openai') }),
  z.strictObject({ provider: z.literal('local') }),
]);
/** A target named by role. */
export type TargetRef = z.output<typeof TargetRefSchema>;

/** Which failures move a fallback on to its next target; absent fields mean "yes". */
export const FallbackConditionsSchema = z.strictObject({
  /** Move on for these upstream HTTP statuses only (default: any). */
  statusCodes: z.array(z.int().min(400).max(599)).min(1).optional(),
  /** Move on when a target does not answer in time. */
  timeout: z.boolean().default(true),
  /** Move on (continuing the answer) when a stream is cut before it finished. */
  streamCut: z.boolean().default(true),
  /** Move on when a target cannot be reached, is not configured, or its circuit is open. */
  unavailable: z.boolean().default(true),
});

/** One node of a routing strategy. */
export type StrategyNode =
  | { mode: 'single'; target: TargetRef }
  | { mode: 'fallback'; targets: StrategyNode[]; on?: z.output<typeof FallbackConditionsSchema> }
  | { mode: 'loadbalance'; targets: Array<{ weight: number; node: StrategyNode }> };

export const StrategyNodeSchema: z.ZodType<StrategyNode> = z.lazy(() =>
  z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('single'), target: TargetRefSchema }),
    z.strictObject({ mode: z.literal('fallback'), targets: z.array(StrategyNodeSchema).min(1).max(10), on: FallbackConditionsSchema.optional() }),
    z.strictObject({
      mode: z.literal('loadbalance'),
      targets: z.array(z.strictObject({ weight: z.number().positive(), node: StrategyNodeSchema })).min(1).max(10),
    }),
  ]),
) as z.ZodType<StrategyNode>;

/** Everything about how the facade reaches its targets and survives their failures. */
export const RoutingSettingsSchema = z.strictObject({
  /** Per-tier strategies; a tier without one uses the default chain (its Space → Base Space → OpenAI → local). */
  strategies: z.partialRecord(z.enum(TIERS), StrategyNodeSchema).default({}),
  retry: z
    .strictObject({
      /** Attempts per target, the first included. */
      maxAttempts: z.int().min(1).max(10).default(3),
      initialDelayMs: z.int().min(0).max(60_000).default(250),
      maxDelayMs: z.int().min(0).max(120_000).default(5_000),
    })
    .default({ maxAttempts: 3, initialDelayMs: 250, maxDelayMs: 5_000 }),
  /** An attempt that has not produced its first token by then is abandoned. */
  attemptTimeoutMs: z.int().min(100).max(600_000).default(30_000),
  /** No new attempt starts after this long without a first token. */
  deadlineMs: z.int().min(100).max(1_800_000).default(90_000),
  breaker: z
    .strictObject({
      consecutiveFailures: z.int().min(1).max(1_000).default(5),
      /** Open when this share of requests failed within the window. */
      failureRate: z.number().gt(0).lt(1, { error: 'must be below 1 (a share of requests)' }).default(0.5),
      windowMs: z.int().min(1_000).max(3_600_000).default(60_000),
      /** Requests per second below which the failure rate is not judged. */
      minimumRps: z.number().positive().default(0.2),
      halfOpenAfterMs: z.int().min(100).max(3_600_000).default(30_000),
    })
    .default({ consecutiveFailures: 5, failureRate: 0.5, windowMs: 60_000, minimumRps: 0.2, halfOpenAfterMs: 30_000 }),
  /** What to do when a tier's Space is asleep or building: wait for it (showing progress) or answer from the next target. */
  coldStart: z.partialRecord(z.enum(TIERS), z.enum(['wait', 'fallback'])).default({}),
  coldStartTimeoutMs: z.int().min(1_000).max(1_800_000).default(300_000),
  /** How often a waking Space's runtime stage is read. */
  coldStartPollMs: z.int().min(10).max(60_000).default(5_000),
  /** Wake the configured Spaces when the app starts. */
  prewarm: z.boolean().default(false),
  /** Longest answer accepted from any target; longer answers end with finish reason `length`. */
  maxAnswerChars: z.int().min(1_000).max(10_000_000).default(262_144),
});
/** How the facade reaches its targets. */
export type RoutingSettings = z.output<typeof RoutingSettingsSchema>;

/** What happened at one target while answering a request. */
export const RouteAttemptSchema = z.object({
  /** The target as a person reads it: "Space acme/triad-company", "OpenAI gpt-4.1-mini", "local qwen2.5-…". */
  target: z.string(),
  provider: z.enum(PROVIDERS),
  /** served: produced the answer (or its end); failed: tried and failed; skipped: not tried (circuit open, not configured). */
  outcome: z.enum(['served', 'failed', 'skipped']),
  /** Why, in one line. */
  reason: z.string(),
  /** Tries at this target (retries included). */
  tries: z.int().nonnegative(),
});
/** What happened at one target. */
export type RouteAttempt = z.output<typeof RouteAttemptSchema>;
