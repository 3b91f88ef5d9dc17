import type { SecretStore } from '../secrets/secret-store';
import type { ChatModel } from './chat-model';
import type { ModelTarget } from './model-target';
import { SpaceChatModel } from './providers/huggingface/space-chat-model';
import type { LlamaModelPool } from './providers/local/llama-model-pool';
import { LocalChatModel } from './providers/local/local-chat-model';
import type { LocalModelFiles } from './providers/local/local-model-files';
import { OpenAiChatModel } from './providers/openai/openai-chat-model';

/** What the providers need from the rest of the app. */
export interface ChatModelFactoryDeps {
  pool: LlamaModelPool;
  localFiles: LocalModelFiles;
  secrets: SecretStore;
  /** Injected for tests and proxies; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/**
 * Builds the model for a target. Models are cheap wrappers (the local pool keeps loaded GGUFs), so one is
 * built per request and always reflects the current settings and keys.
 */
export class ChatModelFactory {
  constructor(private readonly deps: ChatModelFactoryDeps) {}

  create(target: ModelTarget, options: { idleTimeoutMs: number }): ChatModel {
    switch (target.provider) {
      case 'local':
        return new LocalChatModel(this.deps.pool, this.deps.localFiles.displayName(target.modelPath), () =>
          this.deps.localFiles.resolve(target.modelPath),
        );
      case 'huggingface':
        return new SpaceChatModel({
          spaceName: target.spaceName,
          endpointUrl: target.endpointUrl,
          modelVersion: target.modelVersion,
          getToken: () => this.deps.secrets.get('huggingface-token'),
          idleTimeoutMs: options.idleTimeoutMs,
          fetch: this.deps.fetch,
        });
      case 'openai':
        return new OpenAiChatModel({
          model: target.model,
          baseUrl: target.baseUrl,
          getApiKey: () => this.deps.secrets.get('openai-api-key'),
          idleTimeoutMs: options.idleTimeoutMs,
          fetch: this.deps.fetch,
        });
    }
  }
}
