import type { Provider, Tier } from '../../src-shared/domain';

/** How the UI names each tier. */
export const TIER_LABELS: Record<Tier, string> = {
  base: 'Base',
  company: 'Company',
  abstraction: 'Abstraction',
};

/** How the UI names each provider. */
export const PROVIDER_LABELS: Record<Provider, string> = {
  local: 'Local model',
  huggingface: 'Hugging Face Space',
  openai: 'OpenAI',
};

/** One line per tier, for pickers and tooltips. */
export const TIER_DESCRIPTIONS: Record<Tier, string> = {
  base: 'General knowledge, no company context',
  company: "The selected company's own knowledge",
  abstraction: 'Patterns and benchmarks across similar businesses',
};
