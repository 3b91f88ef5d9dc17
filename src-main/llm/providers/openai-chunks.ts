import type { GenerationParams } from '../../../src-shared/chat';
import { TriadError } from '../../../src-shared/errors';
import type { IdleTimeout } from '../idle-timeout';
import { badResponseError, type UpstreamPlace } from '../upstream-errors';
import type { FinishReason } from '../../../src-shared/stream-parts';
import type { ModelStreamPart } from '../chat-model';

/** The fields Triad reads from an OpenAI-style `chat.completion.chunk` (OpenAI, TGI and llama.cpp's server all send these). */
export interface OpenAiStyleChunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/**
 * Turns a stream of OpenAI-style chunks into model parts. The finish part is held back until the stream
 * ends, because the usage chunk arrives after the chunk carrying `finish_reason`.
 */
export class OpenAiChunkReader {
  private finishReason: FinishReason | undefined;
  private usage: { inputTokens: number; outputTokens: number } | undefined;
  private modelVersion: string | undefined;

  /**
   * The text one chunk carries ('' for none). Triad asks for one choice, so the text of several (which no
   * upstream sends it) is joined; one string per chunk spares an array and an async hop per part.
   */
  read(chunk: OpenAiStyleChunk): string {
    if (chunk.model) this.modelVersion = chunk.model;
    if (chunk.usage && typeof chunk.usage.prompt_tokens === 'number' && typeof chunk.usage.completion_tokens === 'number') {
      this.usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    }
    let text = '';
    const choices = chunk.choices;
    if (!choices) return text;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i]!;
      const content = choice.delta?.content;
      if (content) text += content;
      if (choice.finish_reason) this.finishReason = mapFinishReason(choice.finish_reason);
    }
    return text;
  }

  /** The finish part, or undefined when the upstream never said it had finished (a cut stream). */
  finish(): ModelStreamPart | undefined {
    if (!this.finishReason) return undefined;
    return { type: 'finish', finishReason: this.finishReason, usage: this.usage, modelVersion: this.modelVersion };
  }
}

function mapFinishReason(reason: string): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  return 'stop';
}

/** Sampling settings in OpenAI's wire names. */
export function toOpenAiParams(params: GenerationParams) {
  return {
    ...(params.maxTokens !== undefined && { max_tokens: params.maxTokens }),
    ...(params.temperature !== undefined && { temperature: params.temperature }),
    ...(params.topP !== undefined && { top_p: params.topP }),
    ...(params.stop !== undefined && { stop: params.stop }),
    ...(params.seed !== undefined && { seed: params.seed }),
  };
}

/**
 * Streams an OpenAI-style chunk stream as model parts, for every client that produces one (the Hugging Face
 * client for Spaces, the openai client). Ends with the finish part; a caller's abort ends with an `aborted`
 * finish; silence beyond the idle limit, a failure, or a stream with no finish_reason throws.
 */
export async function* streamOpenAiChunks(
  openChunks: () => Promise<AsyncIterable<OpenAiStyleChunk>> | AsyncIterable<OpenAiStyleChunk>,
  options: { signal: AbortSignal; idle: IdleTimeout; place: UpstreamPlace; mapError: (error: unknown, timedOut: boolean) => TriadError },
): AsyncGenerator<ModelStreamPart> {
  const { signal, idle, place, mapError } = options;
  const reader = new OpenAiChunkReader();
  try {
    for await (const chunk of await openChunks()) {
      idle.touch();
      const text = reader.read(chunk);
      if (text) {
        idle.textArrived();
        yield { type: 'text-delta', text };
      }
    }
  } catch (error) {
    if (signal.aborted) {
      yield { type: 'finish', finishReason: 'aborted' };
      return;
    }
    if (idle.noFirstText) throw noFirstTextError(place, idle.firstTextMs!);
    throw mapError(error, idle.timedOut);
  } finally {
    idle.clear();
  }
  // A client may end its iterator quietly on abort instead of throwing: check why it ended.
  if (signal.aborted) {
    yield { type: 'finish', finishReason: 'aborted' };
    return;
  }
  if (idle.noFirstText) throw noFirstTextError(place, idle.firstTextMs!);
  if (idle.timedOut) throw mapError(new DOMException('idle timeout', 'TimeoutError'), true);
  const finish = reader.finish();
  if (!finish) throw badResponseError(place, 'the stream ended before the answer finished (no finish_reason)');
  yield finish;
}

/** The route's first-token limit passed without any text: retryable, as a slow start often is elsewhere. */
function noFirstTextError(place: UpstreamPlace, ms: number): TriadError {
  return new TriadError({ code: 'upstream_timeout', retryable: true, provider: place.provider, message: `${place.endpoint} gave no first token within ${Math.round(ms)} ms` });
}
