import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StreamPart } from '../../src-shared/stream-parts';
import { startHubStandIn, type HubStandIn } from '../support/hub-stand-in';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer, type StubReply } from '../support/openai-compatible-server';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The fault-injection suite: a Base Space (a local stub speaking the OpenAI-compatible protocol) that fails
 * in every way Spaces do, with the local model as the last fallback. For each fault: no crash, no unhandled
 * rejection (vitest fails the run on one), a fallback answer or a clear error, and exactly one log row.
 */
let app: TestApp;
let space: OpenAiCompatibleServer;
let hub: HubStandIn;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

const FAST_ROUTING = {
  retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
  attemptTimeoutMs: 400,
  deadlineMs: 3_000,
  breaker: { consecutiveFailures: 50, failureRate: 0.99, windowMs: 60_000, minimumRps: 1000, halfOpenAfterMs: 60_000 },
  coldStartPollMs: 20,
  coldStartTimeoutMs: 2_000,
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  space = await startOpenAiCompatibleServer();
  hub = await startHubStandIn();
  app = await createTestApp({ env: { HF_ENDPOINT: hub.url, TRIAD_PROVIDER: 'huggingface', HF_TOKEN: 'hf_faultsuiteTokenABCDEFGHIJKLMN' } });
  await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: space.url, isActive: true, modelVersion: 'base-v1' });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app?.close();
  await space?.close();
  await hub?.close();
});
beforeEach(async () => {
  space.requests.length = 0;
  await app.settings.set('routing', FAST_ROUTING);
});

async function ask(): Promise<{ parts: StreamPart[]; requestId: string }> {
  const requestId = randomUUID();
  const parts: StreamPart[] = [];
  // The cache would answer repeated prompts without reaching the faulty Space.
  const input = { requestId, messages: [{ role: 'user', content: 'Hello?' }], context: { userId: app.localOperator.id }, params: { maxTokens: 8 }, cache: 'bypass' };
  for await (const part of app.facade.stream(input)) parts.push(part);
  return { parts, requestId };
}

async function loggedOnce(requestId: string) {
  await app.requestLog.flush();
  const rows = (await app.store.requests.listRecent(10_000)).filter((r) => r.id === requestId);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

function finishOf(parts: StreamPart[]) {
  const last = parts.at(-1)!;
  expect(last.type, JSON.stringify(last)).toBe('finish');
  return (last as Extract<StreamPart, { type: 'finish' }>).metadata;
}

const FALLS_BACK_TO_LOCAL: Array<[string, StubReply, string]> = [
  ['HTTP 500', { kind: 'status', status: 500, body: { error: 'boom' } }, 'answered HTTP 500'],
  ['HTTP 502', { kind: 'status', status: 502, body: 'Bad Gateway' }, 'answered HTTP 502'],
  ['connection refused', { kind: 'status', status: 0, body: '' }, ''],
  ['a timeout (no answer at all)', { kind: 'hang' }, 'no first token within'],
  // The first-token limit waits for text: a stream that opens at once and then stalls is not an answer.
  ['a stream that opens, then sends no text in time', { kind: 'stream', chunks: ['too late'], delayMs: 1_500 }, 'no first token within'],
  ['malformed SSE', { kind: 'malformed-sse' }, ''],
  ['a stream that ends without finishing', { kind: 'stream', chunks: [], finishReason: null }, 'no finish_reason'],
];

describe('faults before the first token: retried, then answered by the next target', () => {
  it.each(FALLS_BACK_TO_LOCAL)('%s', async (_name, reply, mention) => {
    if (reply.kind === 'status' && reply.status === 0) {
      await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: 'http://127.0.0.1:9', isActive: true, modelVersion: 'base-v1' });
    } else {
      space.reply(reply);
    }
    try {
      const { parts, requestId } = await ask();
      const metadata = finishOf(parts);
      expect(metadata.provider).toBe('local');
      expect(metadata.attempts.map((a) => a.outcome)).toEqual(['failed', 'served']);
      expect(metadata.attempts[0]!.tries).toBe(3);
      if (mention) expect(metadata.attempts[0]!.reason).toContain(mention);
      expect(parts.filter((p) => p.type === 'route').map((p) => (p as { event: string }).event)).toEqual(['retrying', 'retrying', 'falling-back']);
      expect(await loggedOnce(requestId)).toMatchObject({ status: 'ok', provider: 'local', routeAttempts: metadata.attempts });
    } finally {
      await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: space.url, isActive: true, modelVersion: 'base-v1' });
    }
  });
});

describe('faults with their own handling', () => {
  it('429 with Retry-After: waits as asked, then succeeds on the same Space', async () => {
    space.reply({ kind: 'status', status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '0.3' } }, { kind: 'stream', chunks: ['ok'] });
    const started = performance.now();
    const { parts, requestId } = await ask();
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    const metadata = finishOf(parts);
    expect(metadata).toMatchObject({ provider: 'huggingface', attempts: [{ outcome: 'served', tries: 2 }] });
    await loggedOnce(requestId);
  });

  it('cancelled while waiting to retry: ends at once as aborted, without waiting out the Retry-After', async () => {
    space.reply({ kind: 'status', status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '2' } });
    const requestId = randomUUID();
    const cancel = new AbortController();
    const input = { requestId, messages: [{ role: 'user', content: 'Hello?' }], context: { userId: app.localOperator.id }, cache: 'bypass' };
    const parts: StreamPart[] = [];
    const started = performance.now();
    for await (const part of app.facade.stream(input, { signal: cancel.signal })) {
      parts.push(part);
      if (part.type === 'route' && part.event === 'retrying') setTimeout(() => cancel.abort(), 50);
    }
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'aborted' } });
    expect(space.requests).toHaveLength(1);
    expect(await loggedOnce(requestId)).toMatchObject({ status: 'aborted' });
  });

  it('429 asking for longer than the deadline allows: falls back at once instead of waiting', async () => {
    space.reply({ kind: 'status', status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '120' } });
    const started = performance.now();
    const { parts, requestId } = await ask();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(finishOf(parts)).toMatchObject({ provider: 'local', attempts: [{ outcome: 'failed', tries: 1 }, { outcome: 'served' }] });
    await loggedOnce(requestId);
  });

  it('503 from a sleeping Space (cold start: fallback): answered by the next target, Space woken in the background', async () => {
    hub.setStages('acme/triad-base', 'PAUSED');
    space.reply({ kind: 'status', status: 503, body: { error: 'Space is sleeping' } });
    const { parts, requestId } = await ask();
    const metadata = finishOf(parts);
    expect(metadata.provider).toBe('local');
    expect(metadata.attempts[0]).toMatchObject({ outcome: 'failed', tries: 1, reason: expect.stringContaining('asleep or starting') });
    await loggedOnce(requestId);
    await expect.poll(() => hub.restarts).toContain('acme/triad-base');
  });

  it('503 from a sleeping Space (cold start: wait): shows the wake-up progress, then answers from the Space', async () => {
    await app.settings.set('routing', { ...FAST_ROUTING, coldStart: { base: 'wait' } });
    hub.setStages('acme/triad-base', 'SLEEPING', 'BUILDING', 'APP_STARTING', 'RUNNING');
    let awake = false;
    space.reply({ kind: 'decide', decide: () => (awake || hub.polls >= 4 ? ((awake = true), { kind: 'stream', chunks: ['awake now'] }) : { kind: 'status', status: 503, body: { error: 'sleeping' } }) });
    const { parts, requestId } = await ask();
    const metadata = finishOf(parts);
    expect(metadata).toMatchObject({ provider: 'huggingface', modelId: 'acme/triad-base' });
    const waiting = parts.filter((p) => p.type === 'route' && p.event === 'waiting').map((p) => (p as { message: string }).message);
    expect(waiting.join(' | ')).toMatch(/starting; waiting.*building.*running/i);
    await loggedOnce(requestId);
  });

  it('a slow drip within the idle limit is a normal, complete answer', async () => {
    space.reply({ kind: 'stream', chunks: ['a', 'b', 'c', 'd'], delayMs: 150 });
    const { parts, requestId } = await ask();
    expect(finishOf(parts)).toMatchObject({ provider: 'huggingface', finishReason: 'stop' });
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('abcd');
    await loggedOnce(requestId);
  });

  it('a reset mid-stream: the answer is continued by the next target, with a visible marker, never reported as a clean Space answer', async () => {
    space.reply({ kind: 'cut', chunks: ['The first half'] });
    const { parts, requestId } = await ask();
    const metadata = finishOf(parts);
    expect(metadata.provider).toBe('local');
    const continued = parts.find((p) => p.type === 'route' && p.event === 'continued');
    expect(continued).toMatchObject({ message: 'continued by local model llama-2-tiny-random' });
    const text = parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('');
    expect(text.startsWith('The first half')).toBe(true);
    expect(text.length).toBeGreaterThan('The first half'.length);
    expect(metadata.attempts.map((a) => [a.provider, a.outcome])).toEqual([['huggingface', 'failed'], ['local', 'served']]);
    expect(metadata.attempts[0]!.tries).toBe(1);
    const row = await loggedOnce(requestId);
    expect(row.answer!.content).toBe(text);
  });

  it('an oversized answer is cut at the limit and finishes as length', async () => {
    await app.settings.set('routing', { ...FAST_ROUTING, maxAnswerChars: 5_000 });
    space.reply({ kind: 'stream', chunks: Array.from({ length: 50 }, () => 'x'.repeat(1_000)) });
    const { parts, requestId } = await ask();
    const text = parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('');
    expect(text.length).toBe(5_000);
    expect(finishOf(parts)).toMatchObject({ finishReason: 'length', provider: 'huggingface' });
    await loggedOnce(requestId);
  });

  it('with no fallback configured, a failure is a clear error naming the Space, logged once', async () => {
    await app.settings.set('routing', { ...FAST_ROUTING, strategies: { base: { mode: 'single', target: { provider: 'huggingface', space: 'tier' } } } });
    space.reply({ kind: 'status', status: 502, body: 'Bad Gateway' });
    const { parts, requestId } = await ask();
    const last = parts.at(-1)!;
    expect(last).toMatchObject({ type: 'error', error: { code: 'upstream_error', tier: 'base', provider: 'huggingface', retryable: true } });
    expect((last as { error: { message: string } }).error.message).toContain(space.url);
    expect(await loggedOnce(requestId)).toMatchObject({ status: 'error', errorCode: 'upstream_error', routeAttempts: [{ outcome: 'failed', tries: 3 }] });
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, skips the Space while open, then lets one probe through', async () => {
    await app.settings.set('routing', { ...FAST_ROUTING, breaker: { consecutiveFailures: 2, failureRate: 0.99, windowMs: 60_000, minimumRps: 1000, halfOpenAfterMs: 400 } });
    const endpoint = `${space.url}/breaker-test`;
    await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: endpoint, isActive: true, modelVersion: 'base-v1' });
    try {
      space.reply({ kind: 'status', status: 500, body: { error: 'down' } });
      const first = await ask();
      expect(finishOf(first.parts).attempts[0]).toMatchObject({ outcome: 'failed', tries: 3, reason: expect.stringContaining('circuit open') });
      expect(space.requests).toHaveLength(2);
      const open = app.breakers.snapshot().find((b) => b.endpoint === endpoint);
      expect(open).toMatchObject({ state: 'open' });
      expect(Date.parse(open!.nextProbeAt!)).toBeGreaterThan(Date.now());

      const whileOpen = await ask();
      expect(finishOf(whileOpen.parts)).toMatchObject({ provider: 'local', attempts: [{ outcome: 'skipped', tries: 0, reason: expect.stringMatching(/circuit open for .*breaker-test.*next probe in \d+ s/) }, { outcome: 'served' }] });
      expect(space.requests).toHaveLength(2);

      await new Promise((resolve) => setTimeout(resolve, 450));
      space.reply({ kind: 'stream', chunks: ['back'] });
      const probe = await ask();
      expect(finishOf(probe.parts)).toMatchObject({ provider: 'huggingface', attempts: [{ outcome: 'served', tries: 1 }] });
      expect(app.breakers.snapshot().find((b) => b.endpoint === endpoint)).toMatchObject({ state: 'closed', nextProbeAt: null });
      for (const request of [first, whileOpen, probe]) await loggedOnce(request.requestId);
    } finally {
      await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: space.url, isActive: true, modelVersion: 'base-v1' });
    }
  });
});

it('left no unhandled rejection behind', () => {
  expect(unhandled).toEqual([]);
});

describe('pre-warming', () => {
  it('wakes every active Space: a request to each, and a restart of a paused one', async () => {
    hub.setStages('acme/triad-base', 'PAUSED');
    space.requests.length = 0;
    expect(await app.prewarm()).toEqual(['acme/triad-base']);
    expect(space.requests.map((r) => r.path)).toContain('/v1/models');
    expect(hub.restarts.filter((id) => id === 'acme/triad-base').length).toBeGreaterThan(0);
  });
});
