import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnvironmentOverrideSecretStore } from '../../src-main/secrets/environment-override-secret-store';
import { KeychainSecretStore, requireKeytar } from '../../src-main/secrets/keychain-secret-store';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';

// The keychain underneath is the real gnome-keyring of the global setup, on a service of each test's own.
const keytar = requireKeytar();
const services: string[] = [];
const hfToken = () => `hf_${randomBytes(18).toString('hex')}`;

function stores(env: Record<string, string | undefined>, redactor = new TokenSecretRedactor()) {
  const service = `triad-test-env-${randomBytes(6).toString('hex')}`;
  services.push(service);
  const keychain = new KeychainSecretStore({ redactor, service });
  return { keychain, store: new EnvironmentOverrideSecretStore(keychain, { redactor, env }), redactor };
}

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const service of services.splice(0)) {
    for (const account of ['huggingface-token', 'openai-api-key']) await keytar.deletePassword(service, account);
  }
});

describe('EnvironmentOverrideSecretStore', () => {
  it('returns the environment value over the keychain one and reports source "environment"', async () => {
    const fromEnv = hfToken();
    const fromKeychain = hfToken();
    const { keychain, store } = stores({ HF_TOKEN: fromEnv });
    await keychain.set('huggingface-token', fromKeychain);
    await keychain.set('openai-api-key', 'sk-from-the-keychain-0123456789');

    expect(await store.get('huggingface-token')).toBe(fromEnv);
    expect(await store.get('openai-api-key')).toBe('sk-from-the-keychain-0123456789');
    const status = await store.status();
    expect(status).toEqual({
      keychain: { available: true, detail: 'Secret Service (keytar, libsecret)' },
      secrets: { 'huggingface-token': 'environment', 'openai-api-key': 'keychain' },
    });
    const serialised = JSON.stringify(status);
    for (const value of [fromEnv, fromKeychain, 'sk-from-the-keychain']) expect(serialised).not.toContain(value);
  });

  it('saves and deletes in the keychain while the environment value stays in effect', async () => {
    const fromEnv = hfToken();
    const saved = hfToken();
    const { keychain, store } = stores({ HF_TOKEN: fromEnv });

    await store.set('huggingface-token', saved);
    expect(await keychain.get('huggingface-token')).toBe(saved);
    expect(await store.get('huggingface-token')).toBe(fromEnv);
    expect((await store.status()).secrets['huggingface-token']).toBe('environment');

    await store.delete('huggingface-token');
    expect(await keychain.get('huggingface-token')).toBeUndefined();
    expect(await store.get('huggingface-token')).toBe(fromEnv);
  });

  it('treats an empty or blank variable as unset and trims a set one', async () => {
    const saved = hfToken();
    const fromEnv = hfToken();
    const { keychain, store } = stores({ HF_TOKEN: '  ', OPENAI_API_KEY: ` ${fromEnv}\n` });
    await keychain.set('huggingface-token', saved);
    expect(await store.get('huggingface-token')).toBe(saved);
    expect(await store.get('openai-api-key')).toBe(fromEnv);
    expect((await store.status()).secrets).toEqual({ 'huggingface-token': 'keychain', 'openai-api-key': 'environment' });
  });

  it('remembers environment values in the redactor before anything reads them', () => {
    const value = `plain-words-no-token-shape-${randomBytes(4).toString('hex')}`;
    const { redactor } = stores({ OPENAI_API_KEY: value });
    expect(redactor.redact(`using ${value}`)).toBe('using [redacted]');
  });

  it('serves environment values when the keychain is unusable, and says why the keychain is not', async () => {
    const fromEnv = hfToken();
    const redactor = new TokenSecretRedactor();
    const keychain = new KeychainSecretStore({
      redactor,
      loadKeytar: () => createRequire(import.meta.url)('keytar-is-not-installed-here') as never,
    });
    const store = new EnvironmentOverrideSecretStore(keychain, { redactor, env: { HF_TOKEN: fromEnv } });
    expect(await store.get('huggingface-token')).toBe(fromEnv);
    await expect(store.get('openai-api-key')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    expect(await store.status()).toEqual({
      keychain: {
        available: false,
        detail: 'keytar native module not installed: install libsecret-1-dev and run `npm rebuild keytar`',
      },
      secrets: { 'huggingface-token': 'environment', 'openai-api-key': 'unset' },
    });
  });

  it('reads process.env when no environment is given', async () => {
    const fromEnv = `sk-proj-${randomBytes(16).toString('hex')}`;
    vi.stubEnv('OPENAI_API_KEY', fromEnv);
    const redactor = new TokenSecretRedactor();
    const store = new EnvironmentOverrideSecretStore(
      new KeychainSecretStore({ redactor, service: `triad-test-env-${randomBytes(6).toString('hex')}` }),
      { redactor },
    );
    expect(await store.get('openai-api-key')).toBe(fromEnv);
    expect((await store.status()).secrets['openai-api-key']).toBe('environment');
  });
});
