import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusView } from '../../../src-shared/ipc-contract';
import { createTriadApi, type TriadApi } from '../../../src-main/api/triad-api';
import type { Caller } from '../../../src-main/api/api-context';
import { EnvironmentOverrideSecretStore } from '../../../src-main/secrets/environment-override-secret-store';
import { KeychainSecretStore } from '../../../src-main/secrets/keychain-secret-store';
import { createTestApp, type TestApp } from '../../support/test-app';

const caller: Caller = { clientId: randomUUID(), emit: () => undefined };
const NO_KEYTAR = () => {
  throw Object.assign(new Error('The module keytar.node was compiled against a different Node.js version'), { code: 'ERR_DLOPEN_FAILED' });
};

async function running(options: Parameters<typeof createTestApp>[0]) {
  const app = await createTestApp(options);
  const broadcasts: StatusView[] = [];
  const api = createTriadApi(app, { broadcast: (event, payload) => event === 'status.changed' && broadcasts.push(payload as StatusView) });
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const result = await api.call(channel, input, caller);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  };
  return { app, api, broadcasts, call, status: () => call<StatusView>('status.get', {}) };
}

const baseSpace = { tier: 'base', spaceName: 'acme/triad-base', apiEndpoint: 'https://acme-triad-base.hf.space', modelVersion: null, isActive: true };

describe('the status says once that Spaces are called without a Hugging Face token', () => {
  let app: TestApp;
  let api: TriadApi;
  let harness: Awaited<ReturnType<typeof running>>;
  beforeAll(async () => {
    harness = await running({});
    ({ app, api } = harness);
  });
  afterAll(async () => {
    api.close();
    await app.close();
  });

  it('says nothing while no tier has a Space: the local model needs no token', async () => {
    expect((await harness.status()).huggingFaceTokenNotice).toBeUndefined();
  });

  it('says it once a Space is saved, and stops when a token is saved in the keychain', async () => {
    await harness.call('settings.saveSpace', baseSpace);
    const notice = (await harness.status()).huggingFaceTokenNotice;
    expect(notice).toBe('No Hugging Face token is set: Spaces are called without one, so only public Spaces answer. Set one in Settings → API keys, or HF_TOKEN.');
    await expect.poll(() => harness.broadcasts.at(-1)?.huggingFaceTokenNotice).toBe(notice);

    await harness.call('secrets.set', { name: 'huggingface-token', value: 'hf_noticeTestTokenABCDEFGHIJKLMNOP' });
    expect((await harness.status()).huggingFaceTokenNotice).toBeUndefined();
    await expect.poll(() => harness.broadcasts.at(-1)?.huggingFaceTokenNotice).toBeUndefined();

    await harness.call('secrets.clear', { name: 'huggingface-token' });
    expect((await harness.status()).huggingFaceTokenNotice).toBe(notice);
  });
});

describe('without a keychain', () => {
  it('says why no token can be read and that HF_TOKEN is the way; says nothing once HF_TOKEN is set', async () => {
    const noKeychain = await running({
      secrets: (redactor) => new EnvironmentOverrideSecretStore(new KeychainSecretStore({ redactor, loadKeytar: NO_KEYTAR }), { redactor, env: {} }),
    });
    const withEnv = await running({
      env: { HF_TOKEN: 'hf_environmentTokenABCDEFGHIJKLMNOP' },
      secrets: (redactor) =>
        new EnvironmentOverrideSecretStore(new KeychainSecretStore({ redactor, loadKeytar: NO_KEYTAR }), { redactor, env: { HF_TOKEN: 'hf_environmentTokenABCDEFGHIJKLMNOP' } }),
    });
    try {
      for (const harness of [noKeychain, withEnv]) await harness.call('settings.saveSpace', baseSpace);
      const notice = (await noKeychain.status()).huggingFaceTokenNotice;
      expect(notice).toMatch(/^No Hugging Face token can be read \(keytar native module could not be loaded/);
      expect(notice).toContain('only public Spaces answer. Set HF_TOKEN in the environment Triad starts in.');
      expect((await withEnv.status()).huggingFaceTokenNotice).toBeUndefined();
    } finally {
      for (const harness of [noKeychain, withEnv]) {
        harness.api.close();
        await harness.app.close();
      }
    }
  });
});
