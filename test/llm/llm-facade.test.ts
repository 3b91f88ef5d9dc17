import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequestInput } from '../../src-shared/chat';
import type { StreamPart } from '../../src-shared/stream-parts';
import { SAMPLE_COMPANY } from '../../src-main/config/embedded-defaults';
import { MASK } from '../../src-main/llm/content-filter';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { createTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let upstream: OpenAiCompatibleServer;

beforeAll(async () => {
  app = await createTestApp();
  upstream = await startOpenAiCompatibleServer();
  await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: upstream.url, isActive: true, modelVersion: 'base-v3' });
  await app.store.spaces.upsert({ spaceName: 'acme/triad-company', spaceType: 'company', apiEndpoint: 'http://127.0.0.1:9', isActive: true, modelVersion: 'co-v1' });
});
afterAll(async () => {
  await upstream.close();
  await app.close();
});
beforeEach(async () => {
  upstream.requests.length = 0;
  await app.flags.set('provider', 'local');
  await app.settings.set('content.filter', { mode: 'off', terms: [] });
});

function request(overrides: Partial<ChatRequestInput> = {}): ChatRequestInput {
  return {
    requestId: randomUUID(),
    // Most tests repeat a prompt and must reach the model; the cache tests opt back in.
    cache: 'bypass',
    messages: [{ role: 'user', content: 'Tell me something.' }],
    context: { userId: app.localOperator.id },
    params: { maxTokens: 16 },
    ...overrides,
  };
}

async function collect(input: unknown, signal?: AbortSignal): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of app.facade.stream(input, { signal })) parts.push(part);
  return parts;
}

/** The logged row of a request, once the batched writer has written it. */
async function stored(requestId: string) {
  await app.requestLog.flush();
  return app.store.requests.get(requestId);
}

async function loggedRows(requestId: string) {
  const entry = await stored(requestId);
  const recent = await app.store.requests.listRecent(1_000);
  return { entry, count: recent.filter((r) => r.id === requestId).length };
}

describe('facade on the local model', () => {
  it('streams metadata, then text, then one finish with usage and timings, and logs exactly one row', async () => {
    const input = request();
    const parts = await collect(input);
    expect(parts[0]).toMatchObject({ type: 'response-metadata', requestId: input.requestId, tier: 'base', provider: 'local', routingReason: 'general question, no company context' });
    const types = parts.map((p) => p.type);
    expect(types.at(-1)).toBe('finish');
    expect(types.slice(1, -1).every((t) => t === 'text-delta')).toBe(true);
    expect(types.filter((t) => t === 'text-delta').length).toBeGreaterThan(0);
    const finish = parts.at(-1) as Extract<StreamPart, { type: 'finish' }>;
    expect(finish.metadata).toMatchObject({ tier: 'base', provider: 'local', modelId: 'llama-2-tiny-random', usage: { estimated: false } });
    expect(finish.metadata.usage.inputTokens).toBeGreaterThan(0);
    expect(finish.metadata.usage.outputTokens).toBeGreaterThan(0);
    expect(finish.metadata.ttftMs).toBeGreaterThan(0);
    expect(finish.metadata.latencyMs).toBeGreaterThanOrEqual(finish.metadata.ttftMs!);

    const { entry, count } = await loggedRows(input.requestId!);
    expect(count).toBe(1);
    const text = parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('');
    expect(entry).toMatchObject({
      status: 'ok',
      tier: 'base',
      provider: 'local',
      tokensIn: finish.metadata.usage.inputTokens,
      tokensOut: finish.metadata.usage.outputTokens,
      finishReason: finish.metadata.finishReason,
      prompt: { content: 'Tell me something.' },
      answer: { content: text },
    });
    expect(entry!.ttftMs).toBeCloseTo(finish.metadata.ttftMs!, 3);
    expect(entry!.latencyMs).toBeCloseTo(finish.metadata.latencyMs, 3);
  });

  it('routes each tier by context and says why', async () => {
    const company = await app.facade.complete(request({ context: { userId: app.localOperator.id, company: SAMPLE_COMPANY.slug }, messages: [{ role: 'user', content: 'What is our lead time?' }] }));
    const abstraction = await app.facade.complete(request({ messages: [{ role: 'user', content: 'What is the industry average lead time?' }] }));
    expect(company.ok && company.metadata).toMatchObject({ tier: 'company', routingReason: "company context 'acme' and user has access" });
    expect(abstraction.ok && abstraction.metadata).toMatchObject({ tier: 'abstraction', routingReason: "cross-business question ('industry average')" });
  });

  it('stops generation when the caller aborts, finishes as aborted and logs it once', async () => {
    const input = request({ params: { maxTokens: 4_000 } });
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    for await (const part of app.facade.stream(input, { signal: controller.signal })) {
      parts.push(part);
      if (part.type === 'text-delta' && parts.length === 4) controller.abort();
    }
    const finish = parts.at(-1) as Extract<StreamPart, { type: 'finish' }>;
    expect(finish.type).toBe('finish');
    expect(finish.metadata.finishReason).toBe('aborted');
    expect(finish.metadata.usage.outputTokens).toBeLessThan(200);
    const { entry, count } = await loggedRows(input.requestId!);
    expect(count).toBe(1);
    expect(entry!.status).toBe('aborted');
  });

  it('logs a request whose reader walked away as aborted', async () => {
    const input = request({ params: { maxTokens: 4_000 } });
    for await (const part of app.facade.stream(input)) if (part.type === 'text-delta') break;
    const { entry, count } = await loggedRows(input.requestId!);
    expect(count).toBe(1);
    expect(entry!.status).toBe('aborted');
  });

  it('applies the content filter to what the user sees and to what is stored', async () => {
    await app.flags.set('provider', 'huggingface');
    await app.settings.set('content.filter', { mode: 'mask', terms: ['falcon'] });
    upstream.reply({ kind: 'stream', chunks: ['Project Fal', 'con ships', ' soon'] });
    const input = request();
    const result = await app.facade.complete(input);
    expect(result.ok && result.text).toBe(`Project ${MASK} ships soon`);
    expect((await stored(input.requestId!))!.answer!.content).toBe(`Project ${MASK} ships soon`);
  });

  it('ends a blocked answer with finish reason content-filter', async () => {
    await app.flags.set('provider', 'huggingface');
    await app.settings.set('content.filter', { mode: 'block', terms: ['password'] });
    upstream.reply({ kind: 'stream', chunks: ['The admin ', 'password is hunter2'] });
    const result = await app.facade.complete(request());
    expect(result.ok && result.metadata.finishReason).toBe('content-filter');
    expect(result.ok && result.text).toBe('The admin ');
  });

  it('reports a missing model file naming the tier and the file', async () => {
    await app.settings.set('local.models', { company: '/nowhere/company.gguf' });
    try {
      const result = await app.facade.complete(request({ tier: 'company', context: { userId: app.localOperator.id, company: 'acme' } }));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatchObject({ code: 'model_not_found', tier: 'company', provider: 'local' });
      expect(!result.ok && result.error.message).toContain('/nowhere/company.gguf');
    } finally {
      await app.settings.set('local.models', {});
    }
  });
});

describe('facade on a Hugging Face Space', () => {
  it('serves the tier from its Space with the Space metadata', async () => {
    await app.flags.set('provider', 'huggingface');
    upstream.reply({ kind: 'stream', chunks: ['Hello', ' world'], usage: { prompt_tokens: 9, completion_tokens: 2 } });
    const result = await app.facade.complete(request());
    expect(result.ok && result.metadata).toMatchObject({ tier: 'base', provider: 'huggingface', modelId: 'acme/triad-base', usage: { inputTokens: 9, outputTokens: 2, estimated: false } });
    expect(result.ok && result.text).toBe('Hello world');
    // A tier's own Space is trained for it: the messages go unchanged, without a tier system prompt.
    expect(upstream.requests[0]!.body.messages).toEqual([{ role: 'user', content: 'Tell me something.' }]);
  });

  it('estimates usage when the Space reports none, and says so', async () => {
    await app.flags.set('provider', 'huggingface');
    upstream.reply({ kind: 'stream', chunks: ['12345678'] });
    const result = await app.facade.complete(request());
    expect(result.ok && result.metadata.usage).toEqual({ inputTokens: 5, outputTokens: 2, estimated: true });
  });

  it('falls back to the Base Space when the tier Space cannot be reached, and says so', async () => {
    await app.flags.set('provider', 'huggingface');
    upstream.reply({ kind: 'stream', chunks: ['from base'] });
    const input = request({ tier: 'company', context: { userId: app.localOperator.id, company: 'acme' } });
    const result = await app.facade.complete(input);
    expect(result.ok && result.metadata).toMatchObject({ tier: 'company', provider: 'huggingface', modelId: 'acme/triad-base' });
    const attempts = result.ok ? result.metadata.attempts : [];
    expect(attempts.map((a) => [a.target, a.outcome])).toEqual([
      ['Space acme/triad-company', 'failed'],
      ['Space acme/triad-base', 'served'],
    ]);
    expect(attempts[0]!.reason).toContain('127.0.0.1:9');
    expect((await stored(input.requestId!))!.routeAttempts).toEqual(attempts);
  });

  it('names the tier and the endpoint when the only target cannot be reached, and logs the error', async () => {
    await app.flags.set('provider', 'huggingface');
    await app.settings.set('routing', { strategies: { company: { mode: 'single', target: { provider: 'huggingface', space: 'tier' } } }, retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 } });
    try {
      const input = request({ tier: 'company', context: { userId: app.localOperator.id, company: 'acme' } });
      const result = await app.facade.complete(input);
      expect(!result.ok && result.error).toMatchObject({ code: 'upstream_unreachable', tier: 'company', provider: 'huggingface', retryable: true });
      expect(!result.ok && result.error.message).toContain('127.0.0.1:9');
      expect(await stored(input.requestId!)).toMatchObject({ status: 'error', errorCode: 'upstream_unreachable', tier: 'company' });
    } finally {
      await app.settings.set('routing', {});
    }
  });

  it('logs no token-shaped secret: not from the prompt, the answer or an upstream error', async () => {
    await app.flags.set('provider', 'huggingface');
    const prompt = 'Is hf_promptSecretABCDEFGHIJKLMNOPQ still valid?';
    upstream.reply({ kind: 'stream', chunks: ['Your key sk-answerSecret0123456789abcdefg is'] });
    const input = request({ messages: [{ role: 'user', content: prompt }] });
    const result = await app.facade.complete(input);
    expect(result.ok && result.text).toBe('Your key sk-answerSecret0123456789abcdefg is');
    const row = (await stored(input.requestId!))!;
    expect(row.prompt?.content).toBe('Is [redacted] still valid?');
    expect(row.answer?.content).toBe('Your key [redacted] is');

    await app.settings.set('routing', { strategies: { base: { mode: 'single', target: { provider: 'huggingface', space: 'tier' } } }, retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 } });
    try {
      upstream.reply({ kind: 'status', status: 500, body: 'upstream says: bad key sk-errorSecret0123456789abcdefghi' });
      const failing = request();
      const failed = await app.facade.complete(failing);
      expect(!failed.ok && failed.error.message).not.toContain('sk-errorSecret');
      const logged = (await stored(failing.requestId!))!;
      expect(JSON.stringify(logged)).not.toContain('sk-errorSecret');
      expect(logged.errorMessage).toContain('[redacted]');
    } finally {
      await app.settings.set('routing', {});
    }
  });

  it('says which tier has no Space configured, and answers from the next target', async () => {
    await app.flags.set('provider', 'huggingface');
    upstream.reply({ kind: 'stream', chunks: ['from base'] });
    const result = await app.facade.complete(request({ tier: 'abstraction' }));
    expect(result.ok && result.metadata.attempts[0]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining("tier 'abstraction' has no active Hugging Face Space") });
    expect(result.ok && result.text).toBe('from base');
  });
});

describe('response cache', () => {
  it('answers a repeated request from the cache, fast, logged as a hit, without calling the Space', async () => {
    await app.flags.set('provider', 'huggingface');
    upstream.reply({ kind: 'stream', chunks: ['cached', ' answer'], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const ask = () => request({ messages: [{ role: 'user', content: 'Cache me please' }], cache: 'default' });
    const first = await app.facade.complete(ask());
    const calls = upstream.requests.length;
    const input = ask();
    const second = await app.facade.complete({ ...input, messages: [{ role: 'user', content: '  Cache   me please ' }] });
    expect(upstream.requests.length).toBe(calls);
    expect(second.ok && second.text).toBe('cached answer');
    expect(second.ok && second.metadata).toMatchObject({ cacheHit: true, requestId: input.requestId, provider: 'huggingface', routingReason: expect.stringContaining('from the cache') });
    expect(first.ok && first.metadata.cacheHit).toBe(false);
    expect(await stored(input.requestId!)).toMatchObject({ status: 'ok', cacheHit: true, answer: { content: 'cached answer' } });

    const bypass = await app.facade.complete({ ...ask(), cache: 'bypass' });
    expect(bypass.ok && bypass.metadata.cacheHit).toBe(false);
    expect(upstream.requests.length).toBe(calls + 1);
  });

  it('never serves one company an answer cached for another', async () => {
    await app.flags.set('provider', 'openai');
    await app.settings.set('openai', { baseUrl: `${upstream.url}/v1` });
    await app.secrets.set('openai-api-key', 'sk-facadetest-0123456789abcdefghij');
    await app.store.directory.createCompany({ slug: 'globex', name: 'Globex' });
    await app.store.directory.grantCompanyAccess(app.localOperator.id, 'globex');
    try {
      const ask = (company: string) =>
        request({ tier: 'company', context: { userId: app.localOperator.id, company }, messages: [{ role: 'user', content: 'Our refund policy?' }], cache: 'default' });
      upstream.reply({ kind: 'stream', chunks: ['acme policy'] }, { kind: 'stream', chunks: ['globex policy'] });
      const acme = await app.facade.complete(ask('acme'));
      const globex = await app.facade.complete(ask('globex'));
      expect(acme.ok && acme.text).toBe('acme policy');
      expect(globex.ok && globex.metadata.cacheHit).toBe(false);
      expect(globex.ok && globex.text).toBe('globex policy');
    } finally {
      await app.secrets.delete('openai-api-key');
    }
  });
});

describe('rate limits', () => {
  it('refuses a user over their limit with a clear error that says when to retry, logged as rejected', async () => {
    await app.settings.set('limits', { perUser: { capacity: 2, refillPerMinute: 1 } });
    try {
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await app.facade.complete(request({ params: { maxTokens: 2 } })));
      expect(results.slice(0, 2).every((r) => r.ok)).toBe(true);
      const refused = results[2]!;
      expect(!refused.ok && refused.error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: expect.any(Number) });
      expect(!refused.ok && refused.error.message).toMatch(/^user limit of 1 requests per minute reached; retry in \d+ (s|min)$/);
      expect((await stored(refused.ok ? '' : refused.requestId))!.status).toBe('rejected');
    } finally {
      const generous = { capacity: 100_000, refillPerMinute: 1_000_000 };
      await app.settings.set('limits', { perUser: generous, perTier: { base: generous, company: generous, abstraction: generous } });
    }
  });
});

describe('facade on OpenAI', () => {
  it('adds the company knowledge to the prompt of the Company tier on a generic model', async () => {
    await app.flags.set('provider', 'openai');
    await app.settings.set('openai', { baseUrl: `${upstream.url}/v1` });
    await app.secrets.set('openai-api-key', 'sk-facadetest-0123456789abcdefghij');
    upstream.reply({ kind: 'stream', chunks: ['ok'] });
    const result = await app.facade.complete(request({ context: { userId: app.localOperator.id, company: 'acme' }, messages: [{ role: 'user', content: 'What is our refund policy?' }] }));
    expect(result.ok && result.metadata).toMatchObject({ tier: 'company', provider: 'openai', modelId: 'gpt-4.1-mini' });
    const sent = upstream.requests[0]!.body.messages as Array<{ role: string; content: string }>;
    expect(sent[0]!.role).toBe('system');
    expect(sent[0]!.content).toContain('Refund policy: Acme refunds unused parts within 60 days');
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'What is our refund policy?' });
    await app.secrets.delete('openai-api-key');
  });

  it("uses the cheaper model for priority 'fast' and says so", async () => {
    await app.flags.set('provider', 'openai');
    await app.secrets.set('openai-api-key', 'sk-facadetest-0123456789abcdefghij');
    upstream.reply({ kind: 'stream', chunks: ['ok'] });
    const result = await app.facade.complete(request({ priority: 'fast' }));
    expect(result.ok && result.metadata.modelId).toBe('gpt-4.1-nano');
    expect(result.ok && result.metadata.routingReason).toBe("general question, no company context; priority 'fast': cheaper model gpt-4.1-nano");
    await app.secrets.delete('openai-api-key');
  });
});

describe('bad input', () => {
  it.each([
    ['wrong types', { messages: 'hello', context: { userId: 'x' } }, 'messages'],
    ['an unknown tier', { tier: 'premium' }, 'tier'],
    ['empty messages', { messages: [] }, 'messages: must contain at least one message'],
    ['a 1 MB prompt', { messages: [{ role: 'user', content: 'x'.repeat(1_048_576) }] }, 'messages[0].content: too long: 1048576 characters'],
    ['an unknown company', { context: { company: 'initech' } }, "context.company: unknown company 'initech'"],
    ['a last message not from the user', { messages: [{ role: 'assistant', content: 'hi' }] }, 'messages[0].role'],
    ['an unknown field', { temperature: 2 }, 'temperature'],
  ])('rejects %s with a validation error naming the field, logged as rejected, no provider called', async (_name, change, mention) => {
    await app.flags.set('provider', 'huggingface');
    const base = request();
    const input = { ...base, ...change, context: { ...base.context, ...(change as { context?: object }).context } };
    const parts = await collect(input);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ type: 'error', requestId: base.requestId, error: { code: 'validation_failed', retryable: false } });
    expect((parts[0] as Extract<StreamPart, { type: 'error' }>).error.message).toContain(mention);
    expect(upstream.requests).toHaveLength(0);
    const { entry, count } = await loggedRows(base.requestId!);
    expect(count).toBe(1);
    expect(entry).toMatchObject({ status: 'rejected', errorCode: 'validation_failed' });
  });

  it('does not store a prompt that failed validation', async () => {
    const input = request({ messages: [{ role: 'user', content: 'x'.repeat(40_000) }] });
    await collect(input);
    expect((await stored(input.requestId!))!.prompt).toBeNull();
  });

  it('rejects an unknown user as unauthorized', async () => {
    const input = request({ context: { userId: randomUUID() } });
    const result = await app.facade.complete(input);
    expect(!result.ok && result.error.code).toBe('unauthorized');
    expect((await stored(input.requestId!))!.status).toBe('rejected');
  });

  it('survives input that is not even an object', async () => {
    for (const input of [null, 42, 'text', [], { requestId: 'not-a-uuid' }]) {
      const parts = await collect(input);
      expect(parts).toHaveLength(1);
      expect(parts[0]).toMatchObject({ type: 'error', error: { code: 'validation_failed' } });
    }
  });
});
