import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnswerMetadata } from '../../src-shared/stream-parts';
import { cacheScope, isCacheable, ResponseCache, responseCacheKey, SHARED_SCOPE, type CacheKeyInput } from '../../src-main/llm/response-cache';

function request(overrides: Partial<CacheKeyInput> = {}): CacheKeyInput {
  return {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is our refund policy?' },
    ],
    params: { maxTokens: 256 },
    tier: 'company',
    provider: 'local',
    modelId: 'qwen2.5-0.5b-instruct-q4_k_m',
    modelVersion: 'v1',
    scope: cacheScope('company', 'acme'),
    ...overrides,
  };
}

function answer(overrides: Partial<AnswerMetadata> = {}, text = 'Refunds within 30 days.') {
  const metadata: AnswerMetadata = {
    requestId: randomUUID(),
    tier: 'company',
    provider: 'local',
    modelId: 'qwen2.5-0.5b-instruct-q4_k_m',
    modelVersion: 'v1',
    routingReason: "company context 'acme' and user has access",
    ttftMs: 40,
    latencyMs: 900,
    usage: { inputTokens: 20, outputTokens: 8, estimated: false },
    finishReason: 'stop',
    attempts: [],
    cacheHit: false,
    ...overrides,
  };
  return { text, metadata };
}

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ResponseCache', () => {
  it('serves the same request from the cache, with the answer as stored', () => {
    const clock = manualClock();
    const cache = new ResponseCache({ now: clock.now });
    const stored = answer();
    expect(cache.get(request())).toBeUndefined();

    expect(cache.set(request(), stored)).toBe(true);

    expect(cache.get(request())).toEqual({ ...stored, storedAt: clock.now() });
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
    expect(cache.stats().bytes).toBeGreaterThan(stored.text.length);
  });

  it('treats requests that differ only in whitespace, unset params or key order as the same', () => {
    const cache = new ResponseCache();
    cache.set(request(), answer());

    const spaced = request({
      messages: [
        { role: 'system', content: '  Be   brief. ' },
        { role: 'user', content: 'What is our\n\trefund policy?\n' },
      ],
      params: { temperature: undefined, stop: [], maxTokens: 256 },
    });
    expect(cache.get(spaced)).toBeDefined();
    expect(responseCacheKey({ ...request(), params: { topP: 0.9, maxTokens: 256 } })).toBe(
      responseCacheKey({ ...request(), params: { maxTokens: 256, topP: 0.9 } }),
    );
  });

  it('misses for another company, model version, model, provider, tier, params, role or text', () => {
    const cache = new ResponseCache();
    cache.set(request(), answer());
    const [system, user] = request().messages;

    const different: Array<[string, CacheKeyInput]> = [
      ['another company', request({ scope: cacheScope('company', 'globex') })],
      ['the shared scope', request({ scope: SHARED_SCOPE })],
      ['a new model version', request({ modelVersion: 'v2' })],
      ['another model', request({ modelId: 'gpt-4o-mini' })],
      ['another provider', request({ provider: 'openai' })],
      ['another tier', request({ tier: 'abstraction' })],
      ['another maxTokens', request({ params: { maxTokens: 512 } })],
      ['a temperature', request({ params: { maxTokens: 256, temperature: 0.2 } })],
      ['another role', request({ messages: [{ ...system!, role: 'user' }, user!] })],
      ['another question', request({ messages: [system!, { role: 'user', content: 'What is our return policy?' }] })],
      ['no system prompt', request({ messages: [user!] })],
    ];
    for (const [what, input] of different) expect(cache.get(input), what).toBeUndefined();
    expect(cache.stats().misses).toBe(different.length);
  });

  it('scopes Company answers by company and shares the other tiers', () => {
    expect(cacheScope('company', 'acme')).not.toBe(cacheScope('company', 'globex'));
    expect(cacheScope('company', null)).not.toBe(SHARED_SCOPE);
    expect(cacheScope('base', 'acme')).toBe(SHARED_SCOPE);
    expect(cacheScope('abstraction', 'acme')).toBe(SHARED_SCOPE);
  });

  it('caches only answers that finished with stop or length', () => {
    const cache = new ResponseCache();
    expect(isCacheable({ finishReason: 'stop' })).toBe(true);
    expect(isCacheable({ finishReason: 'length' })).toBe(true);
    expect(cache.set(request(), answer({ finishReason: 'content-filter' }))).toBe(false);
    expect(cache.set(request(), answer({ finishReason: 'aborted' }))).toBe(false);
    expect(cache.get(request())).toBeUndefined();
  });

  it('expires answers after the TTL', () => {
    const clock = manualClock();
    const cache = new ResponseCache({ ttlMs: 60_000, now: clock.now });
    cache.set(request(), answer());

    clock.advance(59_999);
    expect(cache.get(request())).toBeDefined();
    clock.advance(2);
    expect(cache.get(request())).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
  });

  it('evicts the least recently used answers when the byte bound is reached', () => {
    const text = 'x'.repeat(1_000);
    const oneAnswerBytes = (() => {
      const probe = new ResponseCache();
      probe.set(request(), answer({}, text));
      return probe.stats().bytes;
    })();
    const cache = new ResponseCache({ maxBytes: oneAnswerBytes * 3 + 100 });
    const question = (n: number) => request({ messages: [{ role: 'user', content: `question ${n}` }] });
    for (const n of [1, 2, 3]) cache.set(question(n), answer({}, text));
    expect(cache.get(question(1))).toBeDefined();

    cache.set(question(4), answer({}, text));

    expect(cache.get(question(2))).toBeUndefined();
    for (const n of [1, 3, 4]) expect(cache.get(question(n)), `question ${n}`).toBeDefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(oneAnswerBytes * 3 + 100);
  });

  it('evicts the least recently used answers when the entry bound is reached', () => {
    const cache = new ResponseCache({ maxEntries: 2 });
    const question = (n: number) => request({ messages: [{ role: 'user', content: `question ${n}` }] });
    cache.set(question(1), answer());
    cache.set(question(2), answer());
    cache.get(question(1));
    cache.set(question(3), answer());
    expect([1, 2, 3].map((n) => cache.get(question(n)) !== undefined)).toEqual([true, false, true]);
  });

  it('drops the answers of a tier, of a model version, or both', () => {
    const cache = new ResponseCache();
    const keep = (input: CacheKeyInput) => cache.set(input, answer({ tier: input.tier, modelVersion: input.modelVersion }));
    keep(request({ tier: 'company', modelVersion: 'v1' }));
    keep(request({ tier: 'company', modelVersion: 'v2' }));
    keep(request({ tier: 'base', modelVersion: 'v1', scope: SHARED_SCOPE }));
    keep(request({ tier: 'abstraction', modelVersion: 'v3', scope: SHARED_SCOPE }));

    expect(cache.invalidate({ tier: 'company', modelVersion: 'v1' })).toBe(1);
    expect(cache.get(request({ tier: 'company', modelVersion: 'v2' }))).toBeDefined();
    expect(cache.invalidate({ modelVersion: 'v1' })).toBe(1);
    expect(cache.get(request({ tier: 'base', modelVersion: 'v1', scope: SHARED_SCOPE }))).toBeUndefined();
    expect(cache.invalidate({ tier: 'company' })).toBe(1);
    expect(cache.stats().entries).toBe(1);

    cache.clear();
    expect(cache.stats().entries).toBe(0);
  });
});
