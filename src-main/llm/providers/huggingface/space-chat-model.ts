import { chatCompletionStream, InferenceClientProviderApiError } from '@huggingface/inference';
import { TriadError } from '../../../../src-shared/errors';
import { isHttpsOrLoopback, plainHttpRefusal, SPACE_HTTPS_REASON } from '../../../../src-shared/secure-url';
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
  /**
   * Reads the Hugging Face token (keychain or HF_TOKEN) at call time, so a new key applies at once. When there is
   * none, or it cannot be read (no keychain), the Space is called without one: a public Space needs none.
   */
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
    // Checked here too, not only when Settings saves the Space: a row written elsewhere (the team's Supabase, SQL)
    // must not send the token and the prompt in the clear. not_configured: the route moves on to its next target.
    if (!isHttpsOrLoopback(this.options.endpointUrl)) {
      throw new TriadError({
        code: 'not_configured',
        provider: 'huggingface',
        message: `Space ${this.options.spaceName} was not called at ${this.options.endpointUrl}: ${plainHttpRefusal(this.options.endpointUrl, SPACE_HTTPS_REASON)} in Settings → Spaces`,
      });
    }
    const credential = await this.readToken();
    const token = credential.token;
    const idle = new IdleTimeout(this.options.idleTimeoutMs, signal, call.firstTokenTimeoutMs);
    // The client exposes neither response headers (Retry-After) nor a non-JSON error body: capture both.
    let lastHeaders: Headers | undefined;
    let lastFailure: { status: number; body: string } | undefined;
    const baseFetch = this.options.fetch ?? fetch;
    const captureFailure: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, init);
      lastHeaders = response.headers;
      if (!response.ok) lastFailure = { status: response.status, body: await response.clone().text().catch(() => '') };
      return response;
    };
    yield* streamOpenAiChunks(
      () =>
        // The task function itself, not an InferenceClient: the client's constructor defines a property per
        // task (about 70), which cost more CPU per answer than the rest of this method.
        chatCompletionStream(
          { endpointUrl: this.options.endpointUrl, accessToken: token, messages: call.messages, ...toOpenAiParams(call.params), stream_options: { include_usage: true } },
          // retry_on_error: false — by default the client retries a 503 forever, and a sleeping Space answers 503.
          { fetch: captureFailure, signal: idle.signal, retry_on_error: false },
        ),
      { signal, idle, place: this.place, mapError: (error, timedOut) => withTokenHint(this.mapError(error, timedOut, lastHeaders, lastFailure), lastFailure?.status, credential) },
    );
  }

  /** The token, or why there is none; never throws (a Space is called without a token rather than not at all). */
  private async readToken(): Promise<SpaceCredential> {
    try {
      const token = await this.options.getToken();
      return token ? { token } : { missing: 'none is set' };
    } catch (error) {
      return { missing: `none could be read: ${error instanceof Error ? error.message : String(error)}` };
    }
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

/** The token a Space was called with, or why it was called without one. */
type SpaceCredential = { token: string; missing?: undefined } | { token?: undefined; missing: string };

const AUTH_STATUSES = new Set([401, 403, 404]);

/**
 * A private Space answers 401, 403 or (to hide that it exists) 404 to a caller it does not know: the error then
 * says what to do about the token, so the attempt's reason is actionable.
 */
function withTokenHint(error: TriadError, status: number | undefined, credential: SpaceCredential): TriadError {
  if (status === undefined || !AUTH_STATUSES.has(status)) return error;
  const hint =
    credential.token === undefined
      ? `A private Space needs a Hugging Face token, and it was called without one (${credential.missing.replace(/\.$/, '')}): set one in Settings → API keys, or HF_TOKEN`
      : status === 404
        ? 'No Space answers at this URL, or the Hugging Face token cannot see it: check the URL in Settings → Spaces and the token in Settings → API keys (or HF_TOKEN)'
        : 'The Hugging Face token was refused: check that it may read this Space (Settings → API keys, or HF_TOKEN)';
  return new TriadError({ ...error.toShape(), message: `${error.message}. ${hint}` }, { cause: error });
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
