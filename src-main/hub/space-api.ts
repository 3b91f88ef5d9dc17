/**
 * The Hub's Space management calls that `@huggingface/hub` lacks, in the shape of huggingface_hub's HfApi
 * (`get_space_runtime`, `add_space_variable`, `add_space_secret`, `request_space_hardware`,
 * `set_space_sleep_time`, `restart_space`, `pause_space`, `fetch_space_logs`): the same paths and JSON bodies,
 * with an injected `fetch` (the Hub fetch, which waits out rate limits) and hub URL. Failures are thrown as
 * HubApiError-like errors (statusCode + the Hub's message) for hubFailure() to explain.
 */

/** A Space's runtime stage; unknown stages (the Hub adds some) are kept as they come. */
export type SpaceStage =
  | 'NO_APP_FILE'
  | 'CONFIG_ERROR'
  | 'BUILDING'
  | 'BUILD_ERROR'
  | 'APP_STARTING'
  | 'RUNNING'
  | 'RUNNING_BUILDING'
  | 'RUNNING_APP_STARTING'
  | 'RUNTIME_ERROR'
  | 'DELETING'
  | 'STOPPED'
  | 'PAUSED'
  | 'SLEEPING'
  | (string & {});

/** Stages in which a Space is on its way somewhere: keep polling. Unknown stages count as these. */
export const SETTLED_SPACE_STAGES = new Set<SpaceStage>(['RUNNING', 'BUILD_ERROR', 'RUNTIME_ERROR', 'CONFIG_ERROR', 'NO_APP_FILE', 'STOPPED', 'PAUSED', 'SLEEPING', 'DELETING']);

/** GET /api/spaces/{id}/runtime, as HfApi's SpaceRuntime reads it. */
export interface SpaceRuntime {
  stage: SpaceStage;
  hardware: { current: string | null; requested: string | null };
  /** Seconds of inactivity before the Space sleeps (`gcTimeout`); null where it cannot be set. */
  sleepTimeSeconds: number | null;
  errorMessage: string | null;
}

/** A Space hardware flavor with its price. */
export interface SpaceFlavor {
  name: string;
  prettyName: string;
  usdPerHour: number;
}

/** One line of a Space's build or run log. */
export interface SpaceLogLine {
  line: string;
  at: Date;
}

class SpaceApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SpaceApiOptions {
  hubUrl: string;
  fetch: typeof fetch;
  getToken: () => Promise<string | undefined>;
}

export class SpaceApi {
  constructor(private readonly options: SpaceApiOptions) {}

  private async request(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> {
    const token = await this.options.getToken();
    const response = await this.options.fetch(`${this.options.hubUrl}${path}`, {
      ...init,
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(init.headers as Record<string, string> | undefined),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = response.headers.get('x-error-message') ?? '';
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        message ||= text.slice(0, 200);
      }
      throw new SpaceApiError(response.status, message || `${response.status} ${response.statusText}`);
    }
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    const text = await response.text();
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  private static runtime(raw: { stage: string; hardware?: { current?: string | null; requested?: string | null }; gcTimeout?: number | null; errorMessage?: string | null }): SpaceRuntime {
    return {
      stage: raw.stage,
      hardware: { current: raw.hardware?.current ?? null, requested: raw.hardware?.requested ?? null },
      sleepTimeSeconds: raw.gcTimeout ?? null,
      errorMessage: raw.errorMessage ?? null,
    };
  }

  private static path(spaceId: string, rest = ''): string {
    const [owner, name] = spaceId.split('/');
    return `/api/spaces/${encodeURIComponent(owner ?? '')}/${encodeURIComponent(name ?? '')}${rest}`;
  }

  /** Where the Space's app answers (`host`, `https://<owner>-<name>.hf.space` on the Hub) and whether it is private. */
  async getInfo(spaceId: string): Promise<{ host: string; private: boolean }> {
    const info = await this.json<{ host?: string; subdomain?: string; private?: boolean }>('GET', SpaceApi.path(spaceId));
    const host = info.host ?? (info.subdomain ? `https://${info.subdomain}.hf.space` : undefined);
    if (!host) throw new SpaceApiError(502, `the Hub's answer for ${spaceId} names no host`);
    return { host, private: info.private === true };
  }

  async getRuntime(spaceId: string): Promise<SpaceRuntime> {
    return SpaceApi.runtime(await this.json('GET', SpaceApi.path(spaceId, '/runtime')));
  }

  async listHardware(): Promise<SpaceFlavor[]> {
    const list = await this.json<Array<{ name: string; prettyName: string; unitCostUSD: number; unitLabel: string }>>('GET', '/api/spaces/hardware');
    return list.map((h) => ({ name: h.name, prettyName: h.prettyName, usdPerHour: h.unitCostUSD * (h.unitLabel === 'minute' ? 60 : h.unitLabel === 'second' ? 3600 : 1) }));
  }

  /** Variable names → values. */
  async getVariables(spaceId: string): Promise<Record<string, string>> {
    const raw = await this.json<Record<string, { value: string }>>('GET', SpaceApi.path(spaceId, '/variables'));
    return Object.fromEntries(Object.entries(raw).map(([key, v]) => [key, v.value]));
  }

  async addVariable(spaceId: string, key: string, value: string, description?: string): Promise<void> {
    await this.json('POST', SpaceApi.path(spaceId, '/variables'), { key, value, ...(description && { description }) });
  }

  async deleteVariable(spaceId: string, key: string): Promise<void> {
    await this.json('DELETE', SpaceApi.path(spaceId, '/variables'), { key });
  }

  /** Secret names; the Hub never returns their values. */
  async getSecretNames(spaceId: string): Promise<string[]> {
    return Object.keys(await this.json<Record<string, unknown>>('GET', SpaceApi.path(spaceId, '/secrets')));
  }

  async addSecret(spaceId: string, key: string, value: string, description?: string): Promise<void> {
    await this.json('POST', SpaceApi.path(spaceId, '/secrets'), { key, value, ...(description && { description }) });
  }

  async deleteSecret(spaceId: string, key: string): Promise<void> {
    await this.json('DELETE', SpaceApi.path(spaceId, '/secrets'), { key });
  }

  async requestHardware(spaceId: string, flavor: string, sleepTimeSeconds?: number): Promise<SpaceRuntime> {
    return SpaceApi.runtime(await this.json('POST', SpaceApi.path(spaceId, '/hardware'), { flavor, ...(sleepTimeSeconds !== undefined && { sleepTimeSeconds }) }));
  }

  async setSleepTime(spaceId: string, seconds: number): Promise<SpaceRuntime> {
    return SpaceApi.runtime(await this.json('POST', SpaceApi.path(spaceId, '/sleeptime'), { seconds }));
  }

  async restart(spaceId: string, options: { factory?: boolean } = {}): Promise<SpaceRuntime> {
    return SpaceApi.runtime(await this.json('POST', SpaceApi.path(spaceId, `/restart${options.factory ? '?factory=true' : ''}`)));
  }

  async pause(spaceId: string): Promise<SpaceRuntime> {
    return SpaceApi.runtime(await this.json('POST', SpaceApi.path(spaceId, '/pause')));
  }

  /**
   * The build or run log as Server-Sent Events (`data: {"data": "<line>", "timestamp": "<iso>"}`), line by line
   * until the Hub ends the stream or `signal` aborts; the caller reconnects (and skips what it read) if it wants more.
   */
  async *streamLogs(spaceId: string, kind: 'build' | 'run', signal?: AbortSignal): AsyncGenerator<SpaceLogLine> {
    const response = await this.request('GET', SpaceApi.path(spaceId, `/logs/${kind}`), undefined, { headers: { accept: 'text/event-stream' }, signal });
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('data: ')) continue;
        try {
          const event = JSON.parse(line.slice(6)) as { data?: string; timestamp?: string };
          if (typeof event.data === 'string') yield { line: event.data, at: event.timestamp ? new Date(event.timestamp) : new Date() };
        } catch {
          yield { line: line.slice(6), at: new Date() };
        }
      }
    }
  }
}
