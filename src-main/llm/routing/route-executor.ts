import type { ChatMessage } from '../../../src-shared/chat';
import type { Priority, Tier } from '../../../src-shared/domain';
import { TriadError } from '../../../src-shared/errors';
import type { FeatureFlags } from '../../../src-shared/feature-flags';
import type { RouteAttempt, RoutingSettings, StrategyNode, TargetRef } from '../../../src-shared/routing';
import { AsyncQueue } from '../async-queue';
import type { ChatModel, ModelCall, ModelStreamPart } from '../chat-model';
import type { ChatModelFactory } from '../chat-model-factory';
import { describeTarget, endpointOf, type ModelTarget, type TargetResolver } from '../model-target';
import type { CircuitBreakers } from './circuit-breakers';
import { RoutingError, conditionsAllow, describeRef } from './route-failures';
import type { SpaceWaker } from './space-waker';
import { sleep } from './sleep';

type Finish = Extract<ModelStreamPart, { type: 'finish' }>;

/** One request's route: the tier, its strategy, and how to prepare the prompt for each target. */
export interface RoutePlan {
  tier: Tier;
  priority: Priority;
  flags: FeatureFlags;
  strategy: StrategyNode;
  call: ModelCall;
  settings: RoutingSettings;
  idleTimeoutMs: number;
  /** The messages for a target: a tier's own Space gets them as they are, a generic model gets the tier's prompt step. */
  prepare(target: ModelTarget): Promise<ChatMessage[]>;
}

export interface RouteExecutorDeps {
  targets: TargetResolver;
  models: ChatModelFactory;
  breakers: CircuitBreakers;
  waker: SpaceWaker;
  random?: () => number;
}

/** What one request's walk shares between its targets. */
interface Walk {
  plan: RoutePlan;
  out: AsyncQueue<ModelStreamPart>;
  /** The request's controller: its signal stops the walk and every call in it. */
  stop: AbortController;
  attempts: RouteAttempt[];
  /** The answer so far, across targets (a cut answer is continued by the next one). */
  text: string;
  /** performance.now() by which the first token must have come. */
  deadline: number;
  usage: { inputTokens: number; outputTokens: number } | undefined;
}

/** A failure after text reached the user: not retried at the same target (that would repeat the text). */
class CutAfterText extends TriadError {}

/**
 * Walks a routing strategy for one request and streams the answer: retries with backoff and jitter
 * (honouring Retry-After), a circuit breaker per endpoint (cockatiel), a deadline for the first token,
 * waking sleeping Spaces, and continuing a cut answer on the next target with a visible marker. The output is
 * one model stream: text, route notices, and a single finish naming the target that served and every attempt.
 */
export class RouteExecutor {
  constructor(private readonly deps: RouteExecutorDeps) {}

  /**
   * Starts the walk and returns its parts. `stop` is the request's own controller: aborting it stops the
   * walk, and the walk aborts it when the consumer stops reading before the end (so the request needs no
   * second signal). The parts come straight from the walk's queue, with no generator in between.
   */
  stream(plan: RoutePlan, stop: AbortController): AsyncIterable<ModelStreamPart> {
    let settled = false;
    let running: Promise<void> = Promise.resolve();
    const out = new AsyncQueue<ModelStreamPart>(async () => {
      // Only a walk still running (the consumer stopped reading) has anything to stop; aborting a finished
      // one would only make every signal below it dispatch an abort (a DOMException and listeners) for nothing.
      if (!settled) stop.abort();
      await running;
    });
    const walk: Walk = {
      plan,
      out,
      stop,
      attempts: [],
      text: '',
      deadline: performance.now() + plan.settings.deadlineMs,
      usage: undefined,
    };
    running = this.walkNode(plan.strategy, walk).then(
      (finish) => {
        settled = true;
        out.push(finishOf(finish, { attempts: walk.attempts, usage: finish.usage ?? walk.usage }));
        out.end();
      },
      (error: unknown) => {
        settled = true;
        out.fail(TriadError.isInstance(error) && !(error instanceof RoutingError) ? new RoutingError(error, walk.attempts) : error);
      },
    );
    return out;
  }

  private async walkNode(node: StrategyNode, walk: Walk): Promise<Finish> {
    if (node.mode === 'single') return this.serve(node.target, walk);
    if (node.mode === 'loadbalance') return this.walkNode(this.pickByWeight(node.targets), walk);
    let lastError: unknown;
    for (const [index, child] of node.targets.entries()) {
      try {
        return await this.walkNode(child, walk);
      } catch (error) {
        lastError = error;
        const more = index < node.targets.length - 1;
        if (!more || walk.stop.signal.aborted || !conditionsAllow(error, node.on)) throw error;
        walk.out.push({ type: 'route', event: 'falling-back', target: describeChild(node.targets[index + 1]!), message: describeError(error) });
      }
    }
    throw lastError;
  }

  private pickByWeight(options: Array<{ weight: number; node: StrategyNode }>): StrategyNode {
    const total = options.reduce((sum, o) => sum + o.weight, 0);
    let point = (this.deps.random ?? Math.random)() * total;
    for (const option of options) {
      point -= option.weight;
      if (point < 0) return option.node;
    }
    return options.at(-1)!.node;
  }

  /** Serves the request (or the rest of it) from one target, or throws why it could not. */
  private async serve(ref: TargetRef, walk: Walk): Promise<Finish> {
    const { plan } = walk;
    let target: ModelTarget;
    try {
      target = (await this.deps.targets.resolveRef(ref, plan.tier, plan.priority, plan.flags)).target;
    } catch (error) {
      walk.attempts.push({ target: describeRef(ref, plan.tier), provider: ref.provider, outcome: 'skipped', reason: describeError(error), tries: 0 });
      throw error;
    }
    const model = this.deps.models.create(target, { idleTimeoutMs: plan.idleTimeoutMs });
    const label = describeTarget(target, model.modelId);
    const endpoint = endpointOf(target);
    const attempt: RouteAttempt = { target: label, provider: target.provider, outcome: 'failed', reason: '', tries: 0 };
    walk.attempts.push(attempt);
    const continuing = walk.text.length > 0;
    const messages = await this.continuationOf(await plan.prepare(target), walk.text);
    if (continuing) walk.out.push({ type: 'route', event: 'continued', target: label, message: `continued by ${label}` });
    try {
      const finish = await this.retrying(walk, label, () => {
        attempt.tries++;
        const once = () => this.streamOnce(model, { messages, params: plan.call.params }, walk, label);
        return endpoint ? this.deps.breakers.execute(endpoint, plan.settings.breaker, once) : once();
      }, target);
      Object.assign(attempt, { outcome: 'served', reason: continuing ? 'continued the cut answer' : 'answered' });
      return finishOf(finish, { servedBy: { provider: model.provider, modelId: model.modelId, modelVersion: finish.modelVersion ?? model.modelVersion } });
    } catch (error) {
      attempt.reason = describeError(error);
      // An open circuit refused the call before anything was sent: the target was skipped, not tried.
      if (TriadError.isInstance(error) && error.code === 'circuit_open' && attempt.tries === 1) Object.assign(attempt, { outcome: 'skipped', tries: 0 });
      throw error;
    }
  }

  /**
   * Retries one target's attempts with backoff; a sleeping Space is woken (and waited for, if the tier says so).
   * A plain loop rather than cockatiel's retry policy: nearly every request succeeds at its first attempt, and
   * building the policy with its emitters for each one cost more main-thread CPU than the rest of the route's bookkeeping.
   */
  private async retrying(walk: Walk, label: string, attemptOnce: () => Promise<Finish>, target: ModelTarget): Promise<Finish> {
    const { retry } = walk.plan.settings;
    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptOnce();
      } catch (error) {
        if (attempt < retry.maxAttempts && !walk.stop.signal.aborted && this.worthRetrying(error, walk, target)) {
          const exponential = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempt - 1));
          // Full jitter spreads the retries of many clients; Retry-After, when given, is a floor.
          const delay = Math.max(TriadError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0, Math.random() * exponential);
          walk.out.push({ type: 'route', event: 'retrying', target: label, message: `${describeError(error)}; retrying in ${Math.round(delay)} ms` });
          // A cancel ends the wait at once; the walk then stops with this error.
          await sleep(delay, walk.stop.signal).catch(() => undefined);
          if (!walk.stop.signal.aborted) continue;
        }
        if (!this.isSleepingSpace(error, target) || walk.text.length > 0) throw error;
        return this.afterWakingSpace(walk, label, target as Extract<ModelTarget, { provider: 'huggingface' }>, attemptOnce, error);
      }
    }
  }

  private worthRetrying(error: unknown, walk: Walk, target: ModelTarget): boolean {
    if (!TriadError.isInstance(error) || !error.retryable || error instanceof CutAfterText) return false;
    if (error.code === 'circuit_open' || this.isSleepingSpace(error, target)) return false;
    // A wait longer than the time left is no retry: the next target answers sooner.
    return performance.now() + (error.retryAfterMs ?? 0) < walk.deadline;
  }

  private isSleepingSpace(error: unknown, target: ModelTarget): boolean {
    return target.provider === 'huggingface' && TriadError.isInstance(error) && error.code === 'upstream_unavailable';
  }

  private async afterWakingSpace(
    walk: Walk,
    label: string,
    target: Extract<ModelTarget, { provider: 'huggingface' }>,
    attemptOnce: () => Promise<Finish>,
    error: unknown,
  ): Promise<Finish> {
    const { plan } = walk;
    if ((plan.settings.coldStart[plan.tier] ?? 'fallback') === 'fallback') {
      void this.deps.waker.wake(target.spaceName);
      throw new TriadError({ code: 'upstream_unavailable', retryable: true, provider: 'huggingface', message: `${label} is asleep or starting (HTTP 503); waking it` }, { cause: error });
    }
    walk.out.push({ type: 'route', event: 'waiting', target: label, message: `${label} is starting; waiting for it` });
    await this.deps.waker.waitUntilRunning(target.spaceName, {
      timeoutMs: plan.settings.coldStartTimeoutMs,
      pollMs: plan.settings.coldStartPollMs,
      signal: walk.stop.signal,
      onStage: (stage) => walk.out.push({ type: 'route', event: 'waiting', target: label, message: `${label}: ${stage.toLowerCase().replaceAll('_', ' ')}` }),
    });
    walk.deadline = performance.now() + plan.settings.deadlineMs;
    return attemptOnce();
  }

  /**
   * One attempt: streams text to the walk's output until a finish; sets the first-token limit and enforces the
   * answer size. The attempt has no controller of its own: the provider's idle timer keeps the first-token
   * limit, and an answer past the size limit stops the whole walk (it is over: served, cut at that length).
   */
  private async streamOnce(model: ChatModel, call: ModelCall, walk: Walk, label: string): Promise<Finish> {
    const { settings } = walk.plan;
    const firstTokenTimeoutMs = Math.min(settings.attemptTimeoutMs, Math.max(0, walk.deadline - performance.now()));
    let emitted = 0;
    let truncated = false;
    try {
      for await (const part of model.stream({ messages: call.messages, params: call.params, firstTokenTimeoutMs }, walk.stop.signal)) {
        if (part.type === 'text-delta') {
          const room = settings.maxAnswerChars - walk.text.length;
          const text = part.text.slice(0, Math.max(0, room));
          if (text) {
            walk.text += text;
            emitted += text.length;
            walk.out.push({ type: 'text-delta', text });
          }
          if (part.text.length > room && !truncated) {
            truncated = true;
            walk.stop.abort();
          }
        } else if (part.type === 'finish') {
          if (part.usage) walk.usage = { inputTokens: (walk.usage?.inputTokens ?? 0) + part.usage.inputTokens, outputTokens: (walk.usage?.outputTokens ?? 0) + part.usage.outputTokens };
          return truncated ? finishOf(part, { finishReason: 'length' }) : part;
        }
      }
      throw new TriadError({ code: 'upstream_bad_response', retryable: true, provider: model.provider, message: `${label}: the answer ended without a finish` });
    } catch (error) {
      if (emitted > 0 && TriadError.isInstance(error) && !(error instanceof CutAfterText)) {
        throw new CutAfterText({ ...error.toShape(), message: `${error.message} (after ${emitted} characters of the answer)` }, { cause: error });
      }
      throw error;
    }
  }

  /** The prompt that asks the next target to carry on a cut answer without repeating it. */
  private async continuationOf(messages: ChatMessage[], partial: string): Promise<ChatMessage[]> {
    if (!partial) return messages;
    return [
      ...messages,
      { role: 'assistant', content: partial },
      { role: 'user', content: 'Your previous answer was cut off. Continue it exactly where it stopped, without repeating any of it.' },
    ];
  }
}

/**
 * A finish part with some fields replaced, field by field: V8 builds `{ ...finish, more }` on a slow path,
 * and this runs for every answer.
 */
function finishOf(finish: Finish, changes: Partial<Omit<Finish, 'type'>>): Finish {
  return {
    type: 'finish',
    finishReason: changes.finishReason ?? finish.finishReason,
    usage: 'usage' in changes ? changes.usage : finish.usage,
    modelVersion: finish.modelVersion,
    servedBy: changes.servedBy ?? finish.servedBy,
    attempts: changes.attempts ?? finish.attempts,
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeChild(node: StrategyNode): string {
  if (node.mode === 'single') return describeRef(node.target);
  return node.mode === 'fallback' ? describeChild(node.targets[0]!) : 'a load-balanced target';
}
