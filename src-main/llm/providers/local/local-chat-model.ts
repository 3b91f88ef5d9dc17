import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatMessage } from '../../../../src-shared/chat';
import { TriadError } from '../../../../src-shared/errors';
import { AsyncQueue } from '../../async-queue';
import type { ChatModel, ModelCall, ModelStreamPart } from '../../chat-model';
import type { LlamaModelPool } from './llama-model-pool';

/** A tier answered by a GGUF model running in this process. */
export class LocalChatModel implements ChatModel {
  readonly provider = 'local' as const;
  readonly modelId: string;
  readonly modelVersion: string;

  /**
   * @param resolveModelPath finds the GGUF at call time (setting, TRIAD_MODEL_PATH or the downloaded
   *   default), so a missing file is reported for the request that needs it.
   */
  constructor(
    private readonly pool: LlamaModelPool,
    private readonly modelName: string,
    private readonly resolveModelPath: () => Promise<string>,
  ) {
    this.modelId = modelName;
    this.modelVersion = modelName;
  }

  async *stream(call: ModelCall, signal: AbortSignal): AsyncGenerator<ModelStreamPart> {
    const modelPath = await this.resolveModelPath();
    // Aborted when the caller aborts or stops reading, so generation never outlives its consumer.
    const generation = new AbortController();
    const onCallerAbort = () => generation.abort();
    signal.addEventListener('abort', onCallerAbort, { once: true });
    if (signal.aborted) generation.abort();
    // node-llama-cpp loads with the first local request, not with the app (see llama-model-pool.ts).
    const { LlamaChatSession } = await import('node-llama-cpp');
    const lease = await this.pool.acquire(modelPath, signal);
    const { history, prompt } = toChatHistory(call.messages);
    const session = new LlamaChatSession({ contextSequence: lease.sequence, chatWrapper: lease.chatWrapper, autoDisposeSequence: false });
    session.setChatHistory(history);
    const meterBefore = lease.sequence.tokenMeter.getState();
    const queue = new AsyncQueue<ModelStreamPart>();
    const finish = (reason: 'stop' | 'length' | 'aborted') => {
      const meter = lease.sequence.tokenMeter.getState();
      queue.push({
        type: 'finish',
        finishReason: generation.signal.aborted ? 'aborted' : reason,
        usage: {
          inputTokens: meter.usedInputTokens - meterBefore.usedInputTokens,
          outputTokens: meter.usedOutputTokens - meterBefore.usedOutputTokens,
        },
      });
      queue.end();
    };
    const done = session
      .promptWithMeta(prompt, {
        signal: generation.signal,
        stopOnAbortSignal: true,
        maxTokens: call.params.maxTokens ?? 1024,
        temperature: call.params.temperature,
        topP: call.params.topP,
        seed: call.params.seed,
        customStopTriggers: call.params.stop,
        onTextChunk: (text) => queue.push({ type: 'text-delta', text }),
      })
      .then(
        (result) => finish(result.stopReason === 'maxTokens' ? 'length' : 'stop'),
        (error: unknown) => {
          // node-llama-cpp throws instead of stopping when the signal was aborted before generation began.
          if (generation.signal.aborted) return finish('aborted');
          queue.fail(
            new TriadError(
              { code: 'internal', provider: 'local', message: `local generation failed: ${error instanceof Error ? error.message : String(error)}` },
              { cause: error },
            ),
          );
        },
      );
    try {
      yield* queue;
    } finally {
      generation.abort();
      signal.removeEventListener('abort', onCallerAbort);
      await done;
      session.dispose({ disposeSequence: false });
      await lease.release();
    }
  }
}

/** Splits messages into node-llama-cpp's history and the final user prompt. */
function toChatHistory(messages: ChatMessage[]): { history: ChatHistoryItem[]; prompt: string } {
  const prompt = messages.at(-1)?.content ?? '';
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const history: ChatHistoryItem[] = system.length > 0 ? [{ type: 'system', text: system.join('\n\n') }] : [];
  for (const message of messages.slice(0, -1)) {
    if (message.role === 'user') history.push({ type: 'user', text: message.content });
    else if (message.role === 'assistant') history.push({ type: 'model', response: [message.content] });
  }
  return { history, prompt };
}
