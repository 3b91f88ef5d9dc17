import { describeValidationIssues } from '../../src-shared/chat';
import type { Provider, Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';

import { RateLimitSettingsSchema, type RateLimitSettings, type RateLimitSettingsInput, type RequestBucket } from '../../src-shared/limits';

export { RateLimitSettingsSchema, RequestBucketSchema, type RateLimitSettings, type RateLimitSettingsInput, type RequestBucket } from '../../src-shared/limits';

/** Who is asking for what. */
export interface AdmissionRequest {
  userId: string;
  tier: Tier;
  provider: Provider;
}

/** The limiter's state for a status display. */
export interface RateLimitSnapshot {
  at: Date;
  /** Requests each user may still make at once (users not seen since their bucket refilled are left out). */
  users: Record<string, { remaining: number; capacity: number }>;
  tiers: Record<Tier, { remaining: number; capacity: number }>;
  /** Tokens used today per provider, against its budget (null: unlimited). */
  budgets: Record<Provider, { usedToday: number; budget: number | null; resetsAt: Date }>;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Beyond this many users, buckets that have refilled completely are forgotten (a new one is identical). */
const USERS_KEPT_BEFORE_PRUNING = 1_000;

/** A bucket's level at a moment: refilling is computed when it is looked at, so no timer is needed. */
interface BucketState {
  tokens: number;
  at: number;
}

/**
 * Admits requests against a token bucket per user and one per tier, and a daily token budget per provider
 * (days roll over at UTC midnight). Everything is computed from the injected clock on each call.
 */
export class RateLimiter {
  private settings: RateLimitSettings;
  private configuredFrom: RateLimitSettingsInput | undefined;
  private readonly now: () => number;
  private readonly users = new Map<string, BucketState>();
  private readonly tiers = new Map<Tier, BucketState>();
  private usage: { day: number; tokens: Map<Provider, number> };

  constructor(options: { settings?: RateLimitSettingsInput; now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.settings = parseSettings(options.settings ?? {});
    this.usage = { day: utcDay(this.now()), tokens: new Map() };
  }

  /** Applies new settings; buckets keep their level, capped at their new capacity. */
  configure(settings: RateLimitSettingsInput): void {
    // Called on every request with the (memoised) settings: parse only when they changed.
    if (settings === this.configuredFrom) return;
    this.configuredFrom = settings;
    this.settings = parseSettings(settings);
  }

  /**
   * Takes one request from the user's and the tier's buckets, or throws without taking anything:
   * `budget_exhausted` when the provider's daily budget is spent, `rate_limited` when a bucket is empty.
   * Both carry `retryAfterMs` and a message naming the limit.
   */
  admit(request: AdmissionRequest): void {
    const now = this.now();
    this.checkBudget(request, now);
    const user = this.level(this.users, request.userId, this.settings.perUser, now);
    const tier = this.level(this.tiers, request.tier, this.settings.perTier[request.tier], now);
    if (user.tokens < 1 || tier.tokens < 1) this.refuse(request, user, tier);
    user.tokens -= 1;
    tier.tokens -= 1;
    if (this.users.size > USERS_KEPT_BEFORE_PRUNING) this.forgetFullUserBuckets(now);
  }

  /** Throws `rate_limited` for the emptier of the two buckets (the longer wait). */
  private refuse(request: AdmissionRequest, user: BucketState, tier: BucketState): never {
    const refusals = [
      { state: user, bucket: this.settings.perUser, name: 'user limit' },
      { state: tier, bucket: this.settings.perTier[request.tier], name: `${request.tier} tier limit` },
    ]
      .filter(({ state }) => state.tokens < 1)
      .map(({ state, bucket, name }) => ({ name, bucket, waitMs: Math.ceil(((1 - state.tokens) * MS_PER_MINUTE) / bucket.refillPerMinute) }));
    // Both buckets must have a request to spare: the answer is the longer wait.
    const longest = refusals.reduce((a, b) => (b.waitMs > a.waitMs ? b : a));
    throw new TriadError({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: longest.waitMs,
      tier: request.tier,
      provider: request.provider,
      message: `${longest.name} of ${formatNumber(longest.bucket.refillPerMinute)} requests per minute reached; retry in ${formatWait(longest.waitMs)}`,
    });
  }

  /** Counts the tokens an answer used against its provider's budget for today. */
  recordUsage(usage: { provider: Provider; tokens: number }): void {
    const tokens = this.todaysUsage(this.now()).tokens;
    tokens.set(usage.provider, (tokens.get(usage.provider) ?? 0) + Math.max(0, usage.tokens));
  }

  snapshot(): RateLimitSnapshot {
    const now = this.now();
    const users: RateLimitSnapshot['users'] = {};
    for (const userId of this.users.keys()) {
      users[userId] = { remaining: Math.floor(this.level(this.users, userId, this.settings.perUser, now).tokens), capacity: this.settings.perUser.capacity };
    }
    const tierEntry = (tier: Tier) => {
      const bucket = this.settings.perTier[tier];
      return { remaining: Math.floor(this.level(this.tiers, tier, bucket, now).tokens), capacity: bucket.capacity };
    };
    const usage = this.todaysUsage(now);
    const resetsAt = new Date((usage.day + 1) * MS_PER_DAY);
    const budgetEntry = (provider: Provider) => ({
      usedToday: usage.tokens.get(provider) ?? 0,
      budget: this.settings.dailyTokenBudget[provider] ?? null,
      resetsAt,
    });
    return {
      at: new Date(now),
      users,
      tiers: { base: tierEntry('base'), company: tierEntry('company'), abstraction: tierEntry('abstraction') },
      budgets: { local: budgetEntry('local'), huggingface: budgetEntry('huggingface'), openai: budgetEntry('openai') },
    };
  }

  private checkBudget(request: AdmissionRequest, now: number): void {
    const budget = this.settings.dailyTokenBudget[request.provider];
    if (budget === undefined) return;
    const usage = this.todaysUsage(now);
    const used = usage.tokens.get(request.provider) ?? 0;
    if (used < budget) return;
    const retryAfterMs = (usage.day + 1) * MS_PER_DAY - now;
    throw new TriadError({
      code: 'budget_exhausted',
      retryable: true,
      retryAfterMs,
      tier: request.tier,
      provider: request.provider,
      message:
        `the daily budget of ${formatNumber(budget)} tokens for ${request.provider} is spent (${formatNumber(used)} used today); ` +
        `retry in ${formatWait(retryAfterMs)}, after midnight UTC`,
    });
  }

  /** The bucket's current level, refilled for the time since it was last looked at (and created full). */
  private level<K>(states: Map<K, BucketState>, key: K, bucket: RequestBucket, now: number): BucketState {
    const state = states.get(key) ?? { tokens: bucket.capacity, at: now };
    const refilled = ((now - state.at) * bucket.refillPerMinute) / MS_PER_MINUTE;
    // A clock stepping back must not drain the bucket.
    state.tokens = Math.min(bucket.capacity, state.tokens + Math.max(0, refilled));
    state.at = Math.max(state.at, now);
    states.set(key, state);
    return state;
  }

  private todaysUsage(now: number): { day: number; tokens: Map<Provider, number> } {
    const day = utcDay(now);
    if (day !== this.usage.day) this.usage = { day, tokens: new Map() };
    return this.usage;
  }

  private forgetFullUserBuckets(now: number): void {
    for (const userId of [...this.users.keys()]) {
      if (this.level(this.users, userId, this.settings.perUser, now).tokens >= this.settings.perUser.capacity) this.users.delete(userId);
    }
  }
}

function parseSettings(input: RateLimitSettingsInput): RateLimitSettings {
  const result = RateLimitSettingsSchema.safeParse(input);
  if (!result.success) {
    throw new TriadError({ code: 'validation_failed', message: `invalid rate limit settings: ${describeValidationIssues(result.error)}` });
  }
  return result.data;
}

/** Days since the epoch, in UTC. */
function utcDay(epochMs: number): number {
  return Math.floor(epochMs / MS_PER_DAY);
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** "4 s", "3 min", "5 h 12 min": rounded up, so that retrying after it succeeds. */
function formatWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
