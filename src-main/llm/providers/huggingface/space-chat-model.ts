import { InferenceClient, InferenceClientProviderApiError } from '@huggingface/inference';
import { TriadError } from '../../../../src-shared/errors';
import type { ChatModel, ModelCall, ModelStreamPart } from '../../chat-model';
import { IdleTimeout } from '../../idle-timeout';
import { streamOpenAiChunks, toOpenAiParams } from '../openai-chunks';
import {
  badResponseError,
  httpStatusError,
  networkErrorCode,
  parseRetryAfter,
  unreachableError,
  type UpstreamPlace,
} from '../../upstream-errors';

/** How to reach one tier's Hugging Face Space. */
export interface SpaceChatModelOptions {
  /** The Space's name on the Hub (`org/triad-company`), shown to users. */
  spaceName: string;
  /** The Space's base URL (`https://org-triad-company.hf.space`); the client appends `/v1/chat/completions`. */
  endpointUrl: string;
  /** The deployed model version recorded for this Space. */
  modelVersion: string;
  /** Reads the Hugging Face token (keychain or HF_TOKEN) at call time, so a new key applies at once. */
  getToken: () => Promise<string | undefined>;
  /** Abort when the Space sends nothing for this long. */
  idleTimeoutMs: number;
  /** Injected for tests and proxies. */
  fetch?: typeof fetch;
}

/**
 * A tier served by a Hugging Face Space exposing the OpenAI-compatible chat API (TGI or llama.cpp's server),
 * called through `@huggingface/inference` with `endpointUrl`.
 */
export class SpaceChatModel implements ChatModel {
  readonly provider = 'huggingface' as const;
  readonly modelId: string;
  readonly modelVersion: string;
  private readonly place: UpstreamPlace;

  constructor(private readonly options: SpaceChatModelOptions) {
    this.modelId = options.spaceName;
    this.modelVersion = options.modelVersion;
    this.place = { provider: 'huggingface', endpoint: options.endpointUrl };
  }

  async *stream(call: ModelCall, signal: AbortSignal): AsyncGenerator<ModelStreamPart> {
    const token = await this.options.getToken();
    const idle = new IdleTimeout(this.options.idleTimeoutMs, signal);
    // The client exposes neither response headers (Retry-After) nor a non-JSON error body: capture both.
    let lastHeaders: Headers | undefined;
    let lastFailure: { status: number; body: string } | undefined;
    const baseFetch = this.options.fetch ?? fetch;
    const client = new InferenceClient(token, {
      endpointUrl: this.options.endpointUrl,
      fetch: async (input, init) => {
        const response = await baseFetch(input, init);
        lastHeaders = response.headers;
        if (!response.ok) lastFailure = { status: response.status, body: await response.clone().text().catch(() => '') };
        return response;
      },
    });
    yield* streamOpenAiChunks(
      () =>
        client.chatCompletionStream(
          { messages: call.messages, ...toOpenAiParams(call.params), stream_options: { include_usage: true } },
          // retry_on_error: false — by default the client retries a 503 forever, and a sleeping Space answers 503.
          { signal: idle.signal, retry_on_error: false },
        ),
      { signal, idle, place: this.place, mapError: (error, timedOut) => this.mapError(error, timedOut, lastHeaders, lastFailure) },
    );
  }

  private mapError(error: unknown, timedOut: boolean, headers: Headers | undefined, failure?: { status: number; body: string }): TriadError {
    if (TriadError.isInstance(error)) return error;
    if (timedOut) {
      return new TriadError({
        code: 'upstream_timeout',
        retryable: true,
        provider: 'huggingface',
        message: `${this.options.endpointUrl} sent nothing for ${this.options.idleTimeoutMs} ms`,
      });
    }
    if (failure && !(error instanceof InferenceClientProviderApiError)) {
      // e.g. a 500 with a plain-text body, which the client fails to parse as JSON.
      return httpStatusError(this.place, failure.status, failure.body, parseRetryAfter(headers?.get('retry-after')));
    }
    if (error instanceof InferenceClientProviderApiError) {
      const status = error.httpResponse.status;
      if (status >= 400) {
        return httpStatusError(this.place, status, describeBody(error.httpResponse.body), parseRetryAfter(headers?.get('retry-after')));
      }
      return badResponseError(this.place, error.message);
    }
    if (networkErrorCode(error)) return unreachableError(this.place, error);
    if (error instanceof TypeError && error.message === 'fetch failed') return unreachableError(this.place, error);
    return badResponseError(this.place, error instanceof Error ? error.message : String(error));
  }
}

function describeBody(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const error = record.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      return (error as { message: string }).message;
    }
    if (typeof record.message === 'string') return record.message;
    return JSON.stringify(body);
  }
  return '';
}
