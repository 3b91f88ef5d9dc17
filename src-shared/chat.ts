import { z } from 'zod';
import { PRIORITIES, PROVIDERS, TIERS } from './domain';

/** Size limits on a chat request; a request over them is rejected before it reaches a model. */
export const CHAT_LIMITS = {
  /** Characters in one message. */
  maxMessageChars: 32_000,
  /** Characters across all messages of one request. */
  maxRequestChars: 128_000,
  /** Messages in one request. */
  maxMessages: 500,
  /** Tokens one answer may generate. */
  maxOutputTokens: 8_192,
} as const;

/** One turn of a conversation. */
export const ChatMessageSchema = z.strictObject({
  /** Who wrote it. */
  role: z.enum(['system', 'user', 'assistant']),
  /** Its text. */
  content: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(CHAT_LIMITS.maxMessageChars, {
      error: (issue) =>
        `too long: ${(issue.input as string).length} characters (limit ${CHAT_LIMITS.maxMessageChars})`,
    }),
});
/** One turn of a conversation. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Sampling settings passed to the model; each is optional and has a provider default. */
export const GenerationParamsSchema = z.strictObject({
  /** Upper bound on generated tokens. */
  maxTokens: z.int().min(1).max(CHAT_LIMITS.maxOutputTokens).optional(),
  /** Sampling temperature. */
  temperature: z.number().min(0).max(2).optional(),
  /** Nucleus sampling mass. */
  topP: z.number().gt(0).max(1).optional(),
  /** Sequences that end generation. */
  stop: z.array(z.string().min(1).max(64)).max(4).optional(),
  /** Seed for reproducible sampling where the provider supports it. */
  seed: z.int().optional(),
});
/** Sampling settings passed to the model. */
export type GenerationParams = z.infer<typeof GenerationParamsSchema>;

/** A tier, or `auto` to let the model selector choose. */
export const TierChoiceSchema = z.enum([...TIERS, 'auto']);
/** A tier, or `auto` to let the model selector choose. */
export type TierChoice = z.infer<typeof TierChoiceSchema>;

/** Who is asking and on behalf of which company. */
export const RequestContextSchema = z.strictObject({
  /** The operator making the request (set by the main process, never by the renderer). */
  userId: z.uuid({ error: 'must be a user id (UUID)' }),
  /** Slug of the company the question is about, if any. */
  company: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be a company slug (lowercase letters, digits, dashes)' })
    .optional(),
});
/** Who is asking and on behalf of which company. */
export type RequestContext = z.infer<typeof RequestContextSchema>;

/** A chat request as the facade accepts it. */
export const ChatRequestSchema = z
  .strictObject({
    /** Client-generated id; makes logging idempotent. Generated when absent. */
    requestId: z.uuid().optional(),
    /** Conversation the prompt and answer belong to, if any. */
    conversationId: z.uuid().optional(),
    /** The conversation so far; the last message is the user's prompt. */
    messages: z
      .array(ChatMessageSchema)
      .min(1, { error: 'must contain at least one message' })
      .max(CHAT_LIMITS.maxMessages),
    /** Requested tier, or `auto`. */
    tier: TierChoiceSchema.default('auto'),
    /** Serve with this provider instead of the one the flags choose (OpenAI only when its flag is on). */
    provider: z.enum(PROVIDERS).optional(),
    /** Who is asking, about which company. */
    context: RequestContextSchema,
    /** `fast` may trade quality for a cheaper, quicker target. */
    priority: z.enum(PRIORITIES).default('normal'),
    /** Sampling settings. */
    params: GenerationParamsSchema.default({}),
    /** `bypass` skips the response cache for this request (neither read nor written). */
    cache: z.enum(['default', 'bypass']).default('default'),
  })
  .superRefine((request, ctx) => {
    const last = request.messages.at(-1);
    if (last && last.role !== 'user') {
      ctx.addIssue({
        code: 'custom',
        path: ['messages', request.messages.length - 1, 'role'],
        message: `the last message must be from the user, not '${last.role}'`,
      });
    }
    const total = request.messages.reduce((sum, m) => sum + m.content.length, 0);
    if (total > CHAT_LIMITS.maxRequestChars) {
      ctx.addIssue({
        code: 'custom',
        path: ['messages'],
        message: `too long in total: ${total} characters (limit ${CHAT_LIMITS.maxRequestChars})`,
      });
    }
  });
/** A chat request as callers write it (defaults not yet applied). */
export type ChatRequestInput = z.input<typeof ChatRequestSchema>;
/** A validated chat request. */
export type ChatRequest = z.output<typeof ChatRequestSchema>;

/** Turns zod issues into one line per field: `messages[0].content: too long: ...`. */
export function describeValidationIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${formatPath(issue.path) || 'request'}: ${issue.message}`)
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}
