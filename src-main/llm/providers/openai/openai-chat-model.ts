import type OpenAIModule from 'openai';
import { TriadError } from '../../../../src-shared/errors';
import type { ChatModel, ModelCall, ModelStreamPart } from '../../chat-model';
import { IdleTimeout } from '../../idle-timeout';
import { streamOpenAiChunks, toOpenAiParams } from '../openai-chunks';
import {
  badResponseError,
  httpStatusError,
  parseRetryAfter,
  unreachableError,
  type UpstreamPlace,
} from '../../upstream-errors';

/** How to reach OpenAI (or an OpenAI-compatible server). */
export interface OpenAiChatModelOptions {
  /** Model name, e.g. `gpt-4.1-mini`. */
  model: string;
  /** API base URL; OpenAI's own when undefined. */
  baseUrl?: string;
  /** Reads the API key (keychain or OPENAI_API_KEY) at call time. */
  getApiKey: () => Promise<string | undefined>;
  /** Abort when the server sends nothing for this long. */
  idleTimeoutMs: number;
  fetch?: typeof fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** A tier served by OpenAI through the official `openai` package. */
export class OpenAiChatModel implements ChatModel {
  readonly provider = 'openai' as const;
  readonly modelId: string;
  readonly modelVersion: string;
  private readonly place: UpstreamPlace;

  constructor(private readonly options: OpenAiChatModelOptions) {
    this.modelId = options.model;
    this.modelVersion = options.model;
    this.place = { provider: 'openai', endpoint: options.baseUrl ?? OPENAI_BASE_URL };
  }

  async *stream(call: ModelCall, signal: AbortSignal): AsyncGenerator<ModelStreamPart> {
    const apiKey = await this.options.getApiKey();
    if (!apiKey) {
      throw new TriadError({
        code: 'not_configured',
        provider: 'openai',
        message: 'no OpenAI API key: set it in Settings (stored in the OS keychain) or in OPENAI_API_KEY',
      });
    }
    // Retries belong to the facade's policy, not to each client.
    // Loaded with the first OpenAI request, not with the app: OpenAI is off unless its flag is on.
    const { default: OpenAIClient } = await import('openai');
    const client = new OpenAIClient({ apiKey, baseURL: this.place.endpoint, maxRetries: 0, fetch: this.options.fetch });
    const idle = new IdleTimeout(this.options.idleTimeoutMs, signal, call.firstTokenTimeoutMs);
    const { max_tokens, ...params } = toOpenAiParams(call.params);
    yield* streamOpenAiChunks(
      () =>
        client.chat.completions.create(
          {
            model: this.options.model,
            messages: call.messages,
            stream: true,
            stream_options: { include_usage: true },
            ...params,
            ...(max_tokens !== undefined && { max_completion_tokens: max_tokens }),
          },
          { signal: idle.signal },
        ),
      { signal, idle, place: this.place, mapError: (error, timedOut) => this.mapError(OpenAIClient, error, timedOut) },
    );
  }

  private mapError(OpenAI: typeof OpenAIModule, error: unknown, timedOut: boolean): TriadError {
    if (TriadError.isInstance(error)) return error;
    if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
      return new TriadError({
        code: 'upstream_timeout',
        retryable: true,
        provider: 'openai',
        message: `${this.place.endpoint} sent nothing for ${this.options.idleTimeoutMs} ms`,
      });
    }
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      const detail = (error.error as { message?: string } | undefined)?.message ?? error.message;
      return httpStatusError(this.place, error.status, detail, parseRetryAfter(error.headers?.get('retry-after')));
    }
    if (error instanceof OpenAI.APIConnectionError) return unreachableError(this.place, error.cause ?? error);
    return badResponseError(this.place, error instanceof Error ? error.message : String(error));
  }
}
