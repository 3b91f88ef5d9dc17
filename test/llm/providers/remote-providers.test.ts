import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TriadError } from '../../../src-shared/errors';
import type { ChatModel, ModelStreamPart } from '../../../src-main/llm/chat-model';
import { SpaceChatModel } from '../../../src-main/llm/providers/huggingface/space-chat-model';
import { OpenAiChatModel } from '../../../src-main/llm/providers/openai/openai-chat-model';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../support/openai-compatible-server';

const HF_TOKEN = 'hf_testTokenABCDEFGHIJKLMNOPQRSTUV';
const OPENAI_KEY = 'sk-test-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

let server: OpenAiCompatibleServer;
beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const call = { messages: [{ role: 'user' as const, content: 'Hi there' }], params: { maxTokens: 32, temperature: 0.2 } };

async function collect(model: ChatModel, signal = new AbortController().signal): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of model.stream(call, signal)) parts.push(part);
  return parts;
}

async function failure(model: ChatModel): Promise<TriadError> {
  try {
    await collect(model);
  } catch (error) {
    if (TriadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

interface ProviderCase {
  name: string;
  secret: string;
  make(url: string, options?: { idleTimeoutMs?: number }): ChatModel;
  maxTokensField: string;
}

const PROVIDERS: ProviderCase[] = [
  {
    name: 'huggingface (Space via @huggingface/inference)',
    secret: HF_TOKEN,
    maxTokensField: 'max_tokens',
    make: (url, options) =>
      new SpaceChatModel({
        spaceName: 'acme/triad-base',
        endpointUrl: url,
        modelVersion: 'v7',
        getToken: async () => HF_TOKEN,
        idleTimeoutMs: options?.idleTimeoutMs ?? 5_000,
      }),
  },
  {
    name: 'openai (official client)',
    secret: OPENAI_KEY,
    maxTokensField: 'max_completion_tokens',
    make: (url, options) =>
      new OpenAiChatModel({ model: 'gpt-4.1-mini', baseUrl: `${url}/v1`, getApiKey: async () => OPENAI_KEY, idleTimeoutMs: options?.idleTimeoutMs ?? 5_000 }),
  },
];

describe.each(PROVIDERS)('$name', (provider) => {
  it('streams the text in order and finishes with usage and the reported model version', async () => {
    server.reply({ kind: 'stream', chunks: ['The', ' answer', ' is', ' 42'], usage: { prompt_tokens: 11, completion_tokens: 4 }, model: 'served-model-v3' });
    const parts = await collect(provider.make(server.url));
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['The', ' answer', ' is', ' 42']);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 11, outputTokens: 4 }, modelVersion: 'served-model-v3' });
  });

  it('sends the key as a bearer header, streams, and passes the sampling settings', async () => {
    server.reply({ kind: 'stream', chunks: ['ok'] });
    await collect(provider.make(server.url));
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(`Bearer ${provider.secret}`);
    expect(request!.body).toMatchObject({ stream: true, messages: call.messages, temperature: 0.2, [provider.maxTokensField]: 32 });
  });

  it('reports a length finish when the model ran out of tokens', async () => {
    server.reply({ kind: 'stream', chunks: ['partial'], finishReason: 'length' });
    const parts = await collect(provider.make(server.url));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
  });

  it.each([
    [400, 'upstream_rejected', false],
    [401, 'upstream_auth_failed', false],
    [404, 'upstream_rejected', false],
    [500, 'upstream_error', true],
    [502, 'upstream_error', true],
    [503, 'upstream_unavailable', true],
  ] as const)('maps HTTP %i to %s (retryable: %s) naming the endpoint, without retrying', async (status, code, retryable) => {
    server.reply({ kind: 'status', status, body: { error: { message: `upstream says ${status}` } } });
    const error = await failure(provider.make(server.url));
    expect(error.toShape()).toMatchObject({ code, retryable });
    expect(error.message).toContain(server.url);
    expect(error.message).toContain(String(status));
    expect(server.requests).toHaveLength(1);
  });

  it('passes on how long a 429 asked to wait', async () => {
    server.reply({ kind: 'status', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '7' } });
    const error = await failure(provider.make(server.url));
    expect(error.toShape()).toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterMs: 7_000 });
  });

  it('reports a refused connection as unreachable, naming the endpoint', async () => {
    const error = await failure(provider.make('http://127.0.0.1:9'));
    expect(error.code).toBe('upstream_unreachable');
    expect(error.message).toContain('127.0.0.1:9');
  });

  it('treats a stream that ends without a finish as an error, not a success', async () => {
    server.reply({ kind: 'stream', chunks: ['half an'], finishReason: null });
    const error = await failure(provider.make(server.url));
    expect(error.code).toBe('upstream_bad_response');
  });

  it('treats a connection cut mid-answer as an error', async () => {
    server.reply({ kind: 'cut', chunks: ['first words'] });
    const error = await failure(provider.make(server.url));
    expect(['upstream_bad_response', 'upstream_unreachable']).toContain(error.code);
  });

  it('times out when the upstream goes silent', async () => {
    server.reply({ kind: 'stream', chunks: ['slow'], delayMs: 1_500 });
    const error = await failure(provider.make(server.url, { idleTimeoutMs: 300 }));
    expect(error.code).toBe('upstream_timeout');
  });

  it('stops promptly when aborted and finishes as aborted', async () => {
    server.reply({ kind: 'stream', chunks: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 50 });
    const controller = new AbortController();
    const parts: ModelStreamPart[] = [];
    const started = Date.now();
    for await (const part of provider.make(server.url).stream(call, controller.signal)) {
      parts.push(part);
      if (parts.length === 3) controller.abort();
    }
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'aborted' });
  });
});

it('openai: asks for a key instead of calling out without one', async () => {
  const model = new OpenAiChatModel({ model: 'gpt-4.1-mini', baseUrl: `${server.url}/v1`, getApiKey: async () => undefined, idleTimeoutMs: 1_000 });
  const error = await failure(model);
  expect(error.code).toBe('not_configured');
  expect(server.requests).toHaveLength(0);
});
