/** The three model tiers Triad routes between. */
export const TIERS = ['base', 'company', 'abstraction'] as const;
/** A model tier: general (`base`), company-specific (`company`) or cross-business patterns (`abstraction`). */
export type Tier = (typeof TIERS)[number];

/** The providers that can serve a tier. */
export const PROVIDERS = ['local', 'huggingface', 'openai'] as const;
/** Where a tier's model runs: in this process, on a Hugging Face Space, or at OpenAI. */
export type Provider = (typeof PROVIDERS)[number];

/** Operator roles; they decide what a user may see and do. */
export const ROLES = ['analyst', 'ml_lead', 'admin'] as const;
/** An operator's role. */
export type Role = (typeof ROLES)[number];

/** How a request trades quality for speed and cost. */
export const PRIORITIES = ['normal', 'fast'] as const;
/** `fast` lets the selector prefer a cheaper target for the chosen tier. */
export type Priority = (typeof PRIORITIES)[number];
