export { createTestDatabase, testPostgresUrl, type TestDatabase } from '../support/postgres-database';
import { randomUUID } from 'node:crypto';
import type { RequestLogEntry } from '../../src-main/store/repositories';

/** A complete, successful request log entry; override what the test is about. */
export function makeEntry(overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  const createdAt = overrides.createdAt ?? new Date('2030-01-01T12:00:00.000Z');
  return {
    id: randomUUID(),
    conversationId: null,
    userId: null,
    companySlug: null,
    requestedTier: 'auto',
    tier: 'base',
    provider: 'local',
    modelId: 'llama-2-tiny-random',
    modelVersion: '1',
    routingReason: 'auto: general question',
    status: 'ok',
    errorCode: null,
    errorMessage: null,
    finishReason: 'stop',
    ttftMs: 12.5,
    latencyMs: 250.25,
    tokensIn: 10,
    tokensOut: 20,
    createdAt,
    completedAt: new Date(createdAt.getTime() + 250),
    prompt: { id: randomUUID(), content: 'What is the capital of France?' },
    answer: { id: randomUUID(), content: 'Paris.' },
    routeAttempts: [{ target: 'local model llama-2-tiny-random', provider: 'local', outcome: 'served', reason: 'answered', tries: 1 }],
    cacheHit: false,
    ...overrides,
  };
}

/** Runs `work` and returns what it threw (failing when it did not throw). */
export async function thrownBy(work: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await work();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to throw, but it resolved');
}
