import type { Priority, Provider, Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { SettingsService } from '../config/settings-service';
import type { SpaceConfigRepository } from '../store/repositories';

/** The concrete model that serves a tier: a local GGUF, a Hugging Face Space or an OpenAI model. */
export type ModelTarget =
  | { provider: 'local'; /** The tier's GGUF; undefined = TRIAD_MODEL_PATH or the default model. */ modelPath?: string }
  | { provider: 'huggingface'; spaceName: string; endpointUrl: string; modelVersion: string }
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
          target: { provider, spaceName: space.spaceName, endpointUrl: space.apiEndpoint, modelVersion: space.modelVersion ?? 'unversioned' },
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
