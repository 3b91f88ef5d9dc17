import { z } from 'zod';
import { PROVIDERS, TIERS } from './domain';
import { TriadErrorShapeSchema } from './errors';
import { RouteAttemptSchema } from './routing';

/** Why generation ended. */
export const FINISH_REASONS = ['stop', 'length', 'content-filter', 'aborted'] as const;
/** Why generation ended. */
export type FinishReason = (typeof FINISH_REASONS)[number];

/** Where a request was routed, and why. */
export const RoutingSchema = z.object({
  /** The tier that serves the request. */
  tier: z.enum(TIERS),
  /** The provider that serves it. */
  provider: z.enum(PROVIDERS),
  /** The model's id (GGUF name, Space name or OpenAI model). */
  modelId: z.string(),
  /** The model's version as configured or reported. */
  modelVersion: z.string(),
  /** One line a person can read: why this tier. */
  routingReason: z.string(),
});
/** Where a request was routed, and why. */
export type Routing = z.infer<typeof RoutingSchema>;

/** Token counts of one answer. */
export const UsageSchema = z.object({
  /** Prompt tokens. */
  inputTokens: z.int().nonnegative(),
  /** Generated tokens. */
  outputTokens: z.int().nonnegative(),
  /** True when the provider did not report usage and the counts are estimates. */
  estimated: z.boolean(),
});
/** Token counts of one answer. */
export type Usage = z.infer<typeof UsageSchema>;

/** The metadata every finished answer carries, whatever served it. */
export const AnswerMetadataSchema = RoutingSchema.extend({
  /** The request's id; feedback refers to the answer by it. */
  requestId: z.uuid(),
  /** Milliseconds from the request to the first text. Null when no text came. */
  ttftMs: z.number().nonnegative().nullable(),
  /** Milliseconds from the request to the end of the answer. */
  latencyMs: z.number().nonnegative(),
  /** Token counts. */
  usage: UsageSchema,
  /** Why generation ended. */
  finishReason: z.enum(FINISH_REASONS),
  /** Every target tried, in order, and why each did or did not serve. */
  attempts: z.array(RouteAttemptSchema),
  /** True when the answer came from the response cache. */
  cacheHit: z.boolean(),
});
/** The metadata every finished answer carries. */
export type AnswerMetadata = z.infer<typeof AnswerMetadataSchema>;

/** One part of a streamed answer. A stream ends with exactly one `finish` or `error` part. */
export const StreamPartSchema = z.discriminatedUnion('type', [
  /** Sent once, before any text: where the request went. */
  RoutingSchema.extend({ type: z.literal('response-metadata'), requestId: z.uuid() }),
  /** Something the user should see about routing: a retry, a fallback, a Space waking up, a continuation. */
  z.object({
    type: z.literal('route'),
    event: z.enum(['retrying', 'falling-back', 'waiting', 'continued']),
    /** The target concerned, as a person reads it. */
    target: z.string(),
    message: z.string(),
  }),
  /** A piece of the answer's text. */
  z.object({ type: z.literal('text-delta'), text: z.string() }),
  /** The answer is complete. */
  z.object({ type: z.literal('finish'), metadata: AnswerMetadataSchema }),
  /** The request failed; nothing follows. */
  z.object({ type: z.literal('error'), requestId: z.uuid(), error: TriadErrorShapeSchema }),
]);
/** One part of a streamed answer. */
export type StreamPart = z.infer<typeof StreamPartSchema>;
