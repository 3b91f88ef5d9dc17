/**
 * The two sides of an evaluation as the facade's own providers: the serving side is what the facade calls for the
 * tier today (the tier's live Space when the provider is Hugging Face, through the TargetResolver), the candidate
 * its staging Space (an inactive hf_spaces_config row `<ns>/triad-<tier>-staging` that serves the candidate's
 * version) or its GGUF, downloaded from the model repo and run by the local pool.
 */
import type { Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { CandidateSource } from '../../src-shared/evaluation-contract';
import type { FeatureFlagService } from '../llm/feature-flag-service';
import type { ModelTarget, TargetResolver } from '../llm/model-target';
import type { RegisteredModel, SpaceConfig, SpaceConfigRepository } from '../store/repositories';
import { downloadModelFile, type HubAccess } from './eval-split';

/** A side's target and the version it answers as. */
export interface EvaluationSideTarget {
  target: ModelTarget;
  version: string;
}

/** `owner/name@commit` of a registered model version. */
export function modelVersionOf(model: Pick<RegisteredModel, 'name' | 'version'>): string {
  return `${model.name}@${model.version}`;
}

/** The staging Space of a tier: the deployer names it `<namespace>/triad-<tier>-staging` and never activates it. */
export const isStagingSpace = (space: SpaceConfig, tier: Tier): boolean =>
  space.spaceType === tier && !space.isActive && space.spaceName.endsWith(`/triad-${tier}-staging`);

/** What serves the tier now, as the facade would call it. */
export async function servingSide(tier: Tier, deps: { flags: FeatureFlagService; targets: TargetResolver }): Promise<EvaluationSideTarget> {
  const { flags } = await deps.flags.read();
  const { target } = await deps.targets.resolve(tier, flags.provider, 'normal');
  switch (target.provider) {
    case 'huggingface':
      return { target, version: target.modelVersion === 'unversioned' ? target.spaceName : target.modelVersion };
    case 'openai':
      return { target, version: `openai:${target.model}` };
    case 'local':
      return { target, version: `local:${target.modelPath?.split(/[\\/]/).pop() ?? 'default model'}` };
  }
}

export interface CandidateSideDeps {
  spaces: SpaceConfigRepository;
  hub: () => Promise<HubAccess>;
  /** Where a candidate's GGUF is kept once downloaded. */
  cacheDir: string;
  onDownload?: (progress: { file: string; downloadedBytes: number; totalBytes: number }) => void;
}

/** The candidate's side: refused, saying what to do, when it cannot answer from `source`. */
export async function candidateSide(model: RegisteredModel, tier: Tier, source: CandidateSource, deps: CandidateSideDeps): Promise<EvaluationSideTarget> {
  const version = modelVersionOf(model);
  if (source === 'staging') {
    const staging = (await deps.spaces.list()).find((space) => isStagingSpace(space, tier));
    const deployHint = `deploy it to staging first: triad deploy --tier ${tier} --model ${version} --staging`;
    if (!staging) throw new TriadError({ code: 'not_configured', tier, message: `evaluating ${version}: tier '${tier}' has no staging Space; ${deployHint}` });
    if (staging.modelVersion !== version) {
      throw new TriadError({
        code: 'validation_failed',
        tier,
        message: `evaluating ${version}: the staging Space ${staging.spaceName} serves ${staging.modelVersion ?? 'no registered version'}, not this one; ${deployHint}`,
      });
    }
    return { target: { provider: 'huggingface', tier, spaceName: staging.spaceName, endpointUrl: staging.apiEndpoint, modelVersion: version }, version };
  }
  if (!model.ggufFile) {
    throw new TriadError({ code: 'validation_failed', message: `evaluating ${version} locally: the registry has no GGUF file for it (trained for a GPU Space); use --candidate staging` });
  }
  const repo = model.hfModelId ?? model.name;
  const revision = model.hfCommit ?? model.version;
  const file = model.ggufFile;
  const modelPath = await downloadModelFile({ repo, revision, path: file, cacheDir: deps.cacheDir }, await deps.hub(), (p) => deps.onDownload?.({ file, ...p }));
  return { target: { provider: 'local', modelPath }, version };
}
