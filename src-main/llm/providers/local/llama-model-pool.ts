import { realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { TriadError } from '../../../../src-shared/errors';

/** How local models run. */
export interface LlamaRuntimeOptions {
  /** `auto` uses a GPU when one is usable; `false` forces the CPU. */
  gpu: 'auto' | false;
  /**
   * CPU threads per context; undefined = one less than the CPU math cores. llama.cpp's own tools use every
   * core, but its threads wait for each other at every layer, so one thread the UI or another program delays
   * stalls them all: on the shared 2-core build machine 2 threads generated ~10x slower than 1 (see
   * docs/benchmarks.md, "Local inference").
   */
  threads?: number;
  /** Context size in tokens shared by a model's sequences. */
  contextSize: number;
  /** Concurrent generations per loaded model. */
  sequencesPerModel: number;
}

/** A sequence lent to one generation; `release` returns it cleared. */
export interface SequenceLease {
  sequence: LlamaContextSequence;
  modelName: string;
  /** The model's chat format, resolved once when it loaded. */
  chatWrapper: ChatWrapper;
  release(): Promise<void>;
}

interface LoadedModel {
  model: LlamaModel;
  context: LlamaContext;
  /**
   * Resolved once per model: node-llama-cpp resolves it for every new chat session otherwise, which for a GGUF
   * with a Jinja chat template means rendering it against every built-in format (seconds per request).
   */
  chatWrapper: ChatWrapper;
  name: string;
  idle: LlamaContextSequence[];
  waiters: Array<{ grant: (sequence: LlamaContextSequence) => void; signal: AbortSignal }>;
}

/**
 * Loads each GGUF once, whichever tiers name it, and shares it between concurrent requests through the
 * context's sequences: one model, one context, N sequences. Requests beyond N wait in order.
 */
export class LlamaModelPool {
  private llama: Promise<Llama> | undefined;
  private readonly models = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly options: LlamaRuntimeOptions) {}

  /** Lends a free sequence of the model at `modelPath`, loading it first if needed. */
  async acquire(modelPath: string, signal: AbortSignal): Promise<SequenceLease> {
    const loaded = await this.load(modelPath);
    const sequence = await this.takeSequence(loaded, signal);
    return {
      sequence,
      modelName: loaded.name,
      chatWrapper: loaded.chatWrapper,
      release: async () => {
        await sequence.clearHistory();
        const next = loaded.waiters.shift();
        if (next) next.grant(sequence);
        else loaded.idle.push(sequence);
      },
    };
  }

  /** Loads (or returns the already loaded) model; the key is the file's real path. */
  async load(modelPath: string): Promise<LoadedModel> {
    const key = await realpath(modelPath).catch(() => modelPath);
    let loading = this.models.get(key);
    if (!loading) {
      loading = this.loadModel(key);
      this.models.set(key, loading);
      loading.catch(() => this.models.delete(key));
    }
    return loading;
  }

  /** Number of models loaded (for tests and status). */
  get loadedCount(): number {
    return this.models.size;
  }

  async dispose(): Promise<void> {
    const models = await Promise.allSettled(this.models.values());
    this.models.clear();
    for (const result of models) {
      if (result.status === 'fulfilled') await result.value.model.dispose();
    }
    const llama = await this.llama?.catch(() => undefined);
    await llama?.dispose();
  }

  private async loadModel(path: string): Promise<LoadedModel> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      throw new TriadError({ code: 'model_not_found', provider: 'local', message: `model file not found: ${path}` });
    }
    // node-llama-cpp is loaded with the first local model, not with the app: importing it takes about a
    // second, which every start of the app and of `triad` paid even when no tier runs locally.
    const { getLlama, LlamaLogLevel, resolveChatWrapper } = await import('node-llama-cpp');
    this.llama ??= getLlama({ gpu: this.options.gpu, build: 'never', logLevel: LlamaLogLevel.error });
    const llama = await this.llama;
    try {
      const model = await llama.loadModel({ modelPath: path });
      const threads = this.options.threads ?? Math.max(1, llama.cpuMathCores - 1);
      const context = await model.createContext({
        sequences: this.options.sequencesPerModel,
        contextSize: Math.min(this.options.contextSize, model.trainContextSize),
        threads,
      });
      const chatWrapper = resolveChatWrapper(model);
      return { model, context, chatWrapper, name: basename(path).replace(/\.gguf$/i, ''), idle: [], waiters: [] };
    } catch (error) {
      throw new TriadError(
        {
          code: 'model_load_failed',
          provider: 'local',
          message: `cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`,
        },
        { cause: error },
      );
    }
  }

  private takeSequence(loaded: LoadedModel, signal: AbortSignal): Promise<LlamaContextSequence> {
    const idle = loaded.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (loaded.context.sequencesLeft > 0) return Promise.resolve(loaded.context.getSequence());
    return new Promise((resolve, reject) => {
      const waiter = {
        signal,
        grant: (sequence: LlamaContextSequence) => {
          signal.removeEventListener('abort', onAbort);
          resolve(sequence);
        },
      };
      const onAbort = () => {
        loaded.waiters.splice(loaded.waiters.indexOf(waiter), 1);
        reject(new TriadError({ code: 'aborted', provider: 'local', message: 'cancelled while waiting for the local model' }));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      loaded.waiters.push(waiter);
    });
  }
}
