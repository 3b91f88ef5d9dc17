import { z } from 'zod';
import { RateLimitSettingsSchema } from './limits';
import { RoutingSettingsSchema } from './routing';
import { isHttpsOrLoopback, OPENAI_HTTPS_REASON, plainHttpRefusal } from './secure-url';

/** A GGUF path per tier; a tier without one uses TRIAD_MODEL_PATH or the default model. */
export const LocalModelSettingsSchema = z.strictObject({
  base: z.string().min(1).optional(),
  company: z.string().min(1).optional(),
  abstraction: z.string().min(1).optional(),
  /** A smaller GGUF a `fast` request may use instead of its tier's model. */
  fast: z.string().min(1).optional(),
});

/** Which OpenAI models serve the tiers, and where. */
export const OpenAiSettingsSchema = z.strictObject({
  /** API base URL; OpenAI's own when absent. Any OpenAI-compatible server works: https, or http on this computer. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine(isHttpsOrLoopback, { error: (issue) => plainHttpRefusal(String(issue.input), OPENAI_HTTPS_REASON) })
    .optional(),
  model: z.string().min(1).default('gpt-4.1-mini'),
  /** The cheaper model a `fast` request may use. */
  fastModel: z.string().min(1).default('gpt-4.1-nano'),
});

/** What the response handler does with configured terms in model output. */
export const ContentFilterSettingsSchema = z.strictObject({
  /** `mask` replaces each term, `block` ends the answer at the first one, `off` does nothing. */
  mode: z.enum(['off', 'mask', 'block']).default('off'),
  /** Case-insensitive terms. */
  terms: z.array(z.string().trim().min(2).max(100)).max(500).default([]),
});

/** Timeouts for remote providers. */
export const ProviderTimeoutSettingsSchema = z.strictObject({
  /** Abort a remote answer after this long with no data. */
  idleTimeoutMs: z.int().min(1_000).max(600_000).default(60_000),
});

/** The company the user is working on; the chat sends it as context unless a request says otherwise. */
export const CompanyContextSettingsSchema = z.strictObject({
  company: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).nullable().default(null),
});

/**
 * What the deploy gate asks of a version's newest completed evaluation against the serving version before it is
 * promoted to a live tier (issue 9 §3): a win rate, the lower bound of its 95% interval, and enough verdicts.
 */
export const DeployGateSettingsSchema = z.strictObject({
  /** Win rate (a tie counts half) at least this, 0–1. */
  minWinRate: z.number({ error: 'must be a number from 0 to 1' }).min(0, { error: 'must be from 0 to 1' }).max(1, { error: 'must be from 0 to 1' }).default(0.5),
  /** The 95% interval's lower bound at least this, 0–1. */
  minIntervalLow: z.number({ error: 'must be a number from 0 to 1' }).min(0, { error: 'must be from 0 to 1' }).max(1, { error: 'must be from 0 to 1' }).default(0.4),
  /** At least this many operator verdicts. */
  minJudged: z.int({ error: 'must be a whole number of verdicts' }).min(1, { error: 'must be at least 1' }).max(10_000, { error: 'must be at most 10000' }).default(20),
});
export type DeployGateSettings = z.output<typeof DeployGateSettingsSchema>;

/**
 * The judge model of evaluations (issue 10 §2): off by default. An OpenAI model (default: the `openai` setting's
 * model, at its base URL) or a local GGUF judges each answered pair blind, beside the operator, never instead.
 */
export const EvaluationJudgeSettingsSchema = z.strictObject({
  provider: z.enum(['off', 'openai', 'local']).default('off'),
  /** The OpenAI model, or the GGUF path of a local judge (required for `local`). */
  model: z.string().trim().min(1).optional(),
});

/** All application settings, stored as one JSON value per key. */
export const SETTINGS_SCHEMAS = {
  'local.models': LocalModelSettingsSchema,
  openai: OpenAiSettingsSchema,
  'content.filter': ContentFilterSettingsSchema,
  'provider.timeouts': ProviderTimeoutSettingsSchema,
  'session.companyContext': CompanyContextSettingsSchema,
  routing: RoutingSettingsSchema,
  'evaluation.judge': EvaluationJudgeSettingsSchema,
  'deploy.gate': DeployGateSettingsSchema,
  limits: RateLimitSettingsSchema,
  /** The exact response cache: on by default; a request can bypass it. */
  cache: z.strictObject({ enabled: z.boolean().default(true), ttlMs: z.int().min(1_000).max(7 * 86_400_000).default(3_600_000) }),
} as const;

/** A settings key. */
export type SettingsKey = keyof typeof SETTINGS_SCHEMAS;
/** The value stored under a settings key, defaults applied. */
export type SettingsValue<K extends SettingsKey> = z.output<(typeof SETTINGS_SCHEMAS)[K]>;
