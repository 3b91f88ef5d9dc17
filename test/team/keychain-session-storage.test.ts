import { describe, expect, it } from 'vitest';
import type { SecretStore } from '../../src-main/secrets/secret-store';
import { KeychainSessionStorage, SESSION_STORAGE_KEY } from '../../src-main/team/keychain-session-storage';

/**
 * A keychain that answers its first read only when told to, as gnome-keyring does on a busy machine: supabase-js
 * reads the stored session when its client starts, and a sign-in may save a new one before that read returns.
 */
function slowKeychain(): { secrets: SecretStore; answerRead: (value: string | undefined) => void; saved: string[] } {
  let answer!: (value: string | undefined) => void;
  const firstRead = new Promise<string | undefined>((resolve) => (answer = resolve));
  const saved: string[] = [];
  const secrets = {
    get: () => firstRead,
    set: async (_name: string, value: string) => void saved.push(value),
    delete: async () => undefined,
    status: async () => ({}) as Awaited<ReturnType<SecretStore['status']>>,
  } as SecretStore;
  return { secrets, answerRead: answer, saved };
}

describe('the Supabase session in the keychain', () => {
  it('keeps a session saved by a sign-in while the keychain was still being read', async () => {
    const keychain = slowKeychain();
    const storage = new KeychainSessionStorage(keychain.secrets, { warn: () => undefined });
    const startupRead = storage.getItem(SESSION_STORAGE_KEY);
    await storage.setItem(SESSION_STORAGE_KEY, '{"access_token":"new"}');
    keychain.answerRead(undefined);
    // The slow read must not turn the new session back into "signed out": the next request would go as anon.
    expect(await startupRead).toBe('{"access_token":"new"}');
    expect(await storage.getItem(SESSION_STORAGE_KEY)).toBe('{"access_token":"new"}');
    expect(keychain.saved).toEqual(['{"access_token":"new"}']);
  });

  it('serves the stored session once read, without asking the keychain again', async () => {
    const keychain = slowKeychain();
    const storage = new KeychainSessionStorage(keychain.secrets, { warn: () => undefined });
    const read = storage.getItem(SESSION_STORAGE_KEY);
    keychain.answerRead('{"access_token":"stored"}');
    expect(await read).toBe('{"access_token":"stored"}');
    expect(await storage.getItem(SESSION_STORAGE_KEY)).toBe('{"access_token":"stored"}');
  });
});
