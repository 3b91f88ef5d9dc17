import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, KeychainSecretStore, requireKeytar, type Keytar } from '../../src-main/secrets/keychain-secret-store';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';
import { expectTriadError } from './secret-store-contract';
import type { SecretName } from '../../src-main/secrets/secret-store';

// What every backend does is in secret-store-contract.ts (keychain-secret-store-contract.test.ts); these are keytar's own.
// These tests talk to the gnome-keyring the global setup runs on a private D-Bus session.
// keytar's findCredentials is used only here: it crashes the process on a locked gnome-keyring collection.
const keytar = requireKeytar() as Keytar & {
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
};
const hfToken = () => `hf_${randomBytes(18).toString('hex')}`;
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
