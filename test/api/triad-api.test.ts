import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../src-shared/ipc-contract';
import type { StreamPart } from '../../src-shared/stream-parts';
import { TriadError } from '../../src-shared/errors';
import { createTriadApi, type TriadApi } from '../../src-main/api/triad-api';
import type { Caller } from '../../src-main/api/api-context';
import { createTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let api: TriadApi;
const broadcasts: Array<{ event: string; payload: unknown }> = [];

beforeAll(async () => {
  app = await createTestApp();
  api = createTriadApi(app, { userId: app.localOperator.id, broadcast: (event, payload) => broadcasts.push({ event, payload }) });
});
afterAll(async () => {
  api.close();
  await app.close();
});

/** A client that collects the parts of its streams. */
function client(): Caller & { parts: Map<string, StreamPart[]>; done(streamId: string): Promise<StreamPart[]> } {
  const parts = new Map<string, StreamPart[]>();
  const waiters = new Map<string, () => void>();
  return {
    clientId: randomUUID(),
    parts,
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (event !== 'chat.part') return;
      const { streamId, part } = payload as EventPayload<'chat.part'>;
      parts.set(streamId, [...(parts.get(streamId) ?? []), part]);
      if (part.type === 'finish' || part.type === 'error') waiters.get(streamId)?.();
    },
    done(streamId) {
      const last = parts.get(streamId)?.at(-1);
      if (last && (last.type === 'finish' || last.type === 'error')) return Promise.resolve(parts.get(streamId)!);
      return new Promise((resolve) => waiters.set(streamId, () => resolve(parts.get(streamId)!)));
    },
  };
}

async function call<T>(caller: Caller, channel: string, input: unknown): Promise<T> {
  const result = await api.call(channel, input, caller);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('triad API', () => {
  it('streams a chat answer to the caller, keeps the conversation, and reopens it with metadata and feedback', async () => {
    const me = client();
    const started = await call<{ streamId: string; requestId: string; conversationId: string }>(me, 'chat.start', { prompt: 'Hello there', company: null, params: { maxTokens: 8 } });
    const parts = await me.done(started.streamId);
    expect(parts[0]).toMatchObject({ type: 'response-metadata', requestId: started.requestId, tier: 'base' });
    expect(parts.at(-1)!.type).toBe('finish');

    await call(me, 'feedback.save', { requestId: started.requestId, thumbs: -1, rating: 2, comment: 'meh', correctedAnswer: 'Hi!' });
    const second = await call<{ streamId: string }>(me, 'chat.start', { conversationId: started.conversationId, prompt: 'And again', params: { maxTokens: 8 } });
    await me.done(second.streamId);

    const list = await call<Array<{ id: string; title: string }>>(me, 'conversations.list', {});
    expect(list[0]).toMatchObject({ id: started.conversationId, title: 'Hello there' });
    const turns = await call<Array<{ role: string; content: string; request: { tier: string } | null; feedback: { rating: number } | null }>>(me, 'conversations.transcript', {
      conversationId: started.conversationId,
    });
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(turns[1]!.request!.tier).toBe('base');
    expect(turns[1]!.feedback).toMatchObject({ thumbs: -1, rating: 2, comment: 'meh', correctedAnswer: 'Hi!' });
    expect(turns[3]!.feedback).toBeNull();
    expect(broadcasts.some((b) => b.event === 'status.changed')).toBe(true);
  });

  it('compares three tiers at once and stores the vote', async () => {
    const me = client();
    const started = await call<{ comparisonId: string; columns: Array<{ tier: string; streamId: string; requestId: string }> }>(me, 'compare.start', {
      prompt: 'Compare me',
      tiers: ['base', 'company', 'abstraction'],
      company: 'acme',
      params: { maxTokens: 8 },
    });
    const results = await Promise.all(started.columns.map((c) => me.done(c.streamId)));
    expect(results.map((parts) => (parts[0] as { tier: string }).tier)).toEqual(['base', 'company', 'abstraction']);
    const winner = started.columns[1]!.requestId;
    await call(me, 'compare.vote', { comparisonId: started.comparisonId, verdict: 'winner', winnerRequestId: winner });
    const [preference] = await app.store.preferences.listForUser(app.localOperator.id, 1);
    expect(preference).toMatchObject({ verdict: 'winner', winnerRequestId: winner, prompt: 'Compare me', requestIds: started.columns.map((c) => c.requestId) });
  });

  it('lets only the starting client cancel its stream', async () => {
    const me = client();
    const other = client();
    const started = await call<{ streamId: string }>(me, 'chat.start', { prompt: 'Long one', params: { maxTokens: 4000 } });
    expect(await call(other, 'chat.cancel', { streamId: started.streamId })).toEqual({ cancelled: false });
    expect(await call(me, 'chat.cancel', { streamId: started.streamId })).toEqual({ cancelled: true });
    const parts = await me.done(started.streamId);
    const last = parts.at(-1)!;
    // Cancelled before the first token (an error part saying so) or during the answer (finish, aborted).
    expect(last.type === 'error' ? last.error.code : last.type === 'finish' && last.metadata.finishReason).toMatch(/^aborted$/);
  });

  it.each([
    ['an unknown channel', 'chat.delete', {}, "unknown channel 'chat.delete'"],
    ['a wrong type', 'chat.start', { prompt: 42 }, 'chat.start: prompt'],
    ['an empty prompt', 'chat.start', { prompt: '   ' }, 'prompt: must not be empty'],
    ['a prompt over the limit', 'chat.start', { prompt: 'x'.repeat(40_000) }, 'too long: 40000 characters'],
    ['an unknown field', 'feedback.save', { requestId: randomUUID(), thumbs: 1, rating: null, comment: null, correctedAnswer: null, userId: randomUUID() }, 'userId'],
    ['one tier to compare', 'compare.start', { prompt: 'x', tiers: ['base'] }, 'pick two or three tiers'],
    ['feedback on an answer that is not yours', 'feedback.save', { requestId: randomUUID(), thumbs: 1, rating: null, comment: null, correctedAnswer: null }, 'no answer'],
    ['a plain-http remote Space', 'settings.saveSpace', { tier: 'base', spaceName: 'x', apiEndpoint: 'http://example.com', modelVersion: null, isActive: true }, 'https'],
    ['a company the user cannot see', 'settings.setCompanyContext', { company: 'globex' }, "no access to 'globex'"],
  ])('answers %s with the shared error shape', async (_name, channel, input, mention) => {
    const result = await api.call(channel, input, client());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(['validation_failed', 'forbidden']).toContain(result.error.code);
      expect(result.error.message).toContain(mention);
    }
  });

  it('never returns a secret, only whether it is set', async () => {
    const me = client();
    const key = `sk-apitest-${randomUUID()}`;
    const status = await call<{ secrets: Record<string, string> }>(me, 'secrets.set', { name: 'openai-api-key', value: key });
    expect(status.secrets['openai-api-key']).toBe('keychain');
    const settings = await call(me, 'settings.get', {});
    expect(JSON.stringify(settings)).not.toContain(key);
    const cleared = await call<{ secrets: Record<string, string> }>(me, 'secrets.clear', { name: 'openai-api-key' });
    expect(cleared.secrets['openai-api-key']).toBe('unset');
  });

  it('shows flags with their source and applies a change to the next request', async () => {
    const me = client();
    const view = await call<{ flags: Array<{ key: string; value: unknown; source: string }> }>(me, 'settings.setFlag', { key: 'tier.abstraction.enabled', value: false });
    expect(view.flags.find((f) => f.key === 'tier.abstraction.enabled')).toMatchObject({ value: false, source: 'database' });
    const started = await call<{ streamId: string }>(me, 'chat.start', { prompt: 'What is the industry average?', company: null, params: { maxTokens: 4 } });
    const parts = await me.done(started.streamId);
    expect(parts[0]).toMatchObject({ tier: 'base', routingReason: expect.stringContaining('abstraction tier is off') });
    const status = await call<{ tiers: Record<string, { state: string }> }>(me, 'status.get', {});
    expect(status.tiers.abstraction!.state).toBe('disabled');
    await call(me, 'settings.setFlag', { key: 'tier.abstraction.enabled', value: true });
  });
});

describe('status', () => {
  it('shows an open circuit and when it will next probe, and tells clients when it opens', async () => {
    const settings = { consecutiveFailures: 1, failureRate: 0.5, windowMs: 60_000, minimumRps: 1, halfOpenAfterMs: 30_000 };
    const endpoint = 'https://acme-triad-base.hf.space';
    broadcasts.length = 0;
    const failing = () => Promise.reject(new TriadError({ code: 'upstream_error', message: 'boom', retryable: true }));
    await expect(app.breakers.execute(endpoint, settings, failing)).rejects.toThrow('boom');
    const status = await call<{ breakers: Array<{ endpoint: string; state: string; nextProbeAt: string | null }> }>(client(), 'status.get', {});
    const breaker = status.breakers.find((b) => b.endpoint === endpoint);
    expect(breaker).toMatchObject({ state: 'open' });
    expect(Date.parse(breaker!.nextProbeAt!) - Date.now()).toBeGreaterThan(25_000);
    await expect.poll(() => broadcasts.some((b) => b.event === 'status.changed' && JSON.stringify(b.payload).includes(endpoint))).toBe(true);
  });
});
