import {
  KEYCHAIN_SECRET_NAMES,
  SECRET_ENV_OVERRIDES,
  SECRET_NAMES,
  type KeychainSecretName,
  type SecretRedactor,
  type SecretStore,
  type SecretsStatus,
} from './secret-store';
import { assertSecretName } from './validate-secret';

/** Options of {@link EnvironmentOverrideSecretStore}. */
export interface EnvironmentOverrideSecretStoreOptions {
  /** Remembers every override value, so it is redacted wherever it later appears. */
  redactor: SecretRedactor;
  /** The environment to read overrides from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * A secret store where `HF_TOKEN` / `OPENAI_API_KEY` (see SECRET_ENV_OVERRIDES) win over the keychain for
 * `get`, and `status()` reports them as source `environment`. An empty or blank variable counts as unset.
 *
 * `set` and `delete` still act on the keychain: the environment belongs to whatever started Triad, which
 * Triad can neither change nor persist, and the saved value takes over as soon as the variable is unset.
 * While a variable is set, `status()` keeps saying `environment`, so the UI can tell the user that the
 * value they saved is shadowed.
 */
export class EnvironmentOverrideSecretStore implements SecretStore {
  private readonly redactor: SecretRedactor;
  private readonly env: Record<string, string | undefined>;

  constructor(
    private readonly keychain: SecretStore,
    options: EnvironmentOverrideSecretStoreOptions,
  ) {
    this.redactor = options.redactor;
    this.env = options.env ?? process.env;
    // Remembered now, not on first read, so that a log line written before any read cannot show them.
    for (const name of KEYCHAIN_SECRET_NAMES) this.override(name);
  }

  async get(name: KeychainSecretName): Promise<string | undefined> {
    assertSecretName(name);
    return this.override(name) ?? this.keychain.get(name);
  }

  set(name: KeychainSecretName, value: string): Promise<void> {
    return this.keychain.set(name, value);
  }

  delete(name: KeychainSecretName): Promise<void> {
    return this.keychain.delete(name);
  }

  async status(): Promise<SecretsStatus> {
    const status = await this.keychain.status();
    const secrets = { ...status.secrets };
    for (const name of SECRET_NAMES) {
      if (this.override(name) !== undefined) secrets[name] = 'environment';
    }
    return { keychain: { ...status.keychain }, secrets };
  }

  private override(name: KeychainSecretName): string | undefined {
    const variable = SECRET_ENV_OVERRIDES[name];
    const value = variable === undefined ? undefined : this.env[variable]?.trim();
    if (!value) return undefined;
    this.redactor.remember(value);
    return value;
  }
}
