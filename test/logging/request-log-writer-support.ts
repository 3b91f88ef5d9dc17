import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RequestLogWriter, RequestLogWriterLogger } from '../../src-main/logging/request-log-writer';
import type { RequestLogEntry, RequestLogRepository, TriadStore } from '../../src-main/store/repositories';
import { makeEntry } from '../store/support';

/** One call of the writer's logger. */
export interface LoggedLine {
  level: 'warn' | 'error';
  object: Record<string, unknown>;
  message: string | undefined;
}

/** A logger that keeps what it is told. */
export function recordingLogger(): { logger: RequestLogWriterLogger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  return {
    lines,
    logger: {
      warn: (object, message) => lines.push({ level: 'warn', object: object as Record<string, unknown>, message }),
      error: (object, message) => lines.push({ level: 'error', object: object as Record<string, unknown>, message }),
    },
  };
}

/** A fresh queue folder under the system temp folder. */
export function tempQueueDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'triad-log-queue-')), 'queue');
}

/**
 * `count` entries of one conversation by one user, created a millisecond apart so that their order is
 * visible. The conversation lets a test read every message written for them through the store's own API.
 */
export function makeEntries(count: number, owner: { userId: string; conversationId?: string }): RequestLogEntry[] {
  const conversationId = owner.conversationId ?? randomUUID();
  const start = Date.parse('2031-03-01T08:00:00.000Z');
  return Array.from({ length: count }, (_, i) =>
    makeEntry({ userId: owner.userId, conversationId, createdAt: new Date(start + i), prompt: { id: randomUUID(), content: `question ${i}` } }),
  );
}

/**
 * The store's request log, also noting which ids each successful `recordMany` wrote, in call order.
 * `current` lets a test swap the store behind it (a store that went away, then another that is up).
 */
export function observedTarget(initial: RequestLogRepository): {
  target: Pick<RequestLogRepository, 'recordMany'>;
  delivered: string[];
  attempts: () => number;
  use(requests: RequestLogRepository): void;
} {
  let current = initial;
  let attempts = 0;
  const delivered: string[] = [];
  return {
    delivered,
    attempts: () => attempts,
    use: (requests) => (current = requests),
    target: {
      async recordMany(entries) {
        attempts += 1;
        await current.recordMany(entries);
        delivered.push(...entries.map((e) => e.id));
      },
    },
  };
}

/**
 * Asserts that the store holds exactly these requests of the conversation, each with one prompt and one
 * answer message: nothing missing, nothing written twice, nothing else.
 */
export async function expectStored(store: TriadStore, conversationId: string, entries: readonly RequestLogEntry[]): Promise<void> {
  const messages = await store.conversations.messages(conversationId);
  const perRequest = new Map<string, string[]>();
  for (const message of messages) perRequest.set(message.requestId!, [...(perRequest.get(message.requestId!) ?? []), message.role]);
  expect(perRequest.size).toBe(entries.length);
  const wrong = entries.filter((e) => perRequest.get(e.id)?.sort().join() !== 'assistant,user');
  expect(wrong.map((e) => e.id)).toEqual([]);
}

/** Entries in the segment files of a queue folder. */
export function linesOnDisk(queueDir: string): number {
  if (!existsSync(queueDir)) return 0;
  return readdirSync(queueDir)
    .filter((name) => name.startsWith('segment-'))
    .reduce((sum, name) => sum + readFileSync(join(queueDir, name), 'utf8').split('\n').filter(Boolean).length, 0);
}

/** The records of the rejected file. */
export function rejectedRecords(queueDir: string): Array<{ reason: string; entry?: RequestLogEntry; line?: string }> {
  const path = join(queueDir, 'rejected.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { reason: string; entry?: RequestLogEntry });
}

/** Flushes until the store has taken everything (it may refuse connections for a moment after a restart). */
export async function flushUntilDelivered(writer: RequestLogWriter, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writer.flush();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * The store's request log behind a gate: every `recordMany` waits until the test opens it, as a store that
 * is up but slower than the requests. Notes the size of each call and the ids written, in call order.
 */
export function gatedTarget(requests: RequestLogRepository): {
  target: Pick<RequestLogRepository, 'recordMany'>;
  delivered: string[];
  batchSizes: number[];
  open(): void;
} {
  let opened = false;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const delivered: string[] = [];
  const batchSizes: number[] = [];
  return {
    delivered,
    batchSizes,
    open: () => {
      opened = true;
      release();
    },
    target: {
      async recordMany(entries) {
        if (!opened) await gate;
        await requests.recordMany(entries);
        batchSizes.push(entries.length);
        delivered.push(...entries.map((e) => e.id));
      },
    },
  };
}
