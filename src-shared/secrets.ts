import { z } from 'zod';

/**
 * The secrets the user manages in Settings (listed there, set and cleared through `secrets.set` / `secrets.clear`).
 * Each is stored in the OS keychain under service `triad`, account = name.
 */
export const SECRET_NAMES = ['huggingface-token', 'openai-api-key'] as const;
/** A secret the user manages in Settings. */
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * The secrets of team mode, in the same keychain: the Supabase project's anon key (saved by `team.configure`) and
 * the operator's session (written by supabase-js through its `auth.storage`). The main process manages them, so
 * they are not among SECRET_NAMES: the renderer can neither list, set nor clear them.
 */
export const TEAM_SECRET_NAMES = ['supabase-anon-key', 'supabase-session'] as const;
/** A secret of team mode. */
export type TeamSecretName = (typeof TEAM_SECRET_NAMES)[number];
/** Any secret Triad keeps in the keychain. */
export type KeychainSecretName = SecretName | TeamSecretName;
/** Every secret Triad keeps in the keychain. */
export const KEYCHAIN_SECRET_NAMES: readonly KeychainSecretName[] = [...SECRET_NAMES, ...TEAM_SECRET_NAMES];

/** How messages name each secret to a person. */
export const SECRET_LABELS: Record<KeychainSecretName, string> = {
  'huggingface-token': 'Hugging Face token',
  'openai-api-key': 'OpenAI API key',
  'supabase-anon-key': 'Supabase anon key',
  'supabase-session': 'Supabase session',
};

/** Where a secret's value comes from; the value itself never leaves the main process. */
export const SecretSourceSchema = z.enum(['environment', 'keychain', 'unset']);
/** Where a secret's value comes from. */
export type SecretSource = z.infer<typeof SecretSourceSchema>;

/** What the UI may know about secrets: whether each is set and from where, never a value. */
export const SecretsStatusSchema = z.object({
  keychain: z.object({ available: z.boolean(), detail: z.string() }),
  secrets: z.record(z.enum(SECRET_NAMES), SecretSourceSchema),
});
/** What the UI may know about secrets. */
export type SecretsStatus = z.infer<typeof SecretsStatusSchema>;
