import type { SecretName, SecretsStatus } from '../../src-shared/secrets';

export { SECRET_LABELS, SECRET_NAMES, type SecretName, type SecretSource, type SecretsStatus } from '../../src-shared/secrets';

/** Environment variables that override a keychain secret. */
export const SECRET_ENV_OVERRIDES: Record<SecretName, string> = {
  'huggingface-token': 'HF_TOKEN',
  'openai-api-key': 'OPENAI_API_KEY',
};

/**
 * Secrets behind one small interface. Failures are TriadErrors with code
 * `keychain_unavailable` or `keychain_locked` and a message that names the secret, never its value.
 */
export interface SecretStore {
  get(name: SecretName): Promise<string | undefined>;
  set(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
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
