import { spaceInfo } from '@huggingface/hub';
import { TriadError } from '../../../src-shared/errors';
import { isHttpsOrLoopback } from '../../../src-shared/secure-url';
import { sleep } from './sleep';

/** Stages of a Space's runtime, as the Hub reports them. */
export type SpaceStage = 'RUNNING' | 'RUNNING_BUILDING' | 'BUILDING' | 'APP_STARTING' | 'SLEEPING' | 'PAUSED' | 'BUILD_ERROR' | 'RUNTIME_ERROR' | 'CONFIG_ERROR' | 'NO_APP_FILE' | string;

const BROKEN: ReadonlySet<string> = new Set(['BUILD_ERROR', 'RUNTIME_ERROR', 'CONFIG_ERROR', 'NO_APP_FILE', 'DELETING']);

export interface SpaceWakerOptions {
  /** The Hub's base URL (HF_ENDPOINT, or huggingface.co). */
  hubUrl: string;
  getToken: () => Promise<string | undefined>;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Wakes sleeping Hugging Face Spaces and waits for them. A sleeping Space wakes on its first request; a
 * paused one needs a restart through the Hub API, which needs a token. The runtime stage is read with
 * @huggingface/hub's `spaceInfo`; the restart endpoint has no helper there, so it is a plain Hub call.
 */
export class SpaceWaker {
  private readonly waking = new Map<string, Promise<void>>();

  constructor(private readonly options: SpaceWakerOptions) {}

  /**
   * The token, for a Hub reached over https (or on this computer): a mirror named in HF_ENDPOINT with plain http
   * to another computer gets no token, so it cannot leak in the clear; public Spaces' stages are read without one.
   */
  private async token(): Promise<string | undefined> {
    if (!isHttpsOrLoopback(this.options.hubUrl)) return undefined;
    return this.options.getToken().catch(() => undefined);
  }

  /** The Space's current runtime stage. */
  async stage(spaceName: string): Promise<SpaceStage> {
    const token = await this.token();
    const info = await spaceInfo({
      name: spaceName,
      hubUrl: this.options.hubUrl,
      additionalFields: ['runtime'],
      ...(token && { accessToken: token }),
      fetch: this.options.fetch,
    });
    return (info as { runtime?: { stage?: string } }).runtime?.stage ?? 'UNKNOWN';
  }

  /** Starts waking the Space (restarting it when it is paused and a token is set) without waiting. */
  wake(spaceName: string): Promise<void> {
    let waking = this.waking.get(spaceName);
    if (!waking) {
      waking = this.restartIfStopped(spaceName).finally(() => this.waking.delete(spaceName));
      this.waking.set(spaceName, waking);
    }
    return waking.catch(() => undefined);
  }

  /**
   * Polls until the Space runs, reporting each new stage. Throws `upstream_unavailable` when it is broken
   * or still not running after `timeoutMs`.
   */
  async waitUntilRunning(spaceName: string, options: { timeoutMs: number; pollMs: number; signal: AbortSignal; onStage: (stage: SpaceStage) => void }): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    let last: string | undefined;
    await this.wake(spaceName);
    for (;;) {
      const stage = await this.stage(spaceName);
      if (stage !== last) options.onStage(stage);
      last = stage;
      if (stage === 'RUNNING') return;
      if (BROKEN.has(stage)) {
        throw new TriadError({ code: 'upstream_unavailable', provider: 'huggingface', message: `Space ${spaceName} cannot start: stage ${stage}` });
      }
      if (Date.now() + options.pollMs > deadline) {
        throw new TriadError({
          code: 'upstream_unavailable',
          retryable: true,
          provider: 'huggingface',
          message: `Space ${spaceName} still not running after ${Math.round(options.timeoutMs / 1000)} s (stage ${stage})`,
        });
      }
      await (this.options.sleep ?? sleep)(options.pollMs, options.signal);
    }
  }

  private async restartIfStopped(spaceName: string): Promise<void> {
    const stage = await this.stage(spaceName);
    // A sleeping Space wakes on the request that found it asleep; only a paused one needs a restart.
    if (stage !== 'PAUSED' && stage !== 'STOPPED') return;
    const token = await this.token();
    // Without a token only the request itself can wake a sleeping Space; a paused one stays paused.
    if (!token) return;
    const response = await (this.options.fetch ?? fetch)(`${this.options.hubUrl.replace(/\/$/, '')}/api/spaces/${spaceName}/restart`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`restart of ${spaceName} answered HTTP ${response.status}`);
  }
}
