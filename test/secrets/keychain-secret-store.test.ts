import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import { KEYCHAIN_SERVICE, KeychainSecretStore, requireKeytar, type Keytar } from '../../src-main/secrets/keychain-secret-store';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';
import type { SecretName } from '../../src-main/secrets/secret-store';

// These tests talk to the gnome-keyring the global setup runs on a private D-Bus session.
// keytar's findCredentials is used only here: it crashes the process on a locked gnome-keyring collection.
const keytar = requireKeytar() as Keytar & {
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
};
const hfToken = () => `hf_${randomBytes(18).toString('hex')}`;
const isolatedServices: string[] = [];

/** A store on a service of its own, so tests running in parallel cannot see each other's secrets. */
function isolatedStore(redactor = new TokenSecretRedactor()): KeychainSecretStore {
  const service = `triad-test-${randomBytes(6).toString('hex')}`;
  isolatedServices.push(service);
  return new KeychainSecretStore({ redactor, service });
}

/** Secret Service item paths whose attributes match, asked over D-Bus without keytar. */
function secretServiceItems(attributes: Record<string, string>): string[] {
  const dict = `{${Object.entries(attributes)
    .map(([key, value]) => `'${key}': '${value}'`)
    .join(', ')}}`;
  const out = execFileSync(
    'gdbus',
    ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets',
      '--method', 'org.freedesktop.Secret.Service.SearchItems', dict],
    { encoding: 'utf8' },
  );
  return [...out.matchAll(/'(\/org\/freedesktop\/secrets\/collection\/[^']+)'/g)].map((match) => match[1]!);
}

function itemLabel(path: string): string {
  const out = execFileSync(
    'gdbus',
    ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', path,
      '--method', 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Item', 'Label'],
    { encoding: 'utf8' },
  );
  return /<'([^']*)'>/.exec(out)?.[1] ?? out;
}

async function expectTriadError(promise: Promise<unknown>, code: TriadError['code']): Promise<TriadError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(TriadError.isInstance(error), `expected a TriadError, got ${String(error)}`).toBe(true);
  expect((error as TriadError).code).toBe(code);
  return error as TriadError;
}

afterEach(async () => {
  for (const service of isolatedServices.splice(0)) {
    for (const account of ['huggingface-token', 'openai-api-key']) await keytar.deletePassword(service, account);
  }
});

describe('KeychainSecretStore on the real Secret Service', () => {
  it('saves, replaces and deletes a secret under service "triad", account = secret name', async () => {
    const store = new KeychainSecretStore({ redactor: new TokenSecretRedactor() });
    const name: SecretName = 'huggingface-token';
    const first = hfToken();
    const second = hfToken();
    expect(KEYCHAIN_SERVICE).toBe('triad');

    await store.set(name, first);
    expect(await store.get(name)).toBe(first);
    const items = secretServiceItems({ service: 'triad', account: name });
    expect(items).toHaveLength(1);
    expect(itemLabel(items[0]!)).toBe('triad/huggingface-token');
    expect(await keytar.findCredentials('triad')).toContainEqual({ account: name, password: first });

    await store.set(name, second);
    expect(await store.get(name)).toBe(second);
    // Replaced in place, not stored twice.
    expect(secretServiceItems({ service: 'triad', account: name })).toHaveLength(1);
    expect(await keytar.getPassword('triad', name)).toBe(second);

    await store.delete(name);
    expect(await store.get(name)).toBeUndefined();
    expect(secretServiceItems({ service: 'triad', account: name })).toHaveLength(0);
    expect(await keytar.getPassword('triad', name)).toBeNull();
    // Deleting what is not there succeeds.
    await expect(store.delete(name)).resolves.toBeUndefined();
  });

  it('keeps each secret separately and reads back a value of the maximum size', async () => {
    const store = isolatedStore();
    const largest = `hf_${'a'.repeat(4093)}`;
    await store.set('huggingface-token', largest);
    await store.set('openai-api-key', 'sk-proj-abc123');
    expect(await store.get('huggingface-token')).toBe(largest);
    expect(await store.get('openai-api-key')).toBe('sk-proj-abc123');
    await store.delete('openai-api-key');
    expect(await store.get('openai-api-key')).toBeUndefined();
    expect(await store.get('huggingface-token')).toBe(largest);
  });

  it('reports which secrets are set without ever including a value', async () => {
    const store = isolatedStore();
    const value = 'sk-proj-status-check-value-0123456789';
    expect(await store.status()).toEqual({
      keychain: { available: true, detail: 'Secret Service (keytar, libsecret)' },
      secrets: { 'huggingface-token': 'unset', 'openai-api-key': 'unset' },
    });
    await store.set('openai-api-key', value);
    const status = await store.status();
    expect(status.secrets).toEqual({ 'huggingface-token': 'unset', 'openai-api-key': 'keychain' });
    expect(JSON.stringify(status)).not.toContain(value);
    expect(JSON.stringify(status)).not.toContain('status-check');
  });

  it('remembers every value it writes or reads in the redactor', async () => {
    // Not token-shaped, so only remembering can redact it.
    const value = `correct-horse-battery-${randomBytes(4).toString('hex')}`;
    const writer = new TokenSecretRedactor();
    const store = isolatedStore(writer);
    await store.set('openai-api-key', value);
    expect(writer.redact(`key is ${value}.`)).toBe('key is [redacted].');

    const reader = new TokenSecretRedactor();
    const service = isolatedServices.at(-1)!;
    const readingStore = new KeychainSecretStore({ redactor: reader, service });
    expect(reader.redact(value)).toBe(value);
    expect(await readingStore.get('openai-api-key')).toBe(value);
    expect(reader.redact(`key is ${value}.`)).toBe('key is [redacted].');
  });

  describe('rejects invalid values, naming the secret and never echoing the value', () => {
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
      const store = isolatedStore();
      const error = await expectTriadError(store.set(name, value), 'validation_failed');
      expect(error.message).toContain(name);
      expect(error.message).toMatch(reason);
      const distinctive = value.trim().slice(0, 12);
      if (distinctive !== '') expect(error.message).not.toContain(distinctive);
      expect(await store.get(name)).toBeUndefined();
    });

    it('an unknown secret name', async () => {
      const store = isolatedStore();
      const error = await expectTriadError(store.set('github-token' as SecretName, 'ghp_value'), 'validation_failed');
      expect(error.message).toContain('github-token');
      expect(error.message).toContain('huggingface-token, openai-api-key');
      await expectTriadError(store.get('github-token' as SecretName), 'validation_failed');
    });
  });

  describe('without the keytar native module', () => {
    const notInstalled = 'keytar native module not installed: install libsecret-1-dev and run `npm rebuild keytar`';
    const missingKeytar = () => createRequire(import.meta.url)('keytar-is-not-installed-here') as never;

    it('still constructs, loads keytar lazily, and reports why the keychain is unavailable', async () => {
      let loads = 0;
      const store = new KeychainSecretStore({
        redactor: new TokenSecretRedactor(),
        loadKeytar: () => {
          loads += 1;
          return missingKeytar();
        },
      });
      expect(loads).toBe(0);
      expect(await store.status()).toEqual({
        keychain: { available: false, detail: notInstalled },
        secrets: { 'huggingface-token': 'unset', 'openai-api-key': 'unset' },
      });
      expect(loads).toBe(1);
    });

    it('throws keychain_unavailable from get, set and delete with that explanation', async () => {
      const store = new KeychainSecretStore({ redactor: new TokenSecretRedactor(), loadKeytar: missingKeytar });
      const value = hfToken();
      for (const [action, attempt] of [
        ['read', store.get('huggingface-token')],
        ['save', store.set('huggingface-token', value)],
        ['delete', store.delete('huggingface-token')],
      ] as const) {
        const error = await expectTriadError(attempt, 'keychain_unavailable');
        expect(error.message).toContain(`Could not ${action} the Hugging Face token (huggingface-token)`);
        expect(error.message).toContain(notInstalled);
        expect(error.message).toContain('HF_TOKEN');
        expect(error.message).not.toContain(value);
      }
    });

    it('says so when keytar is present but built for another runtime', async () => {
      const store = new KeychainSecretStore({
        redactor: new TokenSecretRedactor(),
        loadKeytar: () => {
          throw Object.assign(new Error('The module keytar.node was compiled against a different Node.js version'), {
            code: 'ERR_DLOPEN_FAILED',
          });
        },
      });
      const { keychain } = await store.status();
      expect(keychain.available).toBe(false);
      expect(keychain.detail).toMatch(/^keytar native module could not be loaded \(The module keytar\.node was compiled/);
      expect(keychain.detail).toContain('npm rebuild keytar');
      await expectTriadError(store.get('openai-api-key'), 'keychain_unavailable');
    });
  });
});
