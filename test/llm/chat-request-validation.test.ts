import { describe, expect, it } from 'vitest';
import { CHAT_LIMITS, ChatRequestSchema, parseChatRequest } from '../../src-shared/chat';

const USER = '7b0e2f0a-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const REQUEST = '0f8e2a51-9c3b-4d7e-b1a2-3c4d5e6f7a8b';

/** A valid request of the usual shape, as the UI and the CLI send it. */
function base(): Record<string, unknown> {
  return { requestId: REQUEST, messages: [{ role: 'user', content: 'What changed in Q3?' }], context: { userId: USER } };
}

/** Valid requests, and one-field changes of them that zod refuses or accepts, to compare both checks on. */
const cases: Array<[string, unknown]> = [
  ['the usual request', base()],
  ['every optional field set', { ...base(), conversationId: REQUEST, tier: 'company', provider: 'openai', priority: 'fast', cache: 'bypass', context: { userId: USER, company: 'acme-co' }, params: { maxTokens: 64, temperature: 0.2, topP: 0.9, stop: ['\n\n'], seed: 7 } }],
  ['a conversation of three turns', { ...base(), messages: [{ role: 'system', content: 's' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'u' }] }],
  ['requestId present but undefined', { ...base(), requestId: undefined }],
  ['params empty', { ...base(), params: {} }],
  ['params with an undefined field', { ...base(), params: { temperature: undefined } }],
  ['company undefined', { ...base(), context: { userId: USER, company: undefined } }],
  ['not an object', 'hello'],
  ['null', null],
  ['an array', [base()]],
  ['an unknown field', { ...base(), stream: true }],
  ['no messages', { ...base(), messages: [] }],
  ['messages not an array', { ...base(), messages: { role: 'user', content: 'x' } }],
  ['too many messages', { ...base(), messages: Array.from({ length: CHAT_LIMITS.maxMessages + 1 }, () => ({ role: 'user', content: 'x' })) }],
  ['the last message from the assistant', { ...base(), messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }],
  ['an empty message', { ...base(), messages: [{ role: 'user', content: '' }] }],
  ['a message over the limit', { ...base(), messages: [{ role: 'user', content: 'x'.repeat(CHAT_LIMITS.maxMessageChars + 1) }] }],
  ['a message at the limit', { ...base(), messages: [{ role: 'user', content: 'x'.repeat(CHAT_LIMITS.maxMessageChars) }] }],
  ['messages over the total limit', { ...base(), messages: Array.from({ length: 5 }, () => ({ role: 'user', content: 'x'.repeat(CHAT_LIMITS.maxMessageChars) })) }],
  ['an unknown role', { ...base(), messages: [{ role: 'tool', content: 'x' }] }],
  ['a message with an extra field', { ...base(), messages: [{ role: 'user', content: 'x', name: 'bob' }] }],
  ['content not a string', { ...base(), messages: [{ role: 'user', content: 42 }] }],
  ['a requestId that is no UUID', { ...base(), requestId: 'not-a-uuid' }],
  ['a requestId of the wrong variant', { ...base(), requestId: '0f8e2a51-9c3b-4d7e-71a2-3c4d5e6f7a8b' }],
  ['a conversationId that is a number', { ...base(), conversationId: 5 }],
  ['an unknown tier', { ...base(), tier: 'premium' }],
  ['tier auto', { ...base(), tier: 'auto' }],
  ['an unknown provider', { ...base(), provider: 'anthropic' }],
  ['an unknown priority', { ...base(), priority: 'urgent' }],
  ['an unknown cache mode', { ...base(), cache: 'refresh' }],
  ['no context', { ...base(), context: undefined }],
  ['a userId that is no UUID', { ...base(), context: { userId: 'alice' } }],
  ['a context with an extra field', { ...base(), context: { userId: USER, role: 'admin' } }],
  ['a company that is no slug', { ...base(), context: { userId: USER, company: 'Acme Co' } }],
  ['maxTokens zero', { ...base(), params: { maxTokens: 0 } }],
  ['maxTokens over the limit', { ...base(), params: { maxTokens: CHAT_LIMITS.maxOutputTokens + 1 } }],
  ['maxTokens a fraction', { ...base(), params: { maxTokens: 1.5 } }],
  ['temperature too high', { ...base(), params: { temperature: 2.5 } }],
  ['temperature NaN', { ...base(), params: { temperature: Number.NaN } }],
  ['topP zero', { ...base(), params: { topP: 0 } }],
  ['topP one', { ...base(), params: { topP: 1 } }],
  ['five stop sequences', { ...base(), params: { stop: ['a', 'b', 'c', 'd', 'e'] } }],
  ['an empty stop sequence', { ...base(), params: { stop: [''] } }],
  ['a seed that is a string', { ...base(), params: { seed: '7' } }],
  ['an unknown param', { ...base(), params: { frequencyPenalty: 1 } }],
  ['a class instance as the request', Object.assign(new (class Request {})(), base())],
  ['a message inheriting its fields', { ...base(), messages: [Object.create({ role: 'user', content: 'x' }) as object] }],
];

describe('parseChatRequest', () => {
  it.each(cases)('decides %s exactly as ChatRequestSchema does, with the same output or the same message', (_name, input) => {
    const fast = parseChatRequest(input);
    const zod = ChatRequestSchema.safeParse(input);
    expect(fast.success).toBe(zod.success);
    if (fast.success && zod.success) expect(fast.data).toStrictEqual(zod.data);
    else expect(fast.error?.issues).toEqual(zod.error?.issues);
  });

  it('returns copies: changing the caller\'s request afterwards changes nothing validated', () => {
    const input = { ...base(), params: { stop: ['END'] } } as { messages: Array<{ content: string }>; params: { stop: string[] } };
    const parsed = parseChatRequest(input);
    input.messages[0]!.content = 'changed';
    input.params.stop.push('MORE');
    expect(parsed.success && parsed.data.messages[0]!.content).toBe('What changed in Q3?');
    expect(parsed.success && parsed.data.params.stop).toEqual(['END']);
  });
});
