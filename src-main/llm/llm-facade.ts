import { randomUUID } from 'node:crypto';
import { describeValidationIssues, parseChatRequest, type ChatRequest } from '../../src-shared/chat';
import type { Tier } from '../../src-shared/domain';
import { TriadError, type ErrorCode, type TriadErrorShape } from '../../src-shared/errors';
import type { AnswerMetadata, Routing, StreamPart } from '../../src-shared/stream-parts';
import type { SettingsService } from '../config/settings-service';
import type { SecretRedactor } from '../secrets/secret-store';
import type { DirectoryRepository, RequestLogEntry, RequestLogRepository, UserAccess } from '../store/repositories';
import type { ChatModelFactory } from './chat-model-factory';
import { StreamingContentFilter } from './content-filter';
import type { FeatureFlagService } from './feature-flag-service';
import type { ModelSelector, Selection } from './model-selector';
import { ResponseHandler, toErrorShape, type HandledAnswer } from './response-handler';
import type { TierPromptStep } from './tier-prompt-steps';
import type { RoutePlan, RouteExecutor } from './routing/route-executor';
import { RoutingError, redactAttempts } from './routing/route-failures';
import { linkedAbort } from './linked-abort';
import { cacheScope, type CacheKeyInput, type ResponseCache } from './response-cache';
import type { RateLimiter } from './rate-limiter';

/** The slice of a pino logger the facade uses. */
export interface FacadeLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** The facade's collaborators, built once in the composition root. */
export interface LlmFacadeDeps {
  directory: DirectoryRepository;
  flags: FeatureFlagService;
  selector: ModelSelector;
  models: ChatModelFactory;
  promptSteps: Record<Tier, TierPromptStep>;
  settings: SettingsService;
  requestLog: Pick<RequestLogRepository, 'record'>;
  router: RouteExecutor;
  /** The exact response cache; absent = no caching. */
  cache?: ResponseCache;
  /** Rate limits and budgets; absent = unlimited. */
  limits?: RateLimiter;
  redactor: SecretRedactor;
  logger: FacadeLogger;
  now?: () => number;
}

/** A whole answer, or the error that replaced it. */
export type ChatResult = { ok: true; text: string; metadata: AnswerMetadata } | { ok: false; requestId: string; error: TriadErrorShape };

/** Failures that happen before any model is called, because of the request itself. */
const REJECTION_CODES: ReadonlySet<ErrorCode> = new Set(['validation_failed', 'unauthorized', 'forbidden', 'tier_disabled', 'provider_disabled', 'no_tier_available', 'rate_limited', 'budget_exhausted']);

/**
 * The LLM service facade: the only way into the models. Each request goes validate → authorise → read flags →
 * select → call → response handler → log, and ends with exactly one `finish` or `error` part and exactly one
 * logged row. It never throws to its caller.
 */
export class LlmFacade {
  private readonly now: () => number;

  constructor(private readonly deps: LlmFacadeDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  /** Streams the answer to a request. Abort `signal` to stop; the stream then finishes with reason `aborted`. */
  async *stream(input: unknown, options: { signal?: AbortSignal } = {}): AsyncGenerator<StreamPart, void> {
    const startedAt = this.now();
    const createdAt = new Date();
    const callerSignal = options.signal;
    const requestId = readRequestId(input) ?? randomUUID();
    const entry = emptyEntry(requestId, input, createdAt);
    let request: ChatRequest | undefined;
    let selection: Selection | undefined;
    let answer: HandledAnswer | undefined;
    let errorShape: TriadErrorShape | undefined;
    let unlinkCaller: (() => void) | undefined;
    try {
      request = this.validate(input);
      entry.requestedTier = request.tier;
      const user = await this.authorise(request);
      entry.companySlug = request.context.company && user.companySlugs.includes(request.context.company) ? request.context.company : null;
      const { flags } = await this.deps.flags.read();
      const [filterSettings, timeouts, routingSettings, limitSettings] = await Promise.all([
        this.deps.settings.get('content.filter'),
        this.deps.settings.get('provider.timeouts'),
        this.deps.settings.get('routing'),
        this.deps.settings.get('limits'),
      ]);
      this.deps.limits?.configure(limitSettings);
      selection = await this.deps.selector.select({ request, user, flags }, routingSettings);
      this.deps.limits?.admit({ userId: user.id, tier: selection.tier, provider: selection.planned?.provider ?? selection.provider });
      const routing = this.plannedRouting(selection, timeouts.idleTimeoutMs);
      Object.assign(entry, routing);
      yield { type: 'response-metadata', requestId, ...routing };

      const cacheKey = this.deps.cache && request.cache === 'default' && selection.planned ? cacheKeyOf(request, routing, entry.companySlug) : undefined;
      const cached = cacheKey && this.deps.cache?.get(cacheKey);
      if (cached) {
        yield { type: 'text-delta', text: cached.text };
        const elapsed = this.now() - startedAt;
        answer = {
          text: cached.text,
          metadata: { ...cached.metadata, requestId, routingReason: `${routing.routingReason}; answered from the cache`, ttftMs: elapsed, latencyMs: elapsed, cacheHit: true },
        };
        yield { type: 'finish', metadata: answer.metadata };
        return;
      }

      if (callerSignal?.aborted) throw new TriadError({ code: 'aborted', message: 'the request was cancelled' });
      const tier = selection.tier;
      const company = entry.companySlug ?? undefined;
      const messages = request.messages;
      // One signal for the caller's abort and the content filter's stop (see linked-abort.ts for why not AbortSignal.any).
      const { controller: generation, unlink } = linkedAbort(callerSignal);
      unlinkCaller = unlink;
      const plan: RoutePlan = {
        tier,
        priority: request.priority,
        flags,
        strategy: selection.strategy,
        call: { messages, params: request.params },
        settings: routingSettings,
        idleTimeoutMs: timeouts.idleTimeoutMs,
        // A tier's own Space is trained for it; any other target gets the tier's prompt step.
        prepare: (target) =>
          target.provider === 'huggingface' && target.tier === tier ? Promise.resolve(messages) : this.deps.promptSteps[tier].prepare({ messages, company }),
      };
      const handler = new ResponseHandler(
        {
          requestId,
          routing,
          startedAt,
          promptChars: messages.reduce((sum, m) => sum + m.content.length, 0),
          filter: new StreamingContentFilter(filterSettings),
          stopGeneration: () => generation.abort(),
          redact: (value) => this.deps.redactor.redactDeep(value),
          redactText: (text) => this.deps.redactor.redact(text),
        },
        this.now,
      );
      for await (const part of this.deps.router.stream(plan, generation)) {
        const out = handler.accept(part);
        if (out) yield out;
        if (handler.finished) break;
      }
      const { rest, answer: handled } = handler.end();
      if (rest) yield rest;
      answer = handled;
      const served = answer.metadata;
      this.deps.limits?.recordUsage({ provider: served.provider, tokens: served.usage.inputTokens + served.usage.outputTokens });
      // Only an answer from the planned target belongs under its key; a fallback's answer is not that model's.
      if (cacheKey && served.provider === routing.provider && served.modelId === routing.modelId) this.deps.cache?.set(cacheKey, answer);
      // Last: a consumer may stop reading at the finish part, and nothing after this yield would run.
      yield { type: 'finish', metadata: answer.metadata };
    } catch (error) {
      errorShape = this.deps.redactor.redactDeep(
        callerSignal?.aborted
          ? { code: 'aborted' as const, message: 'the request was cancelled', retryable: false }
          : toErrorShape(error, { tier: selection?.tier, provider: selection?.planned?.provider ?? selection?.provider }),
      );
      if (error instanceof RoutingError) entry.routeAttempts = error.attempts;
      yield { type: 'error', requestId, error: errorShape };
    } finally {
      unlinkCaller?.();
      // Runs also when the consumer stops reading early: that request was abandoned, so it is logged as aborted.
      await this.record(completeEntry(entry, { request, answer, errorShape, latencyMs: this.now() - startedAt }));
    }
  }

  /** Collects a streamed answer. */
  async complete(input: unknown, options: { signal?: AbortSignal; onText?: (text: string) => void } = {}): Promise<ChatResult> {
    let text = '';
    for await (const part of this.stream(input, options)) {
      if (part.type === 'text-delta') {
        text += part.text;
        options.onText?.(part.text);
      } else if (part.type === 'finish') return { ok: true, text, metadata: part.metadata };
      else if (part.type === 'error') return { ok: false, requestId: part.requestId, error: part.error };
    }
    throw new Error('facade stream ended without finish or error');
  }

  /** Where the request is expected to go, for the metadata sent before the first token. */
  private plannedRouting(selection: Selection, idleTimeoutMs: number): Routing {
    const planned = selection.planned;
    const model = planned && this.deps.models.create(planned, { idleTimeoutMs });
    return {
      tier: selection.tier,
      provider: model?.provider ?? selection.provider,
      modelId: model?.modelId ?? 'not configured',
      modelVersion: model?.modelVersion ?? 'none',
      routingReason: selection.reason,
    };
  }

  private validate(input: unknown): ChatRequest {
    const result = parseChatRequest(input);
    if (!result.success) {
      throw new TriadError({ code: 'validation_failed', message: `invalid chat request: ${describeValidationIssues(result.error)}` });
    }
    return result.data;
  }

  private async authorise(request: ChatRequest): Promise<UserAccess> {
    const user = await this.deps.directory.getUserAccess(request.context.userId);
    if (!user) throw new TriadError({ code: 'unauthorized', message: `unknown user '${request.context.userId}'` });
    const company = request.context.company;
    if (company && !(await this.deps.directory.findCompany(company))) {
      throw new TriadError({ code: 'validation_failed', message: `context.company: unknown company '${company}'` });
    }
    return user;
  }

  private async record(entry: RequestLogEntry): Promise<void> {
    try {
      await this.deps.requestLog.record(redactEntry(entry, this.deps.redactor));
    } catch (error) {
      this.deps.logger.error({ err: error, requestId: entry.id }, 'could not write the request log');
    }
  }
}

/** The cache key of a request to its planned target, scoped so an answer never crosses companies. */
function cacheKeyOf(request: ChatRequest, routing: Routing, companySlug: string | null): CacheKeyInput {
  return {
    messages: request.messages,
    params: request.params,
    tier: routing.tier,
    provider: routing.provider,
    modelId: routing.modelId,
    modelVersion: routing.modelVersion,
    scope: cacheScope(routing.tier, companySlug),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function field(input: unknown, ...path: string[]): unknown {
  let value = input;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function readRequestId(input: unknown): string | undefined {
  const id = field(input, 'requestId');
  return typeof id === 'string' && UUID.test(id) ? id : undefined;
}

/** Fields of the log row that the facade validated or set itself: ids, enums, numbers, dates. Copied as they are. */
const PLAIN_FIELDS: ReadonlySet<string> = new Set<keyof RequestLogEntry>([
  'id', 'conversationId', 'userId', 'companySlug', 'requestedTier', 'tier', 'provider', 'status', 'errorCode',
  'finishReason', 'createdAt', 'completedAt', 'ttftMs', 'latencyMs', 'tokensIn', 'tokensOut', 'cacheHit',
]);
/** Fields that can hold free text (from the user, an upstream or a model): redacted string by string below. */
const TEXT_FIELDS: ReadonlySet<string> = new Set<keyof RequestLogEntry>(['modelId', 'modelVersion', 'routingReason', 'errorMessage', 'prompt', 'answer', 'routeAttempts']);

/**
 * The log row with secrets removed from every field that can hold free text, string by string. A field added
 * to the row later and named in neither list is deep-redacted, so it cannot leak by being forgotten here.
 * (One spread and a key scan: destructuring the row twice with rest patterns cost four times as much.)
 */
function redactEntry(entry: RequestLogEntry, redactor: SecretRedactor): RequestLogEntry {
  const orNull = (value: string | null) => (value === null ? null : redactor.redact(value));
  const redacted: RequestLogEntry = {
    ...entry,
    modelId: orNull(entry.modelId),
    modelVersion: orNull(entry.modelVersion),
    routingReason: orNull(entry.routingReason),
    errorMessage: orNull(entry.errorMessage),
    prompt: entry.prompt && { id: entry.prompt.id, content: redactor.redact(entry.prompt.content) },
    answer: entry.answer && { id: entry.answer.id, content: redactor.redact(entry.answer.content) },
    routeAttempts: redactAttempts(entry.routeAttempts, (text) => redactor.redact(text)),
  };
  for (const key in entry) {
    if (!PLAIN_FIELDS.has(key) && !TEXT_FIELDS.has(key)) (redacted as unknown as Record<string, unknown>)[key] = redactor.redactDeep((entry as unknown as Record<string, unknown>)[key]);
  }
  return redacted;
}

/** The log row as far as the raw input allows; filled in as the request progresses. */
function emptyEntry(id: string, input: unknown, createdAt: Date): RequestLogEntry {
  const userId = field(input, 'context', 'userId');
  const conversationId = field(input, 'conversationId');
  return {
    id,
    conversationId: typeof conversationId === 'string' && UUID.test(conversationId) ? conversationId : null,
    userId: typeof userId === 'string' && UUID.test(userId) ? userId : null,
    companySlug: null,
    requestedTier: null,
    tier: null,
    provider: null,
    modelId: null,
    modelVersion: null,
    routingReason: null,
    status: 'error',
    errorCode: null,
    errorMessage: null,
    finishReason: null,
    ttftMs: null,
    latencyMs: 0,
    tokensIn: null,
    tokensOut: null,
    createdAt,
    completedAt: createdAt,
    prompt: null,
    answer: null,
    routeAttempts: [],
    cacheHit: false,
  };
}

function completeEntry(
  entry: RequestLogEntry,
  outcome: { request?: ChatRequest; answer?: HandledAnswer; errorShape?: TriadErrorShape; latencyMs: number },
): RequestLogEntry {
  const { request, answer, errorShape } = outcome;
  const prompt = request?.messages.findLast((m) => m.role === 'user');
  const completedAt = new Date();
  const promptRow = prompt ? { id: randomUUID(), content: prompt.content } : null;
  if (answer) {
    const m = answer.metadata;
    return {
      ...entry,
      completedAt,
      prompt: promptRow,
      status: m.finishReason === 'aborted' ? 'aborted' : 'ok',
      modelVersion: m.modelVersion,
      finishReason: m.finishReason,
      ttftMs: m.ttftMs,
      latencyMs: m.latencyMs,
      tokensIn: m.usage.inputTokens,
      tokensOut: m.usage.outputTokens,
      answer: { id: randomUUID(), content: answer.text },
      routeAttempts: m.attempts,
      cacheHit: m.cacheHit,
      provider: m.provider,
      modelId: m.modelId,
    };
  }
  const done = { ...entry, completedAt, latencyMs: outcome.latencyMs, prompt: promptRow };
  if (errorShape) {
    const status = errorShape.code === 'aborted' ? 'aborted' : REJECTION_CODES.has(errorShape.code) ? 'rejected' : 'error';
    return { ...done, status, errorCode: errorShape.code, errorMessage: errorShape.message };
  }
  return { ...done, status: 'aborted', errorCode: 'aborted', errorMessage: 'the caller stopped reading the answer' };
}
