import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TriadError } from '../../../src-shared/errors';
import type { ChatModel, ModelStreamPart } from '../../../src-main/llm/chat-model';
import { SpaceChatModel } from '../../../src-main/llm/providers/huggingface/space-chat-model';
import { EnvironmentOverrideSecretStore } from '../../../src-main/secrets/environment-override-secret-store';
import { KeychainSecretStore } from '../../../src-main/secrets/keychain-secret-store';
import { TokenSecretRedactor } from '../../../src-main/secrets/secret-redactor';
import type { SecretStore } from '../../../src-main/secrets/secret-store';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../support/openai-compatible-server';
import { createTestApp, type TestApp } from '../../support/test-app';

// What the desktop app had before safeStorage: keytar built for another runtime, so no keychain at all.
const NO_KEYTAR = () => {
  throw Object.assign(new Error('The module keytar.node was compiled against a different Node.js version'), { code: 'ERR_DLOPEN_FAILED' });
};
const TOKEN = 'hf_privateSpaceTokenABCDEFGHIJKLMNOP';

function unavailableKeychain(env: Record<string, string> = {}): SecretStore {
  const redactor = new TokenSecretRedactor();
  return new EnvironmentOverrideSecretStore(new KeychainSecretStore({ redactor, loadKeytar: NO_KEYTAR }), { redactor, env });
}

let server: OpenAiCompatibleServer;
beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.requireBearer(undefined);
  server.reply({ kind: 'stream', chunks: ['public', ' answer'] });
});

function space(secrets: SecretStore): ChatModel {
  return new SpaceChatModel({
    spaceName: 'acme/triad-base',
    endpointUrl: server.url,
    modelVersion: 'v1',
    getToken: () => secrets.get('huggingface-token'),
    idleTimeoutMs: 5_000,
  });
}

async function answer(model: ChatModel): Promise<string> {
  let text = '';
  for await (const part of model.stream({ messages: [{ role: 'user', content: 'Hi' }], params: {} }, new AbortController().signal)) {
    if (part.type === 'text-delta') text += (part as Extract<ModelStreamPart, { type: 'text-delta' }>).text;
  }
  return text;
}

async function failure(model: ChatModel): Promise<TriadError> {
  const error: unknown = await answer(model).then(
    () => new Error('expected the Space call to fail'),
    (rejection: unknown) => rejection,
  );
  if (!TriadError.isInstance(error)) throw error;
  return error;
}

describe('a Space called while no Hugging Face token can be read', () => {
  it('is still called, without an Authorization header, and a public Space answers', async () => {
    const secrets = unavailableKeychain();
    await expect(secrets.get('huggingface-token')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    expect(await answer(space(secrets))).toBe('public answer');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('sends HF_TOKEN when the environment has it, even without a keychain', async () => {
    server.requireBearer(TOKEN);
    expect(await answer(space(unavailableKeychain({ HF_TOKEN: TOKEN })))).toBe('public answer');
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([401, 403, 404])('a private Space answering %i says a token is needed, why there was none, and where to set one', async (status) => {
    server.requireBearer(TOKEN, status);
    const error = await failure(space(unavailableKeychain()));
    expect(error.message).toContain(`answered HTTP ${status}`);
    expect(error.message).toContain('A private Space needs a Hugging Face token, and it was called without one');
    expect(error.message).toContain('none could be read: Could not read the Hugging Face token');
    expect(error.message).toContain('Settings → API keys, or HF_TOKEN');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('says "none is set" when the keychain works but holds no token', async () => {
    server.requireBearer(TOKEN, 401);
    const empty: SecretStore = { ...unavailableKeychain(), get: async () => undefined };
    const error = await failure(space(empty));
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toContain('called without one (none is set): set one in Settings → API keys, or HF_TOKEN');
  });

  it('with a token the Space refuses, says the token was refused rather than missing', async () => {
    server.requireBearer(TOKEN, 403);
    const wrong = unavailableKeychain({ HF_TOKEN: 'hf_someOtherTokenABCDEFGHIJKLMNOPQR' });
    const error = await failure(space(wrong));
    expect(error.message).toContain('The Hugging Face token was refused');
    expect(error.message).not.toContain('someOtherToken');
  });
});

describe('the facade, keychain unavailable', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ secrets: () => unavailableKeychain() });
    await app.store.spaces.upsert({ spaceName: 'acme/triad-base', spaceType: 'base', apiEndpoint: server.url, isActive: true, modelVersion: 'base-v1' });
    await app.flags.set('provider', 'huggingface');
  });
  afterAll(() => app.close());

  const ask = () =>
    app.facade.complete({ requestId: randomUUID(), cache: 'bypass', tier: 'base', messages: [{ role: 'user', content: 'Hello?' }], context: { userId: app.localOperator.id }, params: { maxTokens: 8 } });

  it('answers from a public Space instead of falling back to the local model', async () => {
    const result = await ask();
    expect(result.ok && result.metadata).toMatchObject({ provider: 'huggingface', modelId: 'acme/triad-base' });
    expect(result.ok && result.text).toBe('public answer');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('falls back from a private Space with an attempt reason that says where to set the token', async () => {
    server.requireBearer(TOKEN, 401);
    const result = await ask();
    expect(result.ok && result.metadata.provider).toBe('local');
    const attempts = result.ok ? result.metadata.attempts : [];
    expect(attempts[0]).toMatchObject({ target: 'Space acme/triad-base', outcome: 'failed' });
    expect(attempts[0]!.reason).toContain('A private Space needs a Hugging Face token');
    expect(attempts[0]!.reason).toContain('Settings → API keys, or HF_TOKEN');
  });
});
