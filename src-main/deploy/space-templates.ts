/**
 * The Docker Space templates in `space/` (one per kind of hardware), rendered for one model version. A Space is
 * the same image for every version; what varies lives in the Space's variables and secrets, which the deploy
 * flow sets beside the commit. Rendering refuses input that would make a Space that cannot start.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TIERS, type Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';

/** The templates in `space/`. */
export const SPACE_TEMPLATES = ['llama-cpp-cpu', 'vllm-gpu'] as const;
export type SpaceTemplateName = (typeof SPACE_TEMPLATES)[number];

/** What a Space serves. */
export interface SpaceTemplateInput {
  tier: Tier;
  /** The model repository, `owner/name`. */
  modelRepo: string;
  /** A commit sha (what deploys pin) or a branch. */
  modelRevision: string;
  /** The GGUF file in the repository; required on CPU hardware, where llama.cpp serves it. */
  modelFile?: string;
  /** A Hub hardware flavor (`cpu-basic`, `t4-small`, `a10g-small`…): picks the template. */
  hardware: string;
  contextSize?: number;
}

/** A rendered Space: the files to commit, the variables to set, the secrets it needs. */
export interface RenderedSpace {
  template: SpaceTemplateName;
  files: Array<{ path: string; content: string }>;
  /** Space variables (public, visible in the Space's settings). */
  variables: Record<string, string>;
  /** Names of the Space secrets the app reads; their values are never part of a rendering. */
  secrets: Array<{ key: string; description: string }>;
}

/** Where the templates live: `space/` at the project's root. */
export const DEFAULT_TEMPLATES_DIR = join(import.meta.dirname, '../../space');

const REPO_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;
const REVISION = /^[\w][\w./-]{0,199}$/;
const GGUF_FILE = /^[\w][\w./-]{0,199}\.gguf$/i;
const TIER_LABELS: Record<Tier, string> = { base: 'Base', company: 'Company', abstraction: 'Abstraction' };
const SECRETS = [
  { key: 'HF_TOKEN', description: 'reads the model repository when it is private' },
  { key: 'TRIAD_SPACE_API_KEY', description: 'asked of every caller; needed only when the Space is public (a private one is guarded by the Hub)' },
];

/** CPU flavors get llama.cpp on a GGUF; every other flavor is a GPU and gets vLLM. */
export function templateForHardware(flavor: string): SpaceTemplateName {
  return flavor.startsWith('cpu-') ? 'llama-cpp-cpu' : 'vllm-gpu';
}

function invalid(message: string): TriadError {
  return new TriadError({ code: 'validation_failed', message });
}

function check(input: SpaceTemplateInput, template: SpaceTemplateName): Required<Omit<SpaceTemplateInput, 'modelFile'>> & { modelFile?: string } {
  if (!TIERS.includes(input.tier)) throw invalid(`unknown tier '${String(input.tier)}'`);
  if (!REPO_ID.test(input.modelRepo)) throw invalid(`model repository '${input.modelRepo}' is not owner/name`);
  if (!REVISION.test(input.modelRevision)) throw invalid(`model revision '${input.modelRevision}' is not a commit or branch name`);
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(input.hardware)) throw invalid(`hardware '${input.hardware}' is not a Hub hardware flavor`);
  const contextSize = input.contextSize ?? 4096;
  if (!Number.isInteger(contextSize) || contextSize < 256 || contextSize > 131_072) {
    throw invalid(`context size ${contextSize} is outside 256–131072 tokens`);
  }
  if (template === 'llama-cpp-cpu' && !(input.modelFile && GGUF_FILE.test(input.modelFile))) {
    throw invalid(`CPU hardware serves a GGUF file: give the .gguf file of ${input.modelRepo} (got '${input.modelFile ?? ''}')`);
  }
  return { ...input, contextSize };
}

/** A YAML scalar that is always read back as the same string (YAML accepts JSON's double-quoted strings). */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

function fill(text: string, values: Record<string, string>, quote: (value: string) => string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`space template placeholder {{${name}}} has no value`);
    return quote(value);
  });
}

/** Renders the template that fits the hardware for one model version. */
export async function renderSpaceTemplate(input: SpaceTemplateInput, templatesDir = DEFAULT_TEMPLATES_DIR): Promise<RenderedSpace> {
  const template = templateForHardware(input.hardware);
  const valid = check(input, template);
  const dir = join(templatesDir, template);
  const [readme, dockerfile, start] = await Promise.all(
    ['README.md.tmpl', 'Dockerfile', 'start.sh'].map((name) => readFile(join(dir, name), 'utf8')),
  );
  const title = `Triad ${TIER_LABELS[valid.tier]} tier`;
  const values: Record<string, string> = {
    title,
    tierLabel: TIER_LABELS[valid.tier],
    hardware: valid.hardware,
    modelRepo: valid.modelRepo,
    modelRevision: valid.modelRevision,
    modelFile: valid.modelFile ?? '',
    // The Hub caps short_description at 60 characters.
    shortDescription: `${title}: ${valid.modelRepo}`.slice(0, 60),
  };
  const [, frontMatter, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(readme!) ?? [];
  if (frontMatter === undefined || body === undefined) throw new Error(`${template}/README.md.tmpl has no front matter`);
  const variables: Record<string, string> = {
    MODEL_REPO: valid.modelRepo,
    MODEL_REVISION: valid.modelRevision,
    CONTEXT_SIZE: String(valid.contextSize),
    ...(template === 'llama-cpp-cpu' ? { MODEL_FILE: valid.modelFile!, PARALLEL: '2' } : { GPU_MEMORY_UTILIZATION: '0.9' }),
  };
  return {
    template,
    files: [
      { path: 'README.md', content: `---\n${fill(frontMatter, values, yamlString)}\n---\n${fill(body, values, (value) => value)}` },
      { path: 'Dockerfile', content: dockerfile! },
      { path: 'start.sh', content: start! },
    ],
    variables,
    secrets: SECRETS,
  };
}
