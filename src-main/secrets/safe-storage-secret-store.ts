import { TriadError } from '../../src-shared/errors';
import { DamagedSecretsFileError, EncryptedSecretsFile, type SecretsFileContents } from './encrypted-secrets-file';
import {
  KEYCHAIN_SECRET_NAMES,
  SECRET_NAMES,
  type KeychainSecretName,
  type SecretName,
  type SecretRedactor,
  type SecretSource,
  type SecretStore,
  type SecretsStatus,
} from './secret-store';
import { environmentHint, failedTo, withSpace, type Action } from './secret-store-errors';
import { assertSecretName, validateSecret } from './validate-secret';

/**
 * The part of Electron's `safeStorage` the store uses: its asynchronous API (the synchronous one is deprecated in
 * Electron 45 and removed in 46). Injected, so that this file needs no Electron and is tested in plain Node.
 */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux: which password store holds the key; `basic_text` means none, and a key compiled into Chromium. */
  getSelectedStorageBackend(): string;
}

/** Reads a secret saved earlier by another backend (keytar in browser mode and the CLI): what is imported once. */
export interface KeychainReader {
  get(name: KeychainSecretName): Promise<string | undefined>;
}

/** Options of {@link SafeStorageSecretStore}. */
export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** The ciphertext file, in the data folder. */
  file: string;
  /** Remembers every value read or written, so it is redacted wherever it later appears. */
  redactor: SecretRedactor;
  /** Secrets already in the OS keychain under service `triad`, imported the first time the store is used. */
  importFrom?: KeychainReader;
  platform?: NodeJS.Platform;
}

type Availability = { available: true; detail: string } | { available: false; detail: string };

/**
 * Secrets for the desktop app, where keytar cannot load (it is built for Node's ABI, not Electron's): each value
 * encrypted with Electron's `safeStorage`, whose key lives in the OS keychain (Keychain on macOS, DPAPI on
 * Windows, the Secret Service or KWallet on Linux), and the ciphertexts in a file in the data folder.
 *
 * On Linux without a keyring, safeStorage falls back to `basic_text`: a key compiled into Chromium, so anyone who
 * can read the file can decrypt it. The store refuses that backend: it reports itself unavailable and saves
 * nothing, and Triad runs on HF_TOKEN / OPENAI_API_KEY, as with no keychain at all.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly file: EncryptedSecretsFile;
  private readonly platform: NodeJS.Platform;
  private availability: Availability | undefined;
  /** Why the keys browser mode saved could not be imported yet; shown in the status until an import succeeds. */
  private importProblem: string | undefined;
  /** Reads and writes of the file, one at a time: two saves at once must not lose one of them. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SafeStorageSecretStoreOptions) {
    this.file = new EncryptedSecretsFile(options.file);
    this.platform = options.platform ?? process.platform;
  }

  async get(name: KeychainSecretName): Promise<string | undefined> {
    assertSecretName(name);
    return this.exclusive('read', name, async (contents) => {
      const ciphertext = contents.entries[name];
      if (ciphertext === undefined) return undefined;
      const { result, shouldReEncrypt } = await this.decrypt('read', name, ciphertext);
      this.options.redactor.remember(result);
      if (shouldReEncrypt) {
        // The key was rotated: store the value under the new key, so the old one can go.
        contents.entries[name] = (await this.options.safeStorage.encryptStringAsync(result)).toString('base64');
        await this.file.write(contents);
      }
      return result;
    });
  }

  async set(name: KeychainSecretName, value: string): Promise<void> {
    assertSecretName(name);
    validateSecret(name, value);
    this.options.redactor.remember(value);
    await this.exclusive('save', name, async (contents) => {
      contents.entries[name] = (await this.encrypt('save', name, value)).toString('base64');
      await this.file.write(contents);
    });
  }

  /** Deletes the secret; deleting one that is not there succeeds. */
  async delete(name: KeychainSecretName): Promise<void> {
    assertSecretName(name);
    await this.exclusive('delete', name, async (contents) => {
      if (contents.entries[name] === undefined) return;
      delete contents.entries[name];
      await this.file.write(contents);
    });
  }

  /** Never throws: a refused backend or a damaged file is reported as `available: false` with the reason. */
  async status(): Promise<SecretsStatus> {
    const secrets = Object.fromEntries(SECRET_NAMES.map((name) => [name, 'unset'])) as Record<SecretName, SecretSource>;
    const availability = await this.checkAvailability();
    if (!availability.available) return { keychain: { ...availability }, secrets };
    try {
      const unreadable: string[] = [];
      await this.run(async (contents) => {
        for (const name of SECRET_NAMES) {
          const ciphertext = contents.entries[name];
          if (ciphertext === undefined) continue;
          try {
            const { result } = await this.options.safeStorage.decryptStringAsync(Buffer.from(ciphertext, 'base64'));
            this.options.redactor.remember(result);
            secrets[name] = 'keychain';
          } catch {
            unreadable.push(name);
          }
        }
      });
      let detail = availability.detail;
      if (unreadable.length > 0) detail += `; ${unreadable.join(', ')} ${NOT_DECRYPTABLE}`;
      if (this.importProblem) detail += `; keys saved by browser mode in the OS keychain were not imported (${this.importProblem}): they are tried again at the next start, or enter them here`;
      return { keychain: { available: true, detail }, secrets };
    } catch (error) {
      return { keychain: { available: false, detail: this.describe(error) }, secrets };
    }
  }

  /** One operation on the file, after the availability check and the one-time import, queued behind the others. */
  private async exclusive<T>(action: Action, name: KeychainSecretName, work: (contents: SecretsFileContents) => Promise<T>): Promise<T> {
    const availability = await this.checkAvailability();
    if (!availability.available) {
      throw new TriadError({ code: 'keychain_unavailable', message: `${this.failedTo(action, name)}: ${availability.detail}.${withSpace(environmentHint(name))}` });
    }
    try {
      return await this.run(work);
    } catch (error) {
      if (TriadError.isInstance(error)) throw error;
      throw new TriadError(
        { code: 'keychain_unavailable', message: `${this.failedTo(action, name)}: ${this.describe(error)}.${withSpace(environmentHint(name))}` },
        { cause: error },
      );
    }
  }

  private run<T>(work: (contents: SecretsFileContents) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => work(await this.importedContents()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The file's contents, after importing what the OS keychain held under service `triad` (done once per data folder). */
  private async importedContents(): Promise<SecretsFileContents> {
    const contents = await this.file.read();
    const source = this.options.importFrom;
    if (contents.importedFromKeychain || !source) return contents;
    let complete = true;
    for (const name of KEYCHAIN_SECRET_NAMES) {
      if (contents.entries[name] !== undefined) continue;
      let value: string | undefined;
      try {
        value = await source.get(name);
      } catch (error) {
        // A locked keychain or a missing tool: try again at the next start rather than never.
        complete = false;
        this.importProblem = this.describe(error);
        continue;
      }
      if (value === undefined) continue;
      try {
        validateSecret(name, value);
      } catch {
        continue;
      }
      this.options.redactor.remember(value);
      contents.entries[name] = (await this.options.safeStorage.encryptStringAsync(value)).toString('base64');
    }
    // Marked once every entry was looked at: a secret deleted here later must not come back from the keychain.
    contents.importedFromKeychain = complete;
    if (complete) this.importProblem = undefined;
    if (complete || Object.keys(contents.entries).length > 0) await this.file.write(contents);
    return contents;
  }

  private async checkAvailability(): Promise<Availability> {
    if (this.availability) return this.availability;
    const { safeStorage } = this.options;
    if (this.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      // 'unknown' before the app is ready: not remembered, the next call asks again.
      if (backend === 'unknown') return { available: false, detail: "Electron's safeStorage is not ready yet (asked before the app was ready)" };
      if (backend === 'basic_text') return (this.availability = { available: false, detail: BASIC_TEXT_REFUSAL });
    }
    const available = await safeStorage.isAsyncEncryptionAvailable().catch(() => false);
    this.availability = available
      ? { available: true, detail: `Electron safeStorage (${this.keyHolder()}), encrypted in ${this.file.path}` }
      : { available: false, detail: `Electron's safeStorage cannot encrypt here: ${this.keyHolder()} has no key for Triad; unlock or start it and restart Triad` };
    return this.availability;
  }

  private keyHolder(): string {
    if (this.platform === 'darwin') return 'key in the macOS Keychain';
    if (this.platform === 'win32') return 'key protected by Windows DPAPI';
    const backend = this.options.safeStorage.getSelectedStorageBackend();
    return backend.startsWith('kwallet') ? `key in KWallet (${backend})` : `key in the Secret Service (${backend})`;
  }

  private async encrypt(action: Action, name: KeychainSecretName, value: string): Promise<Buffer> {
    try {
      return await this.options.safeStorage.encryptStringAsync(value);
    } catch (error) {
      throw new TriadError({ code: 'keychain_unavailable', message: `${this.failedTo(action, name)}: Electron's safeStorage could not encrypt it (${this.describe(error)})` }, { cause: error });
    }
  }

  private async decrypt(action: Action, name: KeychainSecretName, ciphertext: string): Promise<{ result: string; shouldReEncrypt: boolean }> {
    try {
      return await this.options.safeStorage.decryptStringAsync(Buffer.from(ciphertext, 'base64'));
    } catch (error) {
      throw new TriadError({ code: 'keychain_unavailable', message: `${this.failedTo(action, name)}: it ${NOT_DECRYPTABLE}` }, { cause: error });
    }
  }

  private failedTo(action: Action, name: KeychainSecretName): string {
    return failedTo(action, name, 'the encrypted secrets file');
  }

  private describe(error: unknown): string {
    if (error instanceof DamagedSecretsFileError) return `${error.message}: delete it and save the keys again in Settings → API keys`;
    return this.options.redactor.redact(error instanceof Error ? error.message : String(error));
  }
}

const NOT_DECRYPTABLE =
  'cannot be decrypted with the key the OS keychain now holds for Triad (the keychain was reset, or the file comes from another computer): save it again in Settings → API keys';

const BASIC_TEXT_REFUSAL =
  "no keyring is running in this desktop session, so Electron's safeStorage would encrypt with a fixed key anyone can read (its 'basic_text' backend), and Triad does not store secrets that way; start a keyring (GNOME Keyring, KWallet or KeePassXC with its Secret Service on) and restart Triad, or set HF_TOKEN / OPENAI_API_KEY";
