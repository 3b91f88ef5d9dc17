import { join } from 'node:path';
import { EnvironmentOverrideSecretStore } from './environment-override-secret-store';
import { keychainImportSource } from './platform-keychain-reader';
import { SafeStorageSecretStore, type KeychainReader, type SafeStorageLike } from './safe-storage-secret-store';
import type { SecretRedactor, SecretStore } from './secret-store';

/** The file in the data folder that holds the desktop app's encrypted secrets. */
export const SECRETS_FILE_NAME = 'secrets.json';

/** Options of {@link desktopSecretStore}. */
export interface DesktopSecretStoreOptions {
  safeStorage: SafeStorageLike;
  dataDir: string;
  redactor: SecretRedactor;
  env?: Record<string, string | undefined>;
  /** Where keys saved by browser mode or the CLI are imported from; keytar, or the platform's keychain tool, by default. */
  importFrom?: KeychainReader;
}

/**
 * The desktop app's secrets: HF_TOKEN / OPENAI_API_KEY first, then Electron's safeStorage with its ciphertexts
 * in `<dataDir>/secrets.json`, which imports once what browser mode (keytar) saved in the OS keychain.
 */
export function desktopSecretStore(options: DesktopSecretStoreOptions): SecretStore {
  const { redactor } = options;
  const store = new SafeStorageSecretStore({
    safeStorage: options.safeStorage,
    file: join(options.dataDir, SECRETS_FILE_NAME),
    redactor,
    importFrom: options.importFrom ?? keychainImportSource(),
  });
  return new EnvironmentOverrideSecretStore(store, { redactor, env: options.env });
}
