import { describe, expect, it } from 'vitest';
import { StreamPartRouter } from '../../src-renderer/app/stream-part-router';
import { createChatStore } from '../../src-renderer/features/chat/chat-store';
import { createFeedbackStore } from '../../src-renderer/features/feedback/feedback-store';
import { FakeTriadClient, answerParts, ids, settle } from './support/fake-triad-client';

function setup() {
  const client = new FakeTriadClient()
    .handle('chat.start', () => ({ streamId: ids.stream, requestId: ids.request, conversationId: ids.conversation }))
    .handle('chat.cancel', () => ({ cancelled: true }))
    .handle('conversations.list', () => [{ id: ids.conversation, title: 'Hello', company: null, updatedAt: '2026-01-01T00:00:00.000Z' }]);
  const streams = new StreamPartRouter(client);
  const feedback = createFeedbackStore(client);
  const chat = createChatStore({ client, streams, feedback });
  return { client, streams, feedback, chat };
}

describe('the chat store', () => {
  it('sends nothing for a prompt over the limit and keeps the draft', async () => {
    const { client, chat } = setup();
    chat.getState().setDraft('y'.repeat(40_000));
    expect(await chat.getState().send()).toBe(false);
    expect(client.calls).toEqual([]);
    expect(chat.getState().draft).toHaveLength(40_000);
    expect(chat.getState().items).toEqual([]);
  });

  it('streams an answer into the conversation and refreshes the list when it ends', async () => {
    const { client, streams, chat } = setup();
    chat.getState().setPick('openai');
    chat.getState().setDraft('  What is our churn?  ');
    await chat.getState().send();
    expect(client.callsTo('chat.start')).toEqual([{ prompt: 'What is our churn?', tier: 'auto', provider: 'openai' }]);
    expect(chat.getState()).toMatchObject({ conversationId: ids.conversation, draft: '', streaming: { streamId: ids.stream } });

    for (const part of answerParts(ids.request, ['Churn ', 'is 3%.'])) client.part(ids.stream, part);
    streams.flush();
    const [prompt, answer] = chat.getState().items;
    expect(prompt).toMatchObject({ kind: 'prompt', text: 'What is our churn?' });
    expect(answer).toMatchObject({ kind: 'answer', picked: 'openai', answer: { status: 'done', text: 'Churn is 3%.', requestId: ids.request } });
    expect(chat.getState().streaming).toBeNull();
    await settle();
    expect(chat.getState().conversations).toHaveLength(1);

    chat.getState().setDraft('And next quarter?');
    await chat.getState().send();
    expect(client.callsTo('chat.start')[1]).toMatchObject({ conversationId: ids.conversation, prompt: 'And next quarter?' });
  });

  it('cancels as soon as the stream id is known when Stop came first', async () => {
    const { client, chat } = setup();
    let answerStart!: () => void;
    client.handle('chat.start', () => new Promise((resolve) => (answerStart = () => resolve({ streamId: ids.stream, requestId: ids.request, conversationId: ids.conversation }))));
    chat.getState().setDraft('long question');
    const sending = chat.getState().send();
    await settle();
    chat.getState().stop();
    answerStart();
    await sending;
    expect(client.callsTo('chat.cancel')).toEqual([{ streamId: ids.stream }]);
  });

  it('shows a refused start as a failed answer with the main process message', async () => {
    const { client, chat } = setup();
    client.refuse('chat.start', { code: 'tier_disabled', message: "tier 'company' is turned off" });
    chat.getState().setPick('company');
    chat.getState().setDraft('hi');
    await chat.getState().send();
    expect(chat.getState().items[1]).toMatchObject({ answer: { status: 'failed', error: { code: 'tier_disabled', message: "tier 'company' is turned off" } } });
    expect(chat.getState().streaming).toBeNull();
  });

  it('reopens a conversation with its metadata and saved feedback', async () => {
    const { client, chat, feedback } = setup();
    const request = {
      id: ids.request,
      tier: 'company' as const,
      provider: 'local' as const,
      modelId: 'tiny.gguf',
      modelVersion: 'q4',
      routingReason: 'company context',
      status: 'ok' as const,
      errorCode: null,
      errorMessage: null,
      finishReason: 'stop' as const,
      ttftMs: 10,
      latencyMs: 200,
      tokensIn: 3,
      tokensOut: 4,
      routeAttempts: [],
      cacheHit: false,
    };
    const saved = { requestId: ids.request, thumbs: 1 as const, rating: 4, comment: 'good', correctedAnswer: null, updatedAt: '2026-01-01T00:00:00.000Z' };
    client.handle('conversations.transcript', () => [
      { id: ids.stream, role: 'user', content: 'Q', createdAt: '2026-01-01T00:00:00.000Z', request, feedback: null },
      { id: ids.stream2, role: 'assistant', content: 'A', createdAt: '2026-01-01T00:00:01.000Z', request, feedback: saved },
    ]);
    await chat.getState().openConversation(ids.conversation);
    expect(chat.getState().items).toMatchObject([
      { kind: 'prompt', text: 'Q' },
      { kind: 'answer', answer: { status: 'done', text: 'A', routing: { tier: 'company' }, metrics: { latencyMs: 200 } } },
    ]);
    expect(feedback.getState().byRequest[ids.request]).toEqual(saved);
  });
});
