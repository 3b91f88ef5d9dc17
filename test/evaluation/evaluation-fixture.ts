import { readFileSync } from 'node:fs';
import type { RegisteredModel } from '../../src-main/store/repositories';
import { createHubFiles, type HubFiles } from '../support/hub/resolve-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/test-app';

/**
 * What an evaluation runs against in tests: the Hub stand-in serving a dataset's eval split (and a model repo's
 * GGUF) through its `resolve` route, two OpenAI-compatible stand-ins as the tier's live Space and its staging
 * Space, and the real composition root with the Hugging Face provider on, a registered candidate, and the Spaces
 * configured as the deployer leaves them (staging: an inactive `<ns>/triad-<tier>-staging` row serving the
 * candidate's version).
 */
export const HUB_TOKEN = 'hf_evaluation_token_0123456789';
export const SERVING_VERSION = `acme-ml/triad-company@${'b'.repeat(40)}`;

/** Eval rows as src-main/datasets writes them (SFT). */
export function sftRows(prompts: string[], requestIds: string[][] = []): string {
  return prompts
    .map((prompt, i) => JSON.stringify({ messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: `Reference ${i + 1}` }], source: 'accepted', request_ids: requestIds[i] ?? [] }))
    .join('\n');
}

export interface EvaluationWorld {
  hub: HubServer;
  files: HubFiles;
  live: OpenAiCompatibleServer;
  staging: OpenAiCompatibleServer;
  close(): Promise<void>;
}

/** The Hub and the two Spaces; each Space answers every prompt with its own name in the text. */
export async function startEvaluationWorld(): Promise<EvaluationWorld> {
  let files!: HubFiles;
  const hub = await startHubServer((shared) => [(files = createHubFiles(shared.accounts, shared.rateLimit))]);
  const [live, staging] = await Promise.all([startOpenAiCompatibleServer(), startOpenAiCompatibleServer()]);
  live.reply({ kind: 'stream', chunks: ['Serving', ' says', ' hello'] });
  staging.reply({ kind: 'stream', chunks: ['Candidate', ' answers', ' at', ' length'] });
  return {
    hub,
    files,
    live,
    staging,
    close: async () => {
      await Promise.all([hub.close(), live.close(), staging.close()]);
    },
  };
}

/** The app against the world: Hugging Face on, HF_ENDPOINT at the stand-in. */
export async function startEvaluationApp(world: EvaluationWorld, options: TestAppOptions = {}): Promise<TestApp> {
  const app = await createTestApp({ ...options, env: { HF_ENDPOINT: world.hub.url, HF_TOKEN: HUB_TOKEN, ...options.env } });
  await app.flags.set('provider', 'huggingface');
  return app;
}

/**
 * Pushes an eval split, registers a candidate trained on it, and configures the company tier's live Space and
 * its staging Space (serving the candidate, unless `stagingServes` says otherwise).
 */
export async function seedCandidate(
  app: TestApp,
  world: EvaluationWorld,
  options: { evalJsonl: string; stagingServes?: string; gguf?: boolean },
): Promise<RegisteredModel> {
  const dataset = 'acme-ml/company-sft';
  const datasetCommit = world.files.commit({ type: 'dataset', id: dataset }, { 'eval.jsonl': options.evalJsonl, 'train.jsonl': '' });
  const name = `acme-ml/triad-company-sft-${Math.random().toString(16).slice(2, 8)}`;
  const modelCommit = options.gguf ? world.files.commit({ type: 'model', id: name }, { 'model-q8_0.gguf': readFileSync(process.env.TRIAD_TEST_MODEL_PATH!) }) : 'c'.repeat(40);
  const model = await app.store.registry.register({
    name, version: modelCommit, tier: 'company', hfModelId: name, hfSpaceId: null, hfSpaceUrl: null,
    hfCommit: modelCommit, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', datasetVersion: `${dataset}@${datasetCommit}`, ggufFile: options.gguf ? 'model-q8_0.gguf' : null,
  });
  // Updated in place when seeded again, as the deployer does.
  const spaces = await app.store.spaces.list();
  const idOf = (spaceName: string) => spaces.find((s) => s.spaceName === spaceName)?.id;
  await app.store.spaces.upsert({ id: idOf('acme-ml/triad-company'), spaceName: 'acme-ml/triad-company', spaceType: 'company', apiEndpoint: world.live.url, isActive: true, modelVersion: SERVING_VERSION });
  await app.store.spaces.upsert({
    id: idOf('acme-ml/triad-company-staging'),
    spaceName: 'acme-ml/triad-company-staging', spaceType: 'company', apiEndpoint: world.staging.url, isActive: false,
    modelVersion: options.stagingServes ?? `${model.name}@${model.version}`,
  });
  return model;
}

/** Polls until `check` holds (the runs answer in the background). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
