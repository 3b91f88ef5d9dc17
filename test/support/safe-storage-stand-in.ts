import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { requireKeytar } from '../../src-main/secrets/keychain-secret-store';
import type { SafeStorageLike } from '../../src-main/secrets/safe-storage-secret-store';

/** Options of {@link SafeStorageStandIn}. */
export interface SafeStorageStandInOptions {
  /** The keychain service the key is kept under (Chromium: "Chromium Safe Storage"); one per test keeps them apart. */
  keyService: string;
  /** What `getSelectedStorageBackend()` reports; `basic_text` uses a fixed key, as Chromium does without a keyring. */
  backend?: 'gnome_libsecret' | 'basic_text' | 'unknown';
  /** Whether `isAsyncEncryptionAvailable()` says yes (a keyring that refuses to hand out the key says no). */
  available?: boolean;
}

const VERSION_PREFIX = Buffer.from('v11');
// Chromium's basic_text key is derived from the password "peanuts": the point is that it is public.
const BASIC_TEXT_KEY = Buffer.alloc(32, 'peanuts');

/**
 * Electron's safeStorage as Chromium's OSCrypt implements it on Linux, for tests (Electron cannot run here): a
 * random key kept in the real Secret Service (through keytar, on the suite's gnome-keyring), created on first use,
 * and each string encrypted with it: AES-256-GCM, `v11` + IV + tag + ciphertext. Decrypting with another key fails,
 * as it does when a keychain is reset.
 */
export class SafeStorageStandIn implements SafeStorageLike {
  readonly calls = { encrypt: 0, decrypt: 0 };
  /** Set to make the next decrypt report the key as rotated. */
  rotateOnNextDecrypt = false;
  private key: Buffer | undefined;

  constructor(private readonly options: SafeStorageStandInOptions) {}

  getSelectedStorageBackend(): string {
    return this.options.backend ?? 'gnome_libsecret';
  }

  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.options.available ?? true;
  }

  async encryptStringAsync(plainText: string): Promise<Buffer> {
    this.calls.encrypt++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.encryptionKey(), iv);
    const ciphertext = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([VERSION_PREFIX, iv, cipher.getAuthTag(), ciphertext]);
  }

  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    this.calls.decrypt++;
    if (!encrypted.subarray(0, 3).equals(VERSION_PREFIX)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const iv = encrypted.subarray(3, 15);
    const tag = encrypted.subarray(15, 31);
    const decipher = createDecipheriv('aes-256-gcm', await this.encryptionKey(), iv);
    decipher.setAuthTag(tag);
    let result: string;
    try {
      result = Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    const shouldReEncrypt = this.rotateOnNextDecrypt;
    this.rotateOnNextDecrypt = false;
    return { shouldReEncrypt, result };
  }

  /** Forgets the key, as a reset keychain does: what was encrypted before can no longer be decrypted. */
  async resetKey(): Promise<void> {
    this.key = undefined;
    await requireKeytar().deletePassword(this.options.keyService, 'Triad Safe Storage');
  }

  private async encryptionKey(): Promise<Buffer> {
    if (this.getSelectedStorageBackend() === 'basic_text') return BASIC_TEXT_KEY;
    if (this.key) return this.key;
    const keytar = requireKeytar();
    const stored = await keytar.getPassword(this.options.keyService, 'Triad Safe Storage');
    if (stored) {
      this.key = Buffer.from(stored, 'base64');
    } else {
      this.key = randomBytes(32);
      await keytar.setPassword(this.options.keyService, 'Triad Safe Storage', this.key.toString('base64'));
    }
    return this.key;
  }
}
