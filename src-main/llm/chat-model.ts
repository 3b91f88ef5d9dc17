import type { ChatMessage, GenerationParams } from '../../src-shared/chat';
import type { Provider } from '../../src-shared/domain';
import type { RouteAttempt } from '../../src-shared/routing';
import type { FinishReason, StreamPart } from '../../src-shared/stream-parts';

/** What a provider streams back: text, then exactly one finish. Failures are thrown as TriadErrors. */
export type ModelStreamPart =
  | { type: 'text-delta'; text: string }
  /** Emitted by the route executor, not by providers: a retry, a fallback, a Space waking, a continuation. */
  | Extract<StreamPart, { type: 'route' }>
  | {
      type: 'finish';
      finishReason: FinishReason;
      /** Token counts when the provider reports them. */
      usage?: { inputTokens: number; outputTokens: number };
      /** The model version the provider reports, when it reports one (OpenAI's dated model name). */
      modelVersion?: string;
      /** Set by the route executor: the target that finished the answer. */
      servedBy?: { provider: Provider; modelId: string; modelVersion: string };
      /** Set by the route executor: every target tried. */
      attempts?: RouteAttempt[];
    };

/** One call to a model: the prompt as messages and the sampling settings. */
export interface ModelCall {
  messages: ChatMessage[];
  params: GenerationParams;
  /**
   * How long a remote model may take to send its first text before the call fails with a retryable
   * `upstream_timeout`; absent = only the idle limit applies. A local model ignores it: its first token waits
   * for the model to load, however long that takes.
   */
  firstTokenTimeoutMs?: number;
}

/**
 * The one interface every provider implements. `stream` must stop promptly when `signal` aborts and then
 * end with a finish part whose reason is `aborted` (or throw the abort), never hang.
 */
export interface ChatModel {
  readonly provider: Provider;
  /** The model's id: GGUF name, Space name or OpenAI model name. */
  readonly modelId: string;
  /** The version as configured; a provider may report a more precise one in its finish part. */
  readonly modelVersion: string;
  stream(call: ModelCall, signal: AbortSignal): AsyncIterable<ModelStreamPart>;
}
