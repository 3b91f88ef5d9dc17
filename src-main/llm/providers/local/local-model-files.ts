import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TriadError } from '../../../../src-shared/errors';

/**
 * The model every tier runs on when nothing else is configured: Qwen2.5-0.5B-Instruct, Q4_K_M
 * (see README, "Default local model", for why this one).
 */
export const DEFAULT_LOCAL_MODEL = {
  displayName: 'Qwen2.5 0.5B Instruct (Q4_K_M)',
  repo: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
  file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
} as const;

const HUB_PROBE_TIMEOUT_MS = 15_000;

/** Download progress of the default model. */
export interface ModelDownloadProgress {
  file: string;
  downloadedBytes: number;
  totalBytes: number;
}

export interface LocalModelFilesOptions {
  /** Where the default model is kept once downloaded (the user's cache, not the data folder). */
  cacheDir: string;
  /** TRIAD_MODEL_PATH: one GGUF for every tier that has no setting of its own. */
  envModelPath?: string;
  /** Hub base URL; HF_ENDPOINT (a mirror) when set, else huggingface.co. */
  hubEndpoint?: string;
  /** Token for the Hub, if one is set (the default model is public; a token lifts rate limits). */
  getHubToken?: () => Promise<string | undefined>;
  onProgress?: (progress: ModelDownloadProgress) => void;
}

/**
 * Decides which GGUF file a local tier runs: the tier's own setting, else TRIAD_MODEL_PATH, else the default
 * model, downloaded once into the cache (concurrent requests share one download).
 */
export class LocalModelFiles {
  private download: Promise<string> | undefined;

  constructor(private readonly options: LocalModelFilesOptions) {}

  /** The name a local target is shown with before its file is resolved. */
  displayName(tierModelPath: string | undefined): string {
    const path = tierModelPath ?? this.options.envModelPath;
    return path ? (path.split(/[\\/]/).pop() ?? path).replace(/\.gguf$/i, '') : DEFAULT_LOCAL_MODEL.file.replace(/\.gguf$/, '');
  }

  /** The path of the GGUF to run; `tierModelPath` is the tier's own setting, if any. */
  async resolve(tierModelPath: string | undefined): Promise<string> {
    const explicit = tierModelPath ?? this.options.envModelPath;
    if (explicit) return explicit;
    const cached = join(this.options.cacheDir, DEFAULT_LOCAL_MODEL.file);
    if (existsSync(cached)) return cached;
    this.download ??= this.downloadDefault().finally(() => {
      this.download = undefined;
    });
    return this.download;
  }

  private async downloadDefault(): Promise<string> {
    const hub = this.options.hubEndpoint ?? 'https://huggingface.co';
    try {
      const token = await this.options.getHubToken?.();
      // The downloader retries a refused connection for minutes; find out at once whether the Hub answers.
      const url = `${hub.replace(/\/$/, '')}/${DEFAULT_LOCAL_MODEL.repo}/resolve/main/${DEFAULT_LOCAL_MODEL.file}`;
      const probe = await fetch(url, {
        method: 'HEAD',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(HUB_PROBE_TIMEOUT_MS),
      }).catch((error: unknown) => {
        throw new Error(`cannot reach ${hub}: ${describeNetworkError(error)}`);
      });
      if (!probe.ok) throw new Error(`${url} answered HTTP ${probe.status}`);
      const { createModelDownloader } = await import('node-llama-cpp');
      const downloader = await createModelDownloader({
        modelUri: `hf:${DEFAULT_LOCAL_MODEL.repo}/${DEFAULT_LOCAL_MODEL.file}`,
        dirPath: this.options.cacheDir,
        fileName: DEFAULT_LOCAL_MODEL.file,
        endpoints: { huggingFace: hub.endsWith('/') ? hub : `${hub}/` },
        tokens: token ? { huggingFace: token } : undefined,
        showCliProgress: false,
        deleteTempFileOnCancel: false,
        onProgress: ({ downloadedSize, totalSize }) =>
          this.options.onProgress?.({ file: DEFAULT_LOCAL_MODEL.file, downloadedBytes: downloadedSize, totalBytes: totalSize }),
      });
      return await downloader.download();
    } catch (error) {
      throw new TriadError(
        {
          code: 'model_not_found',
          provider: 'local',
          retryable: true,
          message:
            `no local model: TRIAD_MODEL_PATH is not set and the default model ${DEFAULT_LOCAL_MODEL.displayName} ` +
            `could not be downloaded from ${hub} (${error instanceof Error ? error.message : String(error)}); ` +
            'set TRIAD_MODEL_PATH or a model file for the tier in Settings',
        },
        { cause: error },
      );
    }
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}
