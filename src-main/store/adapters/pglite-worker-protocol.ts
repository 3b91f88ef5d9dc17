/**
 * The messages between the PGlite executor (main thread) and its worker thread. Values cross by structured
 * clone (strings, numbers, Dates, typed arrays, plain objects and arrays: everything the repositories pass
 * and PGlite returns); errors cross as plain fields, because structured clone keeps only an Error's message.
 */

import type { HostedLogRequest } from '../../logging/request-log';

/** What the worker is started with. */
export interface PgliteWorkerData {
  /** The data folder; absent = in memory. */
  dataDir?: string;
}

/** One request; `tx` names the open transaction it belongs to, if any. */
export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params: readonly unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  /** Waits for PGlite's transaction lock and opens a transaction; answers with its id. */
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit'; tx: number }
  | { id: number; op: 'rollback'; tx: number }
  | { id: number; op: 'close' }
  /**
   * The embedded store's request log writer, hosted in this thread (pglite-worker.ts; its main-thread side is
   * HostedRequestLog in logging/request-log.ts): opened once with its disk queue's folder, then the
   * RequestLogWriter calls HostedRequestLog makes.
   */
  | { id: number; op: 'log-open'; queueDir: string }
  | ({ id: number } & HostedLogRequest);

/** The fields of a driver error the store reads (store-errors.ts), as pg-protocol's DatabaseError has them. */
export interface PlainDriverError {
  name?: string;
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  severity?: string;
  dataType?: string;
  routine?: string;
}

/** The worker's answers: to a request, or once at start. */
export type PgliteResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: PlainDriverError }
  | { id: 0; ready: true }
  | { id: 0; ready: false; error: PlainDriverError }
  /** The hosted request log wrote a batch (the search indexer waits for a quiet log). */
  | { id: 0; event: 'log-write' }
  /** The hosted request log reports a problem, for the app's logger. */
  | { id: 0; event: 'log'; level: 'warn' | 'error'; object: Record<string, unknown>; message?: string };

const DRIVER_ERROR_FIELDS = ['name', 'code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'dataType', 'routine'] as const;

/** An error's fields as plain data, for postMessage. */
export function toPlainError(error: unknown): PlainDriverError {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const source = error as Record<string, unknown>;
  const plain: PlainDriverError = { message: typeof source.message === 'string' ? source.message : String(error) };
  for (const field of DRIVER_ERROR_FIELDS) {
    const value = source[field];
    if (typeof value === 'string') plain[field] = value;
  }
  return plain;
}

/** An Error carrying the driver's fields again, so store-errors.ts translates it as if it had been thrown here. */
export function fromPlainError(plain: PlainDriverError): Error {
  const error = new Error(plain.message);
  for (const field of DRIVER_ERROR_FIELDS) {
    if (plain[field] !== undefined) Object.defineProperty(error, field, { value: plain[field], enumerable: field !== 'name', writable: true, configurable: true });
  }
  return error;
}
