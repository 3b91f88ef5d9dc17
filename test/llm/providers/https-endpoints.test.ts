import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpaceSettingsSchema } from '../../../src-shared/ipc-contract';
import { isHttpsOrLoopback } from '../../../src-shared/secure-url';
import { OpenAiSettingsSchema } from '../../../src-shared/settings';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../support/openai-compatible-server';
import { createTestApp, type TestApp } from '../../support/test-app';

const space = (apiEndpoint: string) => ({ tier: 'base', spaceName: 'acme/triad-base', apiEndpoint, modelVersion: null, isActive: true });
const firstIssue = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message;

describe('https, or plain http only to this computer', () => {
  it.each([
    ['https://acme-triad-base.hf.space', true],
    ['https://10.0.0.5:8443', true],
    ['http://127.0.0.1:8080', true],
    ['http://127.8.9.10', true],
    ['http://localhost:7860', true],
    ['http://[::1]:7860', true],
    ['http://acme-triad-base.hf.space', false],
    ['http://10.0.0.5:8080', false],
    ['http://127.0.0.1.example.com', false],
    ['http://localhost.example.com', false],
    ['http://[::2]', false],
    ['ftp://127.0.0.1', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isHttpsOrLoopback(url)).toBe(allowed);
  });
});

describe('Settings refuses plain http to another computer, saying why', () => {
  it('for a Space endpoint', () => {
    const result = SpaceSettingsSchema.safeParse(space('http://acme-triad-base.hf.space'));
    expect(result.success).toBe(false);
    expect(firstIssue(result)).toBe(
      'plain http is allowed only to this computer (localhost, 127.0.0.1, [::1]): all communication with Hugging Face Spaces is encrypted via HTTPS; use https://acme-triad-base.hf.space',
    );
    expect(SpaceSettingsSchema.safeParse(space('https://acme-triad-base.hf.space')).success).toBe(true);
    expect(SpaceSettingsSchema.safeParse(space('http://127.0.0.1:7860')).success).toBe(true);
  });

  it('for the OpenAI base URL', () => {
    const result = OpenAiSettingsSchema.safeParse({ baseUrl: 'http://llm.internal:8000/v1' });
    expect(result.success).toBe(false);
    expect(firstIssue(result)).toContain('plain http is allowed only to this computer');
    expect(firstIssue(result)).toContain('the API key and every prompt would otherwise cross the network unencrypted');
    expect(OpenAiSettingsSchema.safeParse({ baseUrl: 'http://localhost:8000/v1' }).success).toBe(true);
    expect(OpenAiSettingsSchema.safeParse({}).success).toBe(true);
  });
});

describe('at call time, for configuration written elsewhere', () => {
  let app: TestApp;
  let local: OpenAiCompatibleServer;
  beforeAll(async () => {
    app = await createTestApp();
    local = await startOpenAiCompatibleServer();
    await app.flags.set('provider', 'huggingface');
  });
  afterAll(async () => {
    await local.close();
    await app.close();
  });
  const ask = () =>
    app.facade.complete({ requestId: randomUUID(), cache: 'bypass', tier: 'base', messages: [{ role: 'user', content: 'Hello?' }], context: { userId: app.localOperator.id }, params: { maxTokens: 8 } });

  it('a Space row with http:// to another computer is not called, and the attempt says why', async () => {
    // Written straight to hf_spaces_config, as another client or SQL could, past Settings' own check.
    await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: 'http://acme-triad-base.hf.space', isActive: true, modelVersion: 'v1' });
    const result = await ask();
    expect(result.ok && result.metadata.provider).toBe('local');
    const attempts = result.ok ? result.metadata.attempts : [];
    expect(attempts[0]).toMatchObject({ target: 'Space acme/triad-base', outcome: 'failed', tries: 1 });
    expect(attempts[0]!.reason).toBe(
      'Space acme/triad-base was not called at http://acme-triad-base.hf.space: plain http is allowed only to this computer (localhost, 127.0.0.1, [::1]): all communication with Hugging Face Spaces is encrypted via HTTPS; use https://acme-triad-base.hf.space in Settings → Spaces',
    );
  });

  it('a Space on this computer over plain http is called', async () => {
    await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: local.url, isActive: true, modelVersion: 'v1' });
    local.reply({ kind: 'stream', chunks: ['local', ' space'] });
    const result = await ask();
    expect(result.ok && result.text).toBe('local space');
    expect(local.requests).toHaveLength(1);
  });

  it('an OpenAI base URL stored with http:// to another computer is refused with the reason', async () => {
    await app.store.settings.set('openai', { baseUrl: 'http://llm.internal:8000/v1' });
    try {
      await app.flags.set('provider', 'openai');
      const result = await ask();
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.message).toContain("setting 'openai' is invalid");
      expect(!result.ok && result.error.message).toContain('plain http is allowed only to this computer');
    } finally {
      await app.store.settings.set('openai', {});
      await app.flags.set('provider', 'huggingface');
    }
  });
});
