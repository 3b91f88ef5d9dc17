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

const UUID_PATTERN = z.regexes.uuid();
const COMPANY_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REQUEST_KEYS: ReadonlySet<string> = new Set(['requestId', 'conversationId', 'messages', 'tier', 'provider', 'context', 'priority', 'params', 'cache']);
const MESSAGE_ROLES: ReadonlySet<unknown> = new Set(['system', 'user', 'assistant']);
const TIER_CHOICES: ReadonlySet<unknown> = new Set(TierChoiceSchema.options);
const PROVIDER_NAMES: ReadonlySet<unknown> = new Set(PROVIDERS);
const PRIORITY_NAMES: ReadonlySet<unknown> = new Set(PRIORITIES);
const CACHE_MODES: ReadonlySet<unknown> = new Set(['default', 'bypass']);

/**
 * Validates a chat request as {@link ChatRequestSchema} does, with the same result. The facade checks every
 * request, and zod spends ~13 µs on one (a quarter of the facade's whole budget), so a hand-written check of
 * the common shape runs first; anything it does not recognise as valid (an error, or a shape it does not
 * know) goes to zod, which then accepts it or says exactly what is wrong. The check only ever accepts what zod
 * accepts, and builds the same output (copies, defaults applied, keys in the schema's order).
 */
export function parseChatRequest(input: unknown): z.ZodSafeParseResult<ChatRequest> {
  const fast = quickChatRequest(input);
  return fast ? { success: true, data: fast } : ChatRequestSchema.safeParse(input);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Only own keys from `allowed`, as zod's strictObject requires (it also sees inherited enumerable ones). */
function onlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

const isUuid = (value: unknown): boolean => typeof value === 'string' && UUID_PATTERN.test(value);
const optional = (value: Record<string, unknown>, key: string, valid: (item: unknown) => boolean): boolean => value[key] === undefined || valid(value[key]);

/** The parsed request when `input` is a valid request of the usual shape; undefined means "ask zod". */
function quickChatRequest(input: unknown): ChatRequest | undefined {
  if (!isPlainObject(input) || !onlyKeys(input, REQUEST_KEYS)) return undefined;
  if (!optional(input, 'requestId', isUuid) || !optional(input, 'conversationId', isUuid)) return undefined;
  if (!optional(input, 'tier', (t) => TIER_CHOICES.has(t)) || !optional(input, 'provider', (p) => PROVIDER_NAMES.has(p))) return undefined;
  if (!optional(input, 'priority', (p) => PRIORITY_NAMES.has(p)) || !optional(input, 'cache', (c) => CACHE_MODES.has(c))) return undefined;
  const messages = quickMessages(input.messages);
  const context = quickContext(input.context);
  const params = input.params === undefined ? {} : quickParams(input.params);
  if (!messages || !context || !params) return undefined;
  const request: Record<string, unknown> = {};
  if ('requestId' in input) request.requestId = input.requestId;
  if ('conversationId' in input) request.conversationId = input.conversationId;
  request.messages = messages;
  request.tier = input.tier ?? 'auto';
  if ('provider' in input) request.provider = input.provider;
  request.context = context;
  request.priority = input.priority ?? 'normal';
  request.params = params;
  request.cache = input.cache ?? 'default';
  return request as ChatRequest;
}

const MESSAGE_KEYS: ReadonlySet<string> = new Set(['role', 'content']);

function quickMessages(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > CHAT_LIMITS.maxMessages) return undefined;
  const messages: ChatMessage[] = [];
  let total = 0;
  for (const message of value as unknown[]) {
    if (!isPlainObject(message) || !onlyKeys(message, MESSAGE_KEYS) || !MESSAGE_ROLES.has(message.role)) return undefined;
    const content = message.content;
    if (typeof content !== 'string' || content.length < 1 || content.length > CHAT_LIMITS.maxMessageChars) return undefined;
    total += content.length;
    messages.push({ role: message.role as ChatMessage['role'], content });
  }
  if (total > CHAT_LIMITS.maxRequestChars || messages.at(-1)!.role !== 'user') return undefined;
  return messages;
}

const CONTEXT_KEYS: ReadonlySet<string> = new Set(['userId', 'company']);

function quickContext(value: unknown): RequestContext | undefined {
  if (!isPlainObject(value) || !onlyKeys(value, CONTEXT_KEYS) || !isUuid(value.userId)) return undefined;
  if (!optional(value, 'company', (c) => typeof c === 'string' && COMPANY_SLUG.test(c))) return undefined;
  const context: Record<string, unknown> = { userId: value.userId };
  if ('company' in value) context.company = value.company;
  return context as RequestContext;
}

const PARAM_KEYS = ['maxTokens', 'temperature', 'topP', 'stop', 'seed'] as const;
const PARAM_KEY_SET: ReadonlySet<string> = new Set(PARAM_KEYS);
const isNumberIn = (value: unknown, min: number, max: number): boolean => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
const PARAM_CHECKS: Record<(typeof PARAM_KEYS)[number], (value: unknown) => boolean> = {
  maxTokens: (v) => Number.isSafeInteger(v) && isNumberIn(v, 1, CHAT_LIMITS.maxOutputTokens),
  temperature: (v) => isNumberIn(v, 0, 2),
  topP: (v) => isNumberIn(v, 0, 1) && v !== 0,
  stop: (v) => Array.isArray(v) && v.length <= 4 && v.every((s) => typeof s === 'string' && s.length >= 1 && s.length <= 64),
  seed: (v) => Number.isSafeInteger(v),
};

function quickParams(value: unknown): GenerationParams | undefined {
  if (!isPlainObject(value) || !onlyKeys(value, PARAM_KEY_SET)) return undefined;
  const params: Record<string, unknown> = {};
  for (const key of PARAM_KEYS) {
    if (!(key in value)) continue;
    const item = value[key];
    if (item !== undefined && !PARAM_CHECKS[key](item)) return undefined;
    params[key] = key === 'stop' && Array.isArray(item) ? [...(item as string[])] : item;
  }
  return params as GenerationParams;
}
