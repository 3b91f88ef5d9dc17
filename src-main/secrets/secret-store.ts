import type { KeychainSecretName, SecretsStatus } from '../../src-shared/secrets';

export {
  KEYCHAIN_SECRET_NAMES,
  SECRET_LABELS,
  SECRET_NAMES,
  TEAM_SECRET_NAMES,
  type KeychainSecretName,
  type SecretName,
  type SecretSource,
  type SecretsStatus,
  type TeamSecretName,
} from '../../src-shared/secrets';

/** Environment variables that override a keychain secret. Team-mode secrets have none. */
export const SECRET_ENV_OVERRIDES: Partial<Record<KeychainSecretName, string>> = {
  'huggingface-token': 'HF_TOKEN',
  'openai-api-key': 'OPENAI_API_KEY',
};

/**
 * Secrets behind one small interface. Failures are TriadErrors with code
 * `keychain_unavailable` or `keychain_locked` and a message that names the secret, never its value.
 * `status()` reports the secrets the user manages (SECRET_NAMES); team mode reports its own.
 */
export interface SecretStore {
  get(name: KeychainSecretName): Promise<string | undefined>;
  set(name: KeychainSecretName, value: string): Promise<void>;
  delete(name: KeychainSecretName): Promise<void>;
  status(): Promise<SecretsStatus>;
}

/** Removes secrets from text before it is logged, stored or shown. */
export interface SecretRedactor {
  /** Remembers a secret value so later text containing it is redacted. */
  remember(secret: string): void;
  /** The text with every remembered secret and every token-shaped string replaced. */
  redact(text: string): string;
  /** Deep copy of a JSON-like value with all strings redacted. */
  redactDeep<T>(value: T): T;
}
