import { describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import { RateLimiter, RateLimitSettingsSchema, type AdmissionRequest, type RateLimitSettingsInput } from '../../src-main/llm/rate-limiter';

const ada: AdmissionRequest = { userId: 'ada', tier: 'base', provider: 'local' };
const bob: AdmissionRequest = { userId: 'bob', tier: 'base', provider: 'local' };

/** A clock the test moves by hand, starting at a known UTC time. */
function manualClock(iso = '2031-05-04T10:00:00.000Z') {
  let now = Date.parse(iso);
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function makeLimiter(settings: RateLimitSettingsInput, clock = manualClock()) {
  return { limiter: new RateLimiter({ settings, now: clock.now }), clock };
}

/** What admit() threw (failing when it admitted). */
function refusal(limiter: RateLimiter, request: AdmissionRequest): TriadError {
  try {
    limiter.admit(request);
  } catch (error) {
    if (TriadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the request to be refused, but it was admitted');
}

function admitTimes(limiter: RateLimiter, request: AdmissionRequest, times: number): void {
  for (let i = 0; i < times; i++) limiter.admit(request);
}

describe('RateLimiter', () => {
  it('has generous defaults and no budget unless one is set', () => {
    const settings = RateLimitSettingsSchema.parse({});
    expect(settings.perUser).toEqual({ capacity: 20, refillPerMinute: 60 });
    expect(settings.perTier.company.refillPerMinute).toBeGreaterThanOrEqual(settings.perUser.refillPerMinute);
    expect(settings.dailyTokenBudget).toEqual({});
    expect(() => new RateLimiter({ settings: { perUser: { capacity: 0, refillPerMinute: 60 } } })).toThrow(/perUser\.capacity/);
  });

  it("refuses a user's burst beyond capacity, saying which limit and when to retry", () => {
    const { limiter } = makeLimiter({ perUser: { capacity: 3, refillPerMinute: 15 } });
    admitTimes(limiter, ada, 3);

    const error = refusal(limiter, ada);
    expect(error.toShape()).toEqual({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 4_000,
      tier: 'base',
      provider: 'local',
      message: 'user limit of 15 requests per minute reached; retry in 4 s',
    });
  });

  it('refills over time, and retryAfterMs is exactly when the next request is admitted', () => {
    const { limiter, clock } = makeLimiter({ perUser: { capacity: 2, refillPerMinute: 6 } });
    admitTimes(limiter, ada, 2);
    const { retryAfterMs } = refusal(limiter, ada);
    expect(retryAfterMs).toBe(10_000);

    clock.advance(retryAfterMs! - 1);
    expect(refusal(limiter, ada).retryAfterMs).toBe(1);
    clock.advance(1);
    limiter.admit(ada);

    // A long pause refills the bucket up to its capacity, no further.
    clock.advance(10 * 60_000);
    admitTimes(limiter, ada, 2);
    expect(refusal(limiter, ada).code).toBe('rate_limited');
  });

  it("does not let one user's bucket affect another's", () => {
    const { limiter } = makeLimiter({ perUser: { capacity: 2, refillPerMinute: 1 } });
    admitTimes(limiter, ada, 2);
    expect(refusal(limiter, ada).code).toBe('rate_limited');

    admitTimes(limiter, bob, 2);
    expect(limiter.snapshot().users).toEqual({ ada: { remaining: 0, capacity: 2 }, bob: { remaining: 0, capacity: 2 } });
  });

  it('limits a tier across all its users, leaving the other tiers alone', () => {
    const { limiter } = makeLimiter({
      perUser: { capacity: 100, refillPerMinute: 100 },
      perTier: { company: { capacity: 3, refillPerMinute: 30 } },
    });
    const company = (userId: string): AdmissionRequest => ({ userId, tier: 'company', provider: 'local' });
    admitTimes(limiter, company('ada'), 2);
    limiter.admit(company('bob'));

    const error = refusal(limiter, company('carol'));
    expect(error).toMatchObject({ code: 'rate_limited', tier: 'company', retryAfterMs: 2_000 });
    expect(error.message).toBe('company tier limit of 30 requests per minute reached; retry in 2 s');
    limiter.admit({ userId: 'carol', tier: 'base', provider: 'local' });
  });

  it('takes nothing from either bucket when one of them refuses', () => {
    const { limiter } = makeLimiter({ perUser: { capacity: 5, refillPerMinute: 5 }, perTier: { base: { capacity: 1, refillPerMinute: 1 } } });
    limiter.admit(ada);
    refusal(limiter, bob);
    expect(limiter.snapshot().users.bob).toEqual({ remaining: 5, capacity: 5 });
  });

  it('refuses a provider whose daily budget is spent until the next UTC midnight, then starts a new day', () => {
    const clock = manualClock('2031-05-04T23:59:00.000Z');
    const { limiter } = makeLimiter({ dailyTokenBudget: { openai: 1_000 } }, clock);
    const viaOpenAi: AdmissionRequest = { userId: 'ada', tier: 'base', provider: 'openai' };
    limiter.admit(viaOpenAi);
    limiter.recordUsage({ provider: 'openai', tokens: 600 });
    limiter.admit(viaOpenAi);
    limiter.recordUsage({ provider: 'openai', tokens: 450 });

    const error = refusal(limiter, viaOpenAi);
    expect(error).toMatchObject({ code: 'budget_exhausted', provider: 'openai', retryAfterMs: 60_000 });
    expect(error.message).toBe('the daily budget of 1,000 tokens for openai is spent (1,050 used today); retry in 1 min, after midnight UTC');
    // Other providers have no budget.
    limiter.admit({ ...viaOpenAi, provider: 'local' });
    expect(limiter.snapshot().budgets.openai).toEqual({ usedToday: 1_050, budget: 1_000, resetsAt: new Date('2031-05-05T00:00:00.000Z') });

    clock.advance(59_999);
    expect(refusal(limiter, viaOpenAi).retryAfterMs).toBe(1);
    clock.advance(1);
    limiter.admit(viaOpenAi);
    expect(limiter.snapshot().budgets.openai.usedToday).toBe(0);
  });

  it('reports the state of every limit for the UI', () => {
    const { limiter } = makeLimiter({
      perUser: { capacity: 4, refillPerMinute: 4 },
      perTier: { base: { capacity: 10, refillPerMinute: 10 } },
      dailyTokenBudget: { huggingface: 50_000 },
    });
    admitTimes(limiter, ada, 3);
    limiter.recordUsage({ provider: 'huggingface', tokens: 1_234 });

    const snapshot = limiter.snapshot();
    expect(snapshot.users.ada).toEqual({ remaining: 1, capacity: 4 });
    expect(snapshot.tiers.base).toEqual({ remaining: 7, capacity: 10 });
    expect(snapshot.budgets.huggingface).toMatchObject({ usedToday: 1_234, budget: 50_000 });
    expect(snapshot.budgets.local).toMatchObject({ usedToday: 0, budget: null });
  });
});
