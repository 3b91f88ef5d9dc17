import type { Priority, Provider, Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { FeatureFlags } from '../../src-shared/feature-flags';
import type { TargetRef } from '../../src-shared/routing';
import type { SettingsService } from '../config/settings-service';
import type { SpaceConfigRepository } from '../store/repositories';

/** The concrete model that serves a tier: a local GGUF, a Hugging Face Space or an OpenAI model. */
export type ModelTarget =
  | { provider: 'local'; /** The tier's GGUF; undefined = TRIAD_MODEL_PATH or the default model. */ modelPath?: string }
  | { provider: 'huggingface'; /** The tier whose Space this is. */ tier: Tier; spaceName: string; endpointUrl: string; modelVersion: string }
  | { provider: 'openai'; model: string; baseUrl?: string };

/** A target and, when `fast` changed it, a note for the routing reason. */
export interface ResolvedTarget {
  target: ModelTarget;
  note?: string;
}

/** Finds the target of a tier for a provider from the Space configuration and the settings. */
export class TargetResolver {
  constructor(
    private readonly spaces: SpaceConfigRepository,
    private readonly settings: SettingsService,
  ) {}

  /** Resolves a strategy's target reference for a request to `tier`. */
  async resolveRef(ref: TargetRef, tier: Tier, priority: Priority, flags: FeatureFlags): Promise<ResolvedTarget> {
    if (ref.provider === 'openai' && !flags.openaiEnabled && flags.provider !== 'openai') {
      throw new TriadError({ code: 'provider_disabled', provider: 'openai', message: 'OpenAI is turned off (feature flag openai.enabled)' });
    }
    const targetTier = ref.provider === 'huggingface' && ref.space !== 'tier' ? ref.space : tier;
    return this.resolve(targetTier, ref.provider, priority);
  }

  async resolve(tier: Tier, provider: Provider, priority: Priority): Promise<ResolvedTarget> {
    switch (provider) {
      case 'local': {
        const models = await this.settings.get('local.models');
        if (priority === 'fast' && models.fast) {
          return { target: { provider, modelPath: models.fast }, note: `priority 'fast': smaller local model ${models.fast}` };
        }
        return { target: { provider, modelPath: models[tier] } };
      }
      case 'huggingface': {
        const space = await this.spaces.activeSpaceFor(tier);
        if (!space) {
          throw new TriadError({
            code: 'not_configured',
            tier,
            provider,
            message: `tier '${tier}' has no active Hugging Face Space: add one in Settings (hf_spaces_config)`,
          });
        }
        return {
          target: { provider, tier, spaceName: space.spaceName, endpointUrl: space.apiEndpoint, modelVersion: space.modelVersion ?? 'unversioned' },
        };
      }
      case 'openai': {
        const openai = await this.settings.get('openai');
        const model = priority === 'fast' ? openai.fastModel : openai.model;
        return {
          target: { provider, model, baseUrl: openai.baseUrl },
          note: priority === 'fast' ? `priority 'fast': cheaper model ${model}` : undefined,
        };
      }
    }
  }
}

/** How a target is named to a person. */
export function describeTarget(target: ModelTarget, modelId: string): string {
  if (target.provider === 'huggingface') return `Space ${target.spaceName}`;
  if (target.provider === 'openai') return `OpenAI ${modelId}`;
  return `local model ${modelId}`;
}

/** The remote endpoint a target calls, for its circuit breaker; none for a local model. */
export function endpointOf(target: ModelTarget): string | undefined {
  if (target.provider === 'huggingface') return target.endpointUrl;
  if (target.provider === 'openai') return target.baseUrl ?? 'https://api.openai.com/v1';
  return undefined;
}
