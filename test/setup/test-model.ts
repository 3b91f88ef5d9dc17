import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The tiny random-weights Llama the tests run (see ../shared/models/README.md). */
const FILE = 'llama-2-tiny-random.gguf';
const SHA256 = '81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb';
const HUB_URL = `https://huggingface.co/aladar/llama-2-tiny-random-GGUF/resolve/main/${FILE}`;

/**
 * Finds the test model: $TRIAD_TEST_MODEL_PATH, else `shared/models/` beside the project (or beside one of
 * its parent folders), else a copy downloaded once from the Hugging Face Hub into the user's cache and
 * checked against its sha256.
 */
export async function locateTestModel(projectRoot: string): Promise<string> {
  const fromEnv = process.env.TRIAD_TEST_MODEL_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TRIAD_TEST_MODEL_PATH points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  for (let dir = resolve(projectRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared', 'models', FILE);
    if (existsSync(candidate)) return resolve(candidate);
    if (dirname(dir) === dir) break;
  }
  const cached = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'triad', 'test-models', FILE);
  if (existsSync(cached)) return cached;
  const response = await fetch(HUB_URL, { signal: AbortSignal.timeout(60_000) }).catch((error: unknown) => {
    throw new Error(`test model ${FILE} not found beside the project and not downloadable from ${HUB_URL} (${String(error)}); set TRIAD_TEST_MODEL_PATH`);
  });
  if (!response.ok) throw new Error(`downloading the test model from ${HUB_URL} failed: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== SHA256) throw new Error(`the downloaded test model has sha256 ${digest}, expected ${SHA256}`);
  mkdirSync(dirname(cached), { recursive: true });
  writeFileSync(`${cached}.part`, bytes);
  renameSync(`${cached}.part`, cached);
  return cached;
}

