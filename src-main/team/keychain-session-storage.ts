import type { SupportedStorage } from '@supabase/supabase-js';
import type { SecretStore } from '../secrets/secret-store';

/** The key supabase-js stores the session under (its `storageKey`): one keychain entry holds it, whatever the project. */
export const SESSION_STORAGE_KEY = 'triad-supabase-session';

/** The slice of a pino logger the storage uses. */
export interface SessionStorageLogger {
  warn(object: object, message?: string): void;
}

/**
 * supabase-js's `auth.storage` over the OS keychain: the session (access token, refresh token, user) is the
 * secret `supabase-session`, written at sign-in and on every refresh, deleted at sign-out; never a file nor
 * localStorage. supabase-js reads it before every request, so it is read from the keychain once and then held
 * in memory (only this process writes it: one Triad per user). Other keys supabase-js may use (a PKCE code
 * verifier, which the password grant does not need) live in memory only. When the keychain cannot be used, the
 * session lives in memory for this run and the operator signs in again at the next start.
 */
export class KeychainSessionStorage implements SupportedStorage {
  private readonly memory = new Map<string, string>();
  /** The session as last read or written; undefined until read. */
  private session: string | null | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: SessionStorageLogger,
  ) {}

  async getItem(key: string): Promise<string | null> {
    if (key !== SESSION_STORAGE_KEY) return this.memory.get(key) ?? null;
    if (this.session !== undefined) return this.session;
    try {
      const stored = (await this.secrets.get('supabase-session')) ?? null;
      // A sign-in may have written a session while the keychain was being read (a slow keychain): that one wins.
      if (this.session === undefined) this.session = stored;
      return this.session;
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot read the Supabase session from the keychain');
      return this.session ?? null;
    }
  }

  async setItem(key: string, value: string): Promise<void> {
    if (key !== SESSION_STORAGE_KEY) {
      this.memory.set(key, value);
      return;
    }
    this.session = value;
    try {
      await this.secrets.set('supabase-session', value);
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot save the Supabase session in the keychain: it is kept in memory until Triad closes');
    }
  }

  async removeItem(key: string): Promise<void> {
    if (key !== SESSION_STORAGE_KEY) {
      this.memory.delete(key);
      return;
    }
    this.session = null;
    try {
      await this.secrets.delete('supabase-session');
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot delete the Supabase session from the keychain');
    }
  }
}
