/**
 * The two answers of one eval item: the candidate and the serving version answer the same conversation at the
 * same time through the facade's providers (ChatModel), each timed from the request to its first token and to its
 * end. One side failing is recorded on that side (the other side's answer is kept); aborting stops both.
 */
import { randomBytes } from 'node:crypto';
import type { GenerationParams } from '../../src-shared/chat';
import { TriadError } from '../../src-shared/errors';
import type { ChatModel } from '../llm/chat-model';
import type { EvaluationAnswerRecord, EvaluationItem } from '../store/repositories';

/** A seed for a run's blind order: random, so nobody can guess which side is `a` from the run itself. */
export function newBlindSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

/**
 * The blind order of each item, drawn from `seed` (mulberry32): true = the candidate is answer `a`. The draw is
 * recorded on every item, so the seed itself need not be kept; a seeded draw makes a test's order repeatable.
 */
export function drawBlindOrder(seed: number, count: number): boolean[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return Array.from({ length: count }, () => next() < 0.5);
}

/** One side's answer, streamed: text deltas go to `onDelta` as they come. */
export async function answerOne(
  model: ChatModel,
  messages: EvaluationItem['messages'],
  params: GenerationParams,
  signal: AbortSignal,
  onDelta: (text: string) => void,
): Promise<EvaluationAnswerRecord> {
  const started = performance.now();
  let firstToken: number | null = null;
  let text = '';
  try {
    for await (const part of model.stream({ messages, params }, signal)) {
      if (part.type === 'text-delta' && part.text !== '') {
        firstToken ??= performance.now();
        text += part.text;
        onDelta(part.text);
      }
    }
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    return { text, error: null, timeToFirstTokenMs: firstToken === null ? null : round(firstToken - started), latencyMs: round(performance.now() - started) };
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = TriadError.isInstance(error) || error instanceof Error ? error.message : String(error);
    return { text, error: `${model.modelId} did not answer: ${reason}`, timeToFirstTokenMs: firstToken === null ? null : round(firstToken - started), latencyMs: round(performance.now() - started) };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
