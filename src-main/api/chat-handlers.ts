import { randomUUID } from 'node:crypto';
import { CHAT_LIMITS, type ChatMessage, type ChatRequestInput } from '../../src-shared/chat';
import type { Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { ChannelOutput, ChannelParsedInput } from '../../src-shared/ipc-contract';
import type { StreamPart } from '../../src-shared/stream-parts';
import type { TranscriptTurn as StoredTurn } from '../store/repositories';
import type { ApiContext, Caller } from './api-context';

/**
 * Request rows are written in batches off the response path; reads that need the latest answers wait for
 * them. If the store is away the entries are safe on disk and the read reports the store's own error.
 */
async function settleLog(context: ApiContext): Promise<void> {
  await context.services.requestLog.flush().catch(() => undefined);
}

/** Comparisons kept for voting; older ones can no longer be voted on. */
const MAX_OPEN_COMPARISONS = 200;
const comparisons = new WeakMap<ApiContext, Map<string, { prompt: string; requestIds: string[] }>>();

/** Starts one streamed answer and reports it to the status bar as it goes. */
function startStream(context: ApiContext, caller: Caller, request: ChatRequestInput & { requestId: string }): string {
  const streamId = randomUUID();
  let tier: Tier | undefined;
  let gotText = false;
  const sink = (part: StreamPart) => {
    if (part.type === 'response-metadata') {
      tier = part.tier;
      context.status.started(part.tier);
    } else if (part.type === 'text-delta' && !gotText && tier) {
      gotText = true;
      context.status.firstToken(tier);
    } else if (part.type === 'finish') {
      context.status.finished(part.metadata.tier, gotText);
    } else if (part.type === 'error') {
      context.status.failed(tier, part.error, gotText);
    }
    caller.emit('chat.part', { streamId, part });
  };
  void context.streams
    .run(streamId, caller.clientId, (signal) => context.services.facade.stream(request, { signal }), sink)
    .catch((error: unknown) => context.services.logger.error({ err: error, streamId }, 'stream pump failed'));
  return streamId;
}

/** The company a request is about: the one given, or the user's company context from Settings. */
async function companyFor(context: ApiContext, given: string | null | undefined): Promise<string | undefined> {
  if (given !== undefined) return given ?? undefined;
  return (await context.services.settings.get('session.companyContext')).company ?? undefined;
}

/** The completed exchanges of a conversation, newest kept when the whole does not fit a request. */
export function historyFrom(turns: StoredTurn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i]!;
    const next = turns[i + 1];
    if (turn.message.role === 'user' && next?.message.role === 'assistant' && next.message.content) {
      messages.push({ role: 'user', content: turn.message.content }, { role: 'assistant', content: next.message.content });
      i++;
    }
  }
  let budget = CHAT_LIMITS.maxRequestChars - CHAT_LIMITS.maxMessageChars;
  let start = messages.length;
  while (start >= 2 && budget - messages[start - 1]!.content.length - messages[start - 2]!.content.length >= 0 && messages.length - start < CHAT_LIMITS.maxMessages - 2) {
    budget -= messages[start - 1]!.content.length + messages[start - 2]!.content.length;
    start -= 2;
  }
  return messages.slice(start);
}

export async function chatStart(context: ApiContext, input: ChannelParsedInput<'chat.start'>, caller: Caller): Promise<ChannelOutput<'chat.start'>> {
  const company = await companyFor(context, input.company);
  let conversationId = input.conversationId;
  let history: ChatMessage[] = [];
  if (conversationId) {
    await settleLog(context);
    const turns = await context.services.store.conversations.transcript(conversationId, context.userId);
    if (turns.length === 0 && !(await context.services.store.conversations.listForUser(context.userId)).some((c) => c.id === conversationId)) {
      throw new TriadError({ code: 'validation_failed', message: `conversationId: no conversation ${conversationId} of yours` });
    }
    history = historyFrom(turns);
  } else {
    conversationId = (await context.services.store.conversations.create({ userId: context.userId, companySlug: company, title: input.prompt.slice(0, 80) })).id;
  }
  const requestId = randomUUID();
  const streamId = startStream(context, caller, {
    requestId,
    conversationId,
    messages: [...history, { role: 'user', content: input.prompt }],
    tier: input.tier,
    provider: input.provider,
    context: { userId: context.userId, company },
    priority: input.priority,
    params: input.params,
  });
  return { streamId, requestId, conversationId };
}

export async function compareStart(context: ApiContext, input: ChannelParsedInput<'compare.start'>, caller: Caller): Promise<ChannelOutput<'compare.start'>> {
  const company = await companyFor(context, input.company);
  const columns = input.tiers.map((tier) => {
    const requestId = randomUUID();
    const streamId = startStream(context, caller, {
      requestId,
      messages: [{ role: 'user', content: input.prompt }],
      tier,
      context: { userId: context.userId, company },
      priority: input.priority,
      params: input.params,
    });
    return { tier, streamId, requestId };
  });
  const comparisonId = randomUUID();
  const open = comparisons.get(context) ?? new Map();
  comparisons.set(context, open);
  open.set(comparisonId, { prompt: input.prompt, requestIds: columns.map((c) => c.requestId) });
  if (open.size > MAX_OPEN_COMPARISONS) open.delete(open.keys().next().value!);
  return { comparisonId, columns };
}

export async function compareVote(context: ApiContext, input: ChannelParsedInput<'compare.vote'>): Promise<ChannelOutput<'compare.vote'>> {
  const comparison = comparisons.get(context)?.get(input.comparisonId);
  if (!comparison) throw new TriadError({ code: 'validation_failed', message: `comparisonId: no open comparison ${input.comparisonId}` });
  if (input.winnerRequestId && !comparison.requestIds.includes(input.winnerRequestId)) {
    throw new TriadError({ code: 'validation_failed', message: 'winnerRequestId: not one of the compared answers' });
  }
  const preference = await context.services.store.preferences.save({
    id: input.comparisonId,
    userId: context.userId,
    prompt: comparison.prompt,
    requestIds: comparison.requestIds,
    verdict: input.verdict,
    winnerRequestId: input.winnerRequestId,
  });
  return { preferenceId: preference.id };
}

export async function feedbackSave(context: ApiContext, input: ChannelParsedInput<'feedback.save'>): Promise<ChannelOutput<'feedback.save'>> {
  await settleLog(context);
  const request = await context.services.store.requests.get(input.requestId);
  if (!request || request.userId !== context.userId) {
    throw new TriadError({ code: 'validation_failed', message: `requestId: no answer ${input.requestId} of yours` });
  }
  const saved = await context.services.store.feedback.save({ ...input, userId: context.userId });
  return { requestId: saved.requestId, thumbs: saved.thumbs, rating: saved.rating, comment: saved.comment, correctedAnswer: saved.correctedAnswer, updatedAt: saved.updatedAt.toISOString() };
}

export async function conversationsList(context: ApiContext): Promise<ChannelOutput<'conversations.list'>> {
  await settleLog(context);
  const conversations = await context.services.store.conversations.listForUser(context.userId);
  return conversations.map((c) => ({ id: c.id, title: c.title, company: c.companySlug, updatedAt: c.updatedAt.toISOString() }));
}

export async function conversationsTranscript(context: ApiContext, input: ChannelParsedInput<'conversations.transcript'>): Promise<ChannelOutput<'conversations.transcript'>> {
  await settleLog(context);
  const turns = await context.services.store.conversations.transcript(input.conversationId, context.userId);
  return turns.map(({ message, request, feedback }) => ({
    id: message.id,
    role: message.role,
    content: message.content,
    createdAt: message.createdAt.toISOString(),
    request: request && { ...request, errorCode: request.errorCode },
    feedback: feedback && {
      requestId: feedback.requestId,
      thumbs: feedback.thumbs,
      rating: feedback.rating,
      comment: feedback.comment,
      correctedAnswer: feedback.correctedAnswer,
      updatedAt: feedback.updatedAt.toISOString(),
    },
  }));
}
