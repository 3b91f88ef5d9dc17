import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../../src-shared/errors';
import type { ModelCall, ModelStreamPart } from '../../../src-main/llm/chat-model';
import { LlamaModelPool } from '../../../src-main/llm/providers/local/llama-model-pool';
import { LocalChatModel } from '../../../src-main/llm/providers/local/local-chat-model';
import { DEFAULT_LOCAL_MODEL, LocalModelFiles, type ModelDownloadProgress } from '../../../src-main/llm/providers/local/local-model-files';

const MODEL = process.env.TRIAD_TEST_MODEL_PATH!;
const call = (maxTokens: number): ModelCall => ({
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say something.' },
  ],
  params: { maxTokens },
});

let pool: LlamaModelPool;
let dir: string;
beforeAll(() => {
  pool = new LlamaModelPool({ gpu: false, threads: 1, contextSize: 1024, sequencesPerModel: 2 });
  dir = mkdtempSync(join(tmpdir(), 'triad-local-'));
});
afterAll(async () => {
  await pool.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function model(path = MODEL): LocalChatModel {
  return new LocalChatModel(pool, 'tiny', async () => path);
}

async function collect(stream: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('local provider (node-llama-cpp on a real GGUF)', () => {
  it('streams text, then one finish with the tokens it counted', async () => {
    const parts = await collect(model().stream(call(24), new AbortController().signal));
    const deltas = parts.filter((p) => p.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
    const finish = parts.at(-1) as Extract<ModelStreamPart, { type: 'finish' }>;
    expect(finish.type).toBe('finish');
    expect(finish.usage!.inputTokens).toBeGreaterThan(3);
    expect(finish.usage!.outputTokens).toBeGreaterThan(0);
    expect(finish.usage!.outputTokens).toBeLessThanOrEqual(24);
    expect(['length', 'stop']).toContain(finish.finishReason);
  });

  it('loads a file once for every tier that names it, even through another path', async () => {
    const alias = join(dir, 'alias.gguf');
    symlinkSync(MODEL, alias);
    const before = pool.loadedCount;
    await Promise.all([collect(model().stream(call(4), new AbortController().signal)), collect(model(alias).stream(call(4), new AbortController().signal))]);
    expect(pool.loadedCount).toBe(Math.max(before, 1));
  });

  it('serves more concurrent requests than sequences by queueing them on the one model', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => collect(model().stream(call(16), new AbortController().signal))));
    for (const parts of results) expect(parts.at(-1)).toMatchObject({ type: 'finish' });
    const loaded = await pool.load(MODEL);
    expect(loaded.context.totalSequences).toBe(2);
  });

  it('stops generating promptly when aborted', async () => {
    const controller = new AbortController();
    const parts: ModelStreamPart[] = [];
    let abortedAt = 0;
    for await (const part of model().stream(call(4_000), controller.signal)) {
      parts.push(part);
      if (parts.length === 5) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    expect(performance.now() - abortedAt).toBeLessThan(500);
    const finish = parts.at(-1) as Extract<ModelStreamPart, { type: 'finish' }>;
    expect(finish.finishReason).toBe('aborted');
    expect(finish.usage!.outputTokens).toBeLessThan(200);
  });

  it('frees the sequence of a consumer that stops reading, so later requests still run', async () => {
    for (let i = 0; i < 3; i++) {
      for await (const part of model().stream(call(4_000), new AbortController().signal)) {
        if (part.type === 'text-delta') break;
      }
    }
    const parts = await collect(model().stream(call(4), new AbortController().signal));
    expect(parts.at(-1)).toMatchObject({ type: 'finish' });
  });

  it('resolves a model\'s chat format once, when it loads, and lends it with every sequence', async () => {
    const controller = new AbortController();
    const first = await pool.acquire(MODEL, controller.signal);
    const second = await pool.acquire(MODEL, controller.signal);
    try {
      expect(first.chatWrapper).toBeDefined();
      expect(second.chatWrapper).toBe(first.chatWrapper);
    } finally {
      await Promise.all([first.release(), second.release()]);
    }
  });

  it('leaves one CPU math core free unless told otherwise, so the UI keeps a core', async () => {
    const defaults = new LlamaModelPool({ gpu: false, contextSize: 256, sequencesPerModel: 1 });
    try {
      const loaded = await defaults.load(MODEL);
      const llama = await getLlama({ gpu: false, build: 'never' });
      expect(loaded.context.idealThreads).toBe(Math.max(1, llama.cpuMathCores - 1));
    } finally {
      await defaults.dispose();
    }
  });

  it('names the missing file', async () => {
    const missing = join(dir, 'nope.gguf');
    const error = await collect(model(missing).stream(call(4), new AbortController().signal)).catch((e: unknown) => e);
    expect(TriadError.isInstance(error) && error.toShape()).toMatchObject({ code: 'model_not_found', provider: 'local' });
    expect((error as Error).message).toContain(missing);
  });

  it('reports a file that is not a GGUF model as a load failure', async () => {
    const bogus = join(dir, 'bogus.gguf');
    writeFileSync(bogus, 'this is not a model');
    const error = await collect(model(bogus).stream(call(4), new AbortController().signal)).catch((e: unknown) => e);
    expect(TriadError.isInstance(error) && error.code).toBe('model_load_failed');
    expect((error as Error).message).toContain(bogus);
  });
});

describe('local model files', () => {
  it('prefers the tier setting, then TRIAD_MODEL_PATH', async () => {
    const files = new LocalModelFiles({ cacheDir: dir, envModelPath: '/models/env.gguf' });
    expect(await files.resolve('/models/tier.gguf')).toBe('/models/tier.gguf');
    expect(await files.resolve(undefined)).toBe('/models/env.gguf');
    expect(files.displayName(undefined)).toBe('env');
  });

  it('downloads the default model once into the cache, with progress, from the Hub (local stand-in)', async () => {
    const requested: string[] = [];
    const size = statSync(MODEL).size;
    const hub = createServer((req, res) => {
      requested.push(`${req.method} ${req.url}`);
      if (new URL(req.url!, 'http://hub').pathname !== `/${DEFAULT_LOCAL_MODEL.repo}/resolve/main/${DEFAULT_LOCAL_MODEL.file}`) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size), 'accept-ranges': 'bytes' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(MODEL).pipe(res);
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    try {
      const cacheDir = join(dir, 'cache');
      const progress: ModelDownloadProgress[] = [];
      const files = new LocalModelFiles({
        cacheDir,
        hubEndpoint: `http://127.0.0.1:${(hub.address() as AddressInfo).port}`,
        onProgress: (p) => progress.push(p),
      });
      const [first, second] = await Promise.all([files.resolve(undefined), files.resolve(undefined)]);
      expect(first).toBe(join(cacheDir, DEFAULT_LOCAL_MODEL.file));
      expect(second).toBe(first);
      expect(statSync(first).size).toBe(size);
      expect(progress.at(-1)).toMatchObject({ downloadedBytes: size, totalBytes: size });
      const gets = requested.filter((r) => r.startsWith('GET'));
      requested.length = 0;
      expect(await files.resolve(undefined)).toBe(first);
      expect(requested).toEqual([]);
      expect(gets.length).toBeGreaterThan(0);
      // The downloaded file is a real model the pool can run.
      const parts = await collect(model(first).stream(call(4), new AbortController().signal));
      expect(parts.at(-1)).toMatchObject({ type: 'finish' });
    } finally {
      hub.close();
    }
  });

  it('says clearly what to do when the default model cannot be downloaded', async () => {
    const files = new LocalModelFiles({ cacheDir: join(dir, 'cache-offline'), hubEndpoint: 'http://127.0.0.1:9' });
    const error = await files.resolve(undefined).catch((e: unknown) => e);
    expect(TriadError.isInstance(error) && error.code).toBe('model_not_found');
    expect((error as Error).message).toMatch(/TRIAD_MODEL_PATH/);
    expect((error as Error).message).toContain('127.0.0.1:9');
  });
});


it('does not start generating for a signal that is already aborted', async () => {
  const controller = new AbortController();
  controller.abort();
  const parts = await collect(model().stream(call(4_000), controller.signal));
  const finish = parts.at(-1) as Extract<ModelStreamPart, { type: 'finish' }>;
  expect(finish.finishReason).toBe('aborted');
  expect(finish.usage!.outputTokens).toBeLessThan(5);
});
