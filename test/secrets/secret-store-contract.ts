import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';
import type { KeychainSecretName, SecretName, SecretRedactor, SecretStore } from '../../src-main/secrets/secret-store';

/** One place secrets are kept (a keychain service, a data folder), opened as often as a test likes. */
export interface SecretStorePlace {
  /** A store over this place; a second one sees what the first saved, as the next start of the app would. */
  open(redactor?: SecretRedactor): SecretStore;
}

/** What the contract needs from a backend. */
export interface SecretStoreBackend {
  /** A new place, empty, of its own (tests run in parallel). Cleaned up by the backend's own afterEach. */
  place(): Promise<SecretStorePlace>;
  /** What `status().keychain.detail` says when the store works. */
  detail: RegExp;
}

export const hfToken = () => `hf_${randomBytes(18).toString('hex')}`;

export async function expectTriadError(promise: Promise<unknown>, code: TriadError['code']): Promise<TriadError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(TriadError.isInstance(error), `expected a TriadError, got ${String(error)}`).toBe(true);
  expect((error as TriadError).code).toBe(code);
  return error as TriadError;
}

/**
 * What every SecretStore backend does, whatever keeps the secrets: the same suite runs against keytar on the real
 * Secret Service and against Electron's safeStorage (through a stand-in that really encrypts, its key in the same
 * Secret Service).
 */
export function secretStoreContract(backend: SecretStoreBackend): void {
  const fresh = async (redactor?: SecretRedactor) => (await backend.place()).open(redactor);

  it('saves, reads back, replaces and deletes a secret; deleting one that is not there succeeds', async () => {
    const store = await fresh();
    const [first, second] = [hfToken(), hfToken()];
    expect(await store.get('huggingface-token')).toBeUndefined();
    await store.set('huggingface-token', first);
    expect(await store.get('huggingface-token')).toBe(first);
    await store.set('huggingface-token', second);
    expect(await store.get('huggingface-token')).toBe(second);
    await store.delete('huggingface-token');
    expect(await store.get('huggingface-token')).toBeUndefined();
    await expect(store.delete('huggingface-token')).resolves.toBeUndefined();
  });

  it('keeps what it saved for the next start', async () => {
    const place = await backend.place();
    const token = hfToken();
    await place.open().set('huggingface-token', token);
    await place.open().set('openai-api-key', 'sk-proj-persisted-value-0123');
    const restarted = place.open();
    expect(await restarted.get('huggingface-token')).toBe(token);
    expect(await restarted.get('openai-api-key')).toBe('sk-proj-persisted-value-0123');
  });

  it('keeps each secret separately, the largest allowed values included (a 60 KB team session)', async () => {
    const store = await fresh();
    const largestToken = `hf_${'a'.repeat(4093)}`;
    const session = JSON.stringify({ access_token: 'x'.repeat(30_000), refresh_token: 'y'.repeat(30_000) });
    await store.set('huggingface-token', largestToken);
    await store.set('openai-api-key', 'sk-proj-abc123');
    await store.set('supabase-session', session);
    expect(await store.get('huggingface-token')).toBe(largestToken);
    expect(await store.get('supabase-session')).toBe(session);
    await store.delete('openai-api-key');
    expect(await store.get('openai-api-key')).toBeUndefined();
    expect(await store.get('huggingface-token')).toBe(largestToken);
    expect(await store.get('supabase-session')).toBe(session);
  });

  it('loses neither of two secrets saved at the same moment', async () => {
    const store = await fresh();
    const token = hfToken();
    await Promise.all([store.set('huggingface-token', token), store.set('openai-api-key', 'sk-proj-concurrent-0123'), store.set('supabase-anon-key', 'anon-key-concurrent')]);
    expect(await store.get('huggingface-token')).toBe(token);
    expect(await store.get('openai-api-key')).toBe('sk-proj-concurrent-0123');
    expect(await store.get('supabase-anon-key')).toBe('anon-key-concurrent');
  });

  it('reports which secrets are set, and how they are kept, without ever including a value', async () => {
    const store = await fresh();
    const value = 'sk-proj-status-check-value-0123456789';
    const empty = await store.status();
    expect(empty.keychain.available).toBe(true);
    expect(empty.keychain.detail).toMatch(backend.detail);
    expect(empty.secrets).toEqual({ 'huggingface-token': 'unset', 'openai-api-key': 'unset' });
    await store.set('openai-api-key', value);
    const status = await store.status();
    expect(status.secrets).toEqual({ 'huggingface-token': 'unset', 'openai-api-key': 'keychain' });
    expect(JSON.stringify(status)).not.toContain('status-check');
  });

  it('remembers every value it writes or reads in the redactor', async () => {
    // Not token-shaped, so only remembering can redact it.
    const value = `correct-horse-battery-${randomBytes(4).toString('hex')}`;
    const place = await backend.place();
    const writer = new TokenSecretRedactor();
    await place.open(writer).set('openai-api-key', value);
    expect(writer.redact(`key is ${value}.`)).toBe('key is [redacted].');

    const reader = new TokenSecretRedactor();
    expect(await place.open(reader).get('openai-api-key')).toBe(value);
    expect(reader.redact(`key is ${value}.`)).toBe('key is [redacted].');
  });

  describe('refuses invalid values, naming the secret and never echoing the value', () => {
    const cases: Array<[string, SecretName, string, RegExp]> = [
      ['empty', 'openai-api-key', '', /empty/],
      ['blank', 'openai-api-key', '    ', /empty/],
      ['a line break', 'huggingface-token', 'hf_firstlinepart\nsecondlinepart', /line break/],
      ['a NUL character', 'openai-api-key', 'sk-before-nul\u0000after-nul', /control character/],
      ['surrounding whitespace', 'openai-api-key', ' sk-padded-value-here ', /whitespace/],
      ['more than 4 KB', 'huggingface-token', `hf_${'b'.repeat(4094)}`, /longer than 4096 bytes/],
      ['more than 4 KB of multi-byte text', 'openai-api-key', 'é'.repeat(2049), /longer than 4096 bytes/],
      ['a Hugging Face token without hf_', 'huggingface-token', 'api_org_notahftoken123', /starts with "hf_"/],
    ];
    it.each(cases)('%s', async (_label, name, value, reason) => {
      const store = await fresh();
      const error = await expectTriadError(store.set(name, value), 'validation_failed');
      expect(error.message).toContain(name);
      expect(error.message).toMatch(reason);
      const distinctive = value.trim().slice(0, 12);
      if (distinctive !== '') expect(error.message).not.toContain(distinctive);
      expect(await store.get(name)).toBeUndefined();
    });

    it('an unknown secret name', async () => {
      const store = await fresh();
      const error = await expectTriadError(store.set('github-token' as KeychainSecretName, 'ghp_value'), 'validation_failed');
      expect(error.message).toContain('github-token');
      await expectTriadError(store.get('github-token' as KeychainSecretName), 'validation_failed');
      await expectTriadError(store.delete('github-token' as KeychainSecretName), 'validation_failed');
    });
  });
}
