import { z } from 'zod';
import { CHAT_LIMITS, GenerationParamsSchema, RequestContextSchema, TierChoiceSchema } from './chat';
import { PRIORITIES, PROVIDERS, ROLES, TIERS } from './domain';
import { TriadErrorShapeSchema, type TriadErrorShape } from './errors';
import { FLAG_DEFINITIONS } from './feature-flags';
import { SECRET_NAMES, SecretsStatusSchema } from './secrets';
import { isHttpsOrLoopback, plainHttpRefusal, SPACE_HTTPS_REASON } from './secure-url';
import { ContentFilterSettingsSchema, LocalModelSettingsSchema, OpenAiSettingsSchema } from './settings';
import { FINISH_REASONS, StreamPartSchema } from './stream-parts';
import { RouteAttemptSchema } from './routing';
import { DATASET_CHANNELS, DATASET_EVENTS } from './dataset-contract';
import { LEADERBOARD_CHANNELS } from './leaderboard-contract';
import { REVIEW_CHANNELS } from './review-contract';
import { TRAINING_CHANNELS, TRAINING_EVENTS } from './training-contract';
import { EVALUATION_CHANNELS, EVALUATION_EVENTS } from './evaluation-contract';
import { DEPLOY_CHANNELS, DEPLOY_EVENTS } from './deploy-contract';
import { ROUTER_CHANNELS } from './router-contract';

/**
 * The one contract between the renderer and the main process. Each channel has an input and an output
 * schema; each event a payload schema. The Electron preload and the browser-mode HTTP server are both
 * generated from this object, and the main process validates every input against it.
 */

const CompanySlugSchema = RequestContextSchema.shape.company.unwrap();
const isoDate = z.iso.datetime();

/** A new prompt in a conversation; the main process adds the history and who is asking. */
export const ChatStartInputSchema = z.strictObject({
  /** Omit to start a new conversation. */
  conversationId: z.uuid().optional(),
  prompt: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(CHAT_LIMITS.maxMessageChars, {
      error: (issue) => `too long: ${(issue.input as string).length} characters (limit ${CHAT_LIMITS.maxMessageChars})`,
    }),
  tier: TierChoiceSchema.default('auto'),
  provider: z.enum(PROVIDERS).optional(),
  company: CompanySlugSchema.nullable().optional(),
  priority: z.enum(PRIORITIES).default('normal'),
  params: GenerationParamsSchema.default({}),
});

/** A conversation in the list. */
export const ConversationSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  company: z.string().nullable(),
  updatedAt: isoDate,
});

/** Feedback as the UI edits it. */
export const FeedbackInputSchema = z.strictObject({
  requestId: z.uuid(),
  thumbs: z.union([z.literal(1), z.literal(-1)]).nullable(),
  rating: z.int().min(1).max(5).nullable(),
  comment: z.string().max(4_000).nullable(),
  correctedAnswer: z.string().max(CHAT_LIMITS.maxMessageChars).nullable(),
});
/** Saved feedback. */
export const FeedbackViewSchema = FeedbackInputSchema.extend({ updatedAt: isoDate });

/** What a transcript shows of the request behind a message. */
export const RequestViewSchema = z.object({
  id: z.uuid(),
  tier: z.enum(TIERS).nullable(),
  provider: z.enum(PROVIDERS).nullable(),
  modelId: z.string().nullable(),
  modelVersion: z.string().nullable(),
  routingReason: z.string().nullable(),
  status: z.enum(['ok', 'error', 'rejected', 'aborted']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  finishReason: z.enum(FINISH_REASONS).nullable(),
  ttftMs: z.number().nullable(),
  latencyMs: z.number(),
  tokensIn: z.number().nullable(),
  tokensOut: z.number().nullable(),
  /** Every target tried for the answer, and why. */
  routeAttempts: z.array(RouteAttemptSchema),
  cacheHit: z.boolean(),
});

/** One message of a reopened conversation. */
export const TranscriptTurnSchema = z.object({
  id: z.uuid(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  createdAt: isoDate,
  request: RequestViewSchema.nullable(),
  feedback: FeedbackViewSchema.nullable(),
});

/** One prompt sent to several tiers at once. */
export const CompareStartInputSchema = z.strictObject({
  prompt: ChatStartInputSchema.shape.prompt,
  tiers: z
    .array(z.enum(TIERS))
    .min(2, { error: 'pick two or three tiers' })
    .max(3, { error: 'pick two or three tiers' })
    .refine((tiers) => new Set(tiers).size === tiers.length, { error: 'each tier at most once' }),
  company: CompanySlugSchema.nullable().optional(),
  priority: z.enum(PRIORITIES).default('normal'),
  params: GenerationParamsSchema.default({}),
});

/** The vote on a comparison. */
export const CompareVoteInputSchema = z
  .strictObject({
    comparisonId: z.uuid(),
    verdict: z.enum(['winner', 'tie', 'both_bad']),
    winnerRequestId: z.uuid().nullable(),
  })
  .refine((vote) => (vote.verdict === 'winner') === (vote.winnerRequestId !== null), {
    error: 'a winner verdict names the winning answer, and only a winner verdict does',
    path: ['winnerRequestId'],
  });

/** A tier's Hugging Face Space, as Settings edits it. */
export const SpaceSettingsSchema = z.strictObject({
  tier: z.enum(TIERS),
  spaceName: z.string().trim().min(1).max(200),
  /** https, or http on this computer (a local server). */
  apiEndpoint: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine(isHttpsOrLoopback, { error: (issue) => plainHttpRefusal(String(issue.input), SPACE_HTTPS_REASON) }),
  modelVersion: z.string().trim().max(200).nullable(),
  isActive: z.boolean(),
});

/** How a tier is doing, for the status bar. */
export const TierStateSchema = z.object({
  state: z.enum(['ready', 'loading', 'down', 'disabled']),
  detail: z.string(),
});

/** A remote endpoint's circuit breaker. */
export const BreakerViewSchema = z.object({
  endpoint: z.string(),
  state: z.enum(['closed', 'open', 'half-open']),
  /** When an open circuit lets its single probe through. */
  nextProbeAt: isoDate.nullable(),
});

/** The status bar's data. */
export const StatusViewSchema = z.object({
  provider: z.enum(PROVIDERS),
  tiers: z.record(z.enum(TIERS), TierStateSchema),
  store: z.enum(['pglite', 'postgres', 'supabase']),
  /** Circuit breakers of the endpoints called so far. */
  breakers: z.array(BreakerViewSchema),
  /**
   * Present while a tier has a Space but no Hugging Face token can be read: Spaces are then called without one
   * (public Spaces answer, private ones refuse), and this says so and where to set a token.
   */
  huggingFaceTokenNotice: z.string().optional(),
});

/** Everything Settings shows. Secrets appear only as set/unset and their source. */
export const SettingsViewSchema = z.object({
  user: z.object({ id: z.uuid(), displayName: z.string(), role: z.enum(ROLES) }),
  flags: z.array(
    z.object({ key: z.string(), description: z.string(), value: z.union([z.enum(PROVIDERS), z.boolean()]), source: z.enum(['default', 'database', 'environment']), envVar: z.string() }),
  ),
  spaces: z.array(SpaceSettingsSchema),
  localModels: LocalModelSettingsSchema,
  openai: OpenAiSettingsSchema,
  contentFilter: ContentFilterSettingsSchema,
  companies: z.array(z.object({ slug: z.string(), name: z.string() })),
  companyContext: z.string().nullable(),
  secrets: SecretsStatusSchema,
  /**
   * The demo workspace a fresh install starts with (sample companies, their knowledge, anonymised insights), which
   * Settings can remove; absent when there is none (never seeded, removed) or a team's store is in use.
   */
  demoWorkspace: z
    .object({ companies: z.array(z.object({ slug: z.string(), name: z.string() })), knowledgeSnippets: z.int().nonnegative(), insights: z.int().nonnegative() })
    .optional(),
});

/** Where the team's shared data lives: this computer only, or a Supabase project. */
export const TeamConnectionSchema = z.object({
  mode: z.enum(['embedded', 'supabase']),
  /** The Supabase project URL (https, or http on this computer). */
  url: z.string().nullable(),
  /** Whether the project's anon key is in the keychain; the key itself never leaves the main process. */
  anonKeySet: z.boolean(),
});

/** The signed-in operator (team mode); null when nobody is signed in. */
export const OperatorSessionSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    /** Slugs of the companies the operator belongs to. */
    companies: z.array(z.string()),
    /** When the access token expires (it is refreshed before). */
    expiresAt: isoDate.nullable(),
  })
  .nullable();

/** How far local writes are from the shared store. */
export const SyncStatusSchema = z.object({
  /** embedded: no shared store; online: writes reach it; offline: they wait in the outbox; signed-out: nobody to write as. */
  state: z.enum(['embedded', 'online', 'offline', 'signed-out']),
  /** Writes waiting in the outbox. */
  pending: z.int().nonnegative(),
  lastSuccessAt: isoDate.nullable(),
  lastError: z.string().nullable(),
});

/** Everything the team section of Settings and the status bar show. */
export const TeamViewSchema = z.object({
  connection: TeamConnectionSchema,
  session: OperatorSessionSchema,
  sync: SyncStatusSchema,
});

const empty = z.strictObject({});

/** The analysts' channels (chat, compare, feedback, settings, status, team): name → input and output schemas. */
const CORE_CHANNELS = {
  'chat.start': { input: ChatStartInputSchema, output: z.object({ streamId: z.uuid(), requestId: z.uuid(), conversationId: z.uuid() }) },
  'chat.cancel': { input: z.strictObject({ streamId: z.uuid() }), output: z.object({ cancelled: z.boolean() }) },
  'conversations.list': { input: empty, output: z.array(ConversationSummarySchema) },
  'conversations.transcript': { input: z.strictObject({ conversationId: z.uuid() }), output: z.array(TranscriptTurnSchema) },
  'compare.start': {
    input: CompareStartInputSchema,
    output: z.object({ comparisonId: z.uuid(), columns: z.array(z.object({ tier: z.enum(TIERS), streamId: z.uuid(), requestId: z.uuid() })) }),
  },
  'compare.vote': { input: CompareVoteInputSchema, output: z.object({ preferenceId: z.uuid() }) },
  'feedback.save': { input: FeedbackInputSchema, output: FeedbackViewSchema },
  'settings.get': { input: empty, output: SettingsViewSchema },
  'settings.setFlag': {
    input: z.strictObject({ key: z.enum(FLAG_DEFINITIONS.map((f) => f.key) as [string, ...string[]]), value: z.union([z.enum(PROVIDERS), z.boolean()]) }),
    output: SettingsViewSchema,
  },
  'settings.saveSpace': { input: SpaceSettingsSchema, output: SettingsViewSchema },
  'settings.saveLocalModels': { input: LocalModelSettingsSchema, output: SettingsViewSchema },
  'settings.saveOpenAi': { input: OpenAiSettingsSchema, output: SettingsViewSchema },
  'settings.saveContentFilter': { input: ContentFilterSettingsSchema, output: SettingsViewSchema },
  'settings.setCompanyContext': { input: z.strictObject({ company: CompanySlugSchema.nullable() }), output: SettingsViewSchema },
  /** Deletes the demo workspace's companies and insights (never the user's own) and a company context on them. */
  'settings.removeDemoWorkspace': { input: empty, output: SettingsViewSchema },
  'secrets.set': { input: z.strictObject({ name: z.enum(SECRET_NAMES), value: z.string().min(1).max(4_096) }), output: SecretsStatusSchema },
  'secrets.clear': { input: z.strictObject({ name: z.enum(SECRET_NAMES) }), output: SecretsStatusSchema },
  'status.get': { input: empty, output: StatusViewSchema },
  'team.get': { input: empty, output: TeamViewSchema },
  /** Chooses the embedded store or a Supabase project; the anon key, when given, goes to the keychain. */
  'team.configure': {
    input: z.strictObject({
      mode: z.enum(['embedded', 'supabase']),
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      anonKey: z.string().trim().min(1).max(4_096).optional(),
    }),
    output: TeamViewSchema,
  },
  /** Checks a project answers and has Triad's migrations, without changing anything. */
  'team.testConnection': {
    input: z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), anonKey: z.string().trim().min(1).max(4_096).optional() }),
    output: z.object({ ok: z.boolean(), message: z.string() }),
  },
  'team.signIn': { input: z.strictObject({ email: z.email({ error: 'must be an email address' }), password: z.string().min(1).max(1_024) }), output: TeamViewSchema },
  'team.signOut': { input: empty, output: TeamViewSchema },
} as const;

/** Every channel: the core ones and each feature's own (declared beside the feature's schemas). */
export const CHANNELS = { ...CORE_CHANNELS, ...REVIEW_CHANNELS, ...LEADERBOARD_CHANNELS, ...DATASET_CHANNELS, ...TRAINING_CHANNELS, ...EVALUATION_CHANNELS, ...DEPLOY_CHANNELS, ...ROUTER_CHANNELS } as const;

/** Every event the main process sends: name → payload schema. */
export const EVENTS = {
  /** One part of a streamed answer, for the stream the renderer started. */
  'chat.part': z.object({ streamId: z.uuid(), part: StreamPartSchema }),
  /** The status bar changed. */
  'status.changed': StatusViewSchema,
  /** The team connection, the session or the sync state changed. */
  'team.changed': TeamViewSchema,
  ...DATASET_EVENTS,
  ...TRAINING_EVENTS,
  ...EVALUATION_EVENTS,
  ...DEPLOY_EVENTS,
} as const;

/** A channel name. */
export type Channel = keyof typeof CHANNELS;
/** What a caller passes to a channel (before defaults). */
export type ChannelInput<C extends Channel> = z.input<(typeof CHANNELS)[C]['input']>;
/** What a handler receives (after validation and defaults). */
export type ChannelParsedInput<C extends Channel> = z.output<(typeof CHANNELS)[C]['input']>;
/** What a channel returns. */
export type ChannelOutput<C extends Channel> = z.output<(typeof CHANNELS)[C]['output']>;
/** An event name. */
export type EventName = keyof typeof EVENTS;
/** An event's payload. */
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** The envelope every call returns: Electron keeps only the message of a thrown error, so errors travel as data. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: TriadErrorShape };
/** The schema of a call result, for transports that must parse it. */
export const CallResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: TriadErrorShapeSchema }),
]);

/** Channel names, for generating the preload API. */
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
/** Event names. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** Views used by the renderer. */
export type ConversationSummary = z.output<typeof ConversationSummarySchema>;
export type TranscriptTurn = z.output<typeof TranscriptTurnSchema>;
export type FeedbackView = z.output<typeof FeedbackViewSchema>;
export type SettingsView = z.output<typeof SettingsViewSchema>;
export type StatusView = z.output<typeof StatusViewSchema>;
export type SpaceSettings = z.output<typeof SpaceSettingsSchema>;
export type TeamView = z.output<typeof TeamViewSchema>;
export type SyncStatus = z.output<typeof SyncStatusSchema>;
