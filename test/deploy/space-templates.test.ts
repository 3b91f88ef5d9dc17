import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderSpaceTemplate, templateForHardware, type RenderedSpace, type SpaceTemplateInput } from '../../src-main/deploy/space-templates';

const run = promisify(execFile);

const CPU: SpaceTemplateInput = {
  tier: 'company',
  modelRepo: 'acme-ml/triad-company-sft',
  modelRevision: '0123456789abcdef0123456789abcdef01234567',
  modelFile: 'triad-company-q4_k_m.gguf',
  hardware: 'cpu-upgrade',
  contextSize: 8192,
};
const GPU: SpaceTemplateInput = { tier: 'abstraction', modelRepo: 'acme-ml/triad-abstraction-dpo', modelRevision: 'main', hardware: 'a10g-small' };

function file(space: RenderedSpace, path: string): string {
  const found = space.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in the rendering`);
  return found.content;
}

function frontMatter(readme: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(readme);
  if (!match) throw new Error('README.md has no front matter');
  return parseYaml(match[1]!) as Record<string, unknown>;
}

/** Names the start script reads from the environment. */
function environmentReads(script: string): Set<string> {
  return new Set([...script.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
}

describe('Space templates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'triad-space-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('picks llama.cpp for CPU flavors and vLLM for GPU flavors', () => {
    expect(templateForHardware('cpu-basic')).toBe('llama-cpp-cpu');
    expect(templateForHardware('cpu-upgrade')).toBe('llama-cpp-cpu');
    expect(templateForHardware('t4-small')).toBe('vllm-gpu');
    expect(templateForHardware('a10g-small')).toBe('vllm-gpu');
  });

  for (const [name, input, image] of [
    ['CPU (llama.cpp)', CPU, /^FROM ghcr\.io\/ggml-org\/llama\.cpp:server$/m],
    ['GPU (vLLM)', GPU, /^FROM vllm\/vllm-openai:v[\d.]+$/m],
  ] as const) {
    it(`renders a Docker Space the Hub accepts: ${name}`, async () => {
      const space = await renderSpaceTemplate(input);
      const meta = frontMatter(file(space, 'README.md'));
      expect(meta).toMatchObject({ sdk: 'docker', app_port: 7860, suggested_hardware: input.hardware, models: [input.modelRepo] });
      expect(String(meta.startup_duration_timeout)).toMatch(/^\d+(m|h)$/);
      expect(String(meta.short_description).length).toBeLessThanOrEqual(60);
      expect(String(meta.title)).toContain(input.tier === 'company' ? 'Company' : 'Abstraction');

      const dockerfile = file(space, 'Dockerfile');
      expect(dockerfile).toMatch(image);
      expect(dockerfile).toMatch(/^EXPOSE 7860$/m);
      expect(dockerfile).toMatch(/--uid 1000/);
      expect(dockerfile).toMatch(/^HEALTHCHECK .*\/health/m);

      // Every name the start script reads is a variable or secret the deploy sets (or the Hub's own HF_ENDPOINT),
      // and every variable the deploy sets is read.
      const reads = environmentReads(file(space, 'start.sh'));
      const provided = new Set([...Object.keys(space.variables), ...space.secrets.map((s) => s.key), 'HF_ENDPOINT', 'SPACE_PUBLIC']);
      expect([...reads].filter((n) => !provided.has(n) && n !== 'HUB')).toEqual([]);
      expect(Object.keys(space.variables).filter((n) => !reads.has(n))).toEqual([]);
      expect(space.secrets.map((s) => s.key).sort()).toEqual(['HF_TOKEN', 'TRIAD_SPACE_API_KEY']);
      expect(space.variables).toMatchObject({ MODEL_REPO: input.modelRepo, MODEL_REVISION: input.modelRevision });

      // The start script is valid POSIX shell.
      await writeFile(join(dir, 'start.sh'), file(space, 'start.sh'));
      await expect(run('sh', ['-n', join(dir, 'start.sh')])).resolves.toBeDefined();
    });
  }

  it('starts llama-server on the pinned revision, with the API key when one is set, and refuses a public Space without one', async () => {
    const space = await renderSpaceTemplate(CPU);
    // The real script, with llama-server replaced by a program that prints the arguments it was given.
    const recorder = join(dir, 'llama-server');
    await writeFile(recorder, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    await chmod(recorder, 0o755);
    const script = join(dir, 'start-recorded.sh');
    await writeFile(script, file(space, 'start.sh').replace('/app/llama-server', recorder));

    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...space.variables, TRIAD_SPACE_API_KEY: 'space-key-1', HF_ENDPOINT: 'http://127.0.0.1:9' };
    const { stdout } = await run('sh', [script], { env });
    const args = stdout.trim().split('\n');
    const arg = (flag: string) => args[args.indexOf(flag) + 1];
    expect(arg('--model-url')).toBe(`http://127.0.0.1:9/${CPU.modelRepo}/resolve/${CPU.modelRevision}/${CPU.modelFile}`);
    expect(arg('--ctx-size')).toBe('8192');
    expect(arg('--api-key')).toBe('space-key-1');

    const { TRIAD_SPACE_API_KEY: _key, ...withoutKey } = env;
    const privateSpace = (await run('sh', [script], { env: withoutKey })).stdout.trim().split('\n');
    expect(privateSpace).not.toContain('--api-key');
    const refused = await run('sh', [script], { env: { ...withoutKey, SPACE_PUBLIC: 'true' } }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: expect.any(Number) });
    expect((refused as { stderr: string }).stderr).toContain('TRIAD_SPACE_API_KEY');
  });

  it('refuses input that would make a Space that cannot start, naming what is wrong', async () => {
    await expect(renderSpaceTemplate({ ...CPU, modelFile: undefined })).rejects.toThrow(/GGUF file/);
    await expect(renderSpaceTemplate({ ...CPU, modelFile: 'model.safetensors' })).rejects.toThrow(/\.gguf/);
    await expect(renderSpaceTemplate({ ...CPU, modelRepo: 'no-owner' })).rejects.toThrow(/'no-owner' is not owner\/name/);
    await expect(renderSpaceTemplate({ ...GPU, modelRevision: '../etc' })).rejects.toThrow(/revision/);
    await expect(renderSpaceTemplate({ ...GPU, contextSize: 10 })).rejects.toThrow(/context size 10/);
    await expect(renderSpaceTemplate({ ...GPU, hardware: 'A10G Small' })).rejects.toThrow(/hardware flavor/);
  });

  it('keeps a title with YAML-special characters a string in the front matter', async () => {
    const space = await renderSpaceTemplate({ ...GPU, modelRepo: 'acme-ml/yes' });
    const meta = frontMatter(file(space, 'README.md'));
    expect(meta.models).toEqual(['acme-ml/yes']);
    expect(await readFile(join(import.meta.dirname, '../../space/vllm-gpu/start.sh'), 'utf8')).toBe(file(space, 'start.sh'));
  });
});
