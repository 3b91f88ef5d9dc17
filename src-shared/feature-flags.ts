import { z } from 'zod';
import { PROVIDERS, TIERS, type Provider, type Tier } from './domain';

/** The flags the model selector reads on every request. */
export interface FeatureFlags {
  /** Which provider serves the tiers. */
  provider: Provider;
  /** Whether OpenAI may be chosen explicitly or used as a fallback even when it is not the provider. */
  openaiEnabled: boolean;
  /** Per-tier on/off; a disabled tier is never chosen. */
  tiers: Record<Tier, boolean>;
  /** Whether `auto` lets a company's learned tier router choose between its tiers (src-main/router/). */
  learnedRouter: boolean;
}

/** Where a flag's effective value came from. */
export type FlagSource = 'default' | 'database' | 'environment';

/** One flag: its database key, the environment variable that overrides it, its values and default. */
export interface FlagDefinition {
  key: string;
  envVar: string;
  schema: z.ZodType<Provider | boolean>;
  defaultValue: Provider | boolean;
  description: string;
}

const onOff = z.boolean({ error: 'must be true or false' });

/** Every flag Triad knows. Unknown keys in the database are ignored. */
export const FLAG_DEFINITIONS: readonly FlagDefinition[] = [
  {
    key: 'provider',
    envVar: 'TRIAD_PROVIDER',
    schema: z.enum(PROVIDERS, { error: `must be one of ${PROVIDERS.join(', ')}` }),
    // The embedded default: no keys, no accounts, every tier answers from a local model.
    defaultValue: 'local',
    description: 'Which provider serves the tiers',
  },
  {
    key: 'openai.enabled',
    envVar: 'TRIAD_OPENAI_ENABLED',
    schema: onOff,
    defaultValue: false,
    description: 'Whether OpenAI may be used when it is not the provider',
  },
  ...TIERS.map((tier) => ({
    key: `tier.${tier}.enabled`,
    envVar: `TRIAD_TIER_${tier.toUpperCase()}_ENABLED`,
    schema: onOff,
    defaultValue: true,
    description: `Whether the ${tier} tier may be chosen`,
  })),
  {
    key: 'router.learned',
    envVar: 'TRIAD_ROUTER_LEARNED',
    schema: onOff,
    // Off until an ML lead has trained routers and looked at their offline numbers.
    defaultValue: false,
    description: "Whether auto routing follows each company's learned tier router",
  },
];

/** Builds the typed flags from effective values by key. */
export function toFeatureFlags(values: Record<string, Provider | boolean>): FeatureFlags {
  return {
    provider: values.provider as Provider,
    openaiEnabled: values['openai.enabled'] as boolean,
    tiers: Object.fromEntries(TIERS.map((tier) => [tier, values[`tier.${tier}.enabled`] as boolean])) as Record<Tier, boolean>,
    learnedRouter: values['router.learned'] as boolean,
  };
}
