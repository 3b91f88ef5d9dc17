/** The secrets Triad keeps. Each is stored in the OS keychain under service `triad`, account = name. */
export const SECRET_NAMES = ['huggingface-token', 'openai-api-key'] as const;
/** A secret Triad keeps. */
export type SecretName = (typeof SECRET_NAMES)[number];

/** How messages name each secret to a person. */
export const SECRET_LABELS: Record<SecretName, string> = {
  'huggingface-token': 'Hugging Face token',
  'openai-api-key': 'OpenAI API key',
};

/** Environment variables that override a keychain secret. */
export const SECRET_ENV_OVERRIDES: Record<SecretName, string> = {
  'huggingface-token': 'HF_TOKEN',
  'openai-api-key': 'OPENAI_API_KEY',
};

/** Where a secret's value comes from; the value itself never leaves the main process. */
export type SecretSource = 'environment' | 'keychain' | 'unset';

/** What the UI may know about secrets: whether each is set and from where, never a value. */
export interface SecretsStatus {
  keychain: { available: boolean; detail: string };
  secrets: Record<SecretName, SecretSource>;
}

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
