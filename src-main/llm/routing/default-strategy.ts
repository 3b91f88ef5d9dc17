import type { Provider, Tier } from '../../../src-shared/domain';
import type { FeatureFlags } from '../../../src-shared/feature-flags';
import type { StrategyNode, TargetRef } from '../../../src-shared/routing';

/**
 * The chain a tier uses unless Settings give it a strategy: with Hugging Face as the provider, the tier's
 * Space → the Base Space → OpenAI (only while its flag is on) → the local model; with OpenAI, OpenAI → local;
 * with the local provider, the local model alone.
 */
export function defaultStrategy(tier: Tier, provider: Provider, flags: FeatureFlags): StrategyNode {
  const openai: TargetRef[] = flags.openaiEnabled || provider === 'openai' ? [{ provider: 'openai' }] : [];
  const chain: TargetRef[] =
    provider === 'huggingface'
      ? [{ provider: 'huggingface', space: 'tier' }, ...(tier === 'base' ? [] : [{ provider: 'huggingface', space: 'base' } as const]), ...openai, { provider: 'local' }]
      : provider === 'openai'
        ? [...openai, { provider: 'local' }]
        : [{ provider: 'local' }];
  const singles = chain.map((target): StrategyNode => ({ mode: 'single', target }));
  return singles.length === 1 ? singles[0]! : { mode: 'fallback', targets: singles };
}
