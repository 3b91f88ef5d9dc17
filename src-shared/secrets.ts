import { z } from 'zod';

/** The secrets Triad keeps. Each is stored in the OS keychain under service `triad`, account = name. */
export const SECRET_NAMES = ['huggingface-token', 'openai-api-key'] as const;
/** A secret Triad keeps. */
export type SecretName = (typeof SECRET_NAMES)[number];

/** How messages name each secret to a person. */
export const SECRET_LABELS: Record<SecretName, string> = {
  'huggingface-token': 'Hugging Face token',
  'openai-api-key': 'OpenAI API key',
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
