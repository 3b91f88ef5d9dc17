/**
 * The worker thread that owns PGlite. PGlite runs Postgres as WebAssembly on the thread that calls it; here
 * that is this thread, so a batch of the request log no longer blocks the main thread's event loop for tens
 * of milliseconds. It serves the requests of pglite-worker-protocol.ts, concurrently: PGlite's own lock
 * orders them, so a statement outside the open transaction waits until it ends, as it does in-process.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { RequestLogWriter, type RequestLogWriterLogger } from '../../logging/request-log-writer';
import type { SqlExecutor, SqlQueryable, SqlRow } from '../sql-executor';
import { SqlRequestLogRepository } from '../sql/request-log-repository';
import { toPlainError, type PgliteRequest, type PgliteResponse, type PgliteWorkerData } from './pglite-worker-protocol';

/** An open transaction: its PGlite handle and how to end it. */
interface OpenTransaction {
  tx: Transaction;
  end(outcome: 'commit' | 'rollback'): void;
  /** Settles when PGlite has committed or rolled back. */
  done: Promise<void>;
}

/** Thrown inside PGlite's transaction callback to make it roll back. */
const ROLLBACK = Symbol('rollback');

const port = parentPort!;
const { dataDir } = workerData as PgliteWorkerData;
const transactions = new Map<number, OpenTransaction>();
let nextTransaction = 1;
/**
 * The embedded store's request log writer, once opened. It runs here rather than on the main thread so that
 * the whole cost of logging a request, beyond handing the entry over, is this thread's: turning entries into
 * rows, batching, and the disk queue when PGlite falls behind (at a few thousand answers a second, it does).
 */
let requestLog: RequestLogWriter | undefined;

function send(response: PgliteResponse): void {
  port.postMessage(response);
}

/** Opens a transaction once PGlite's lock is free, resolving when its callback runs. */
function begin(db: PGlite): Promise<number> {
  return new Promise<number>((opened, failed) => {
    const id = nextTransaction++;
    let end!: (outcome: 'commit' | 'rollback') => void;
    const ended = new Promise<'commit' | 'rollback'>((resolve) => (end = resolve));
    const done = db
      .transaction(async (tx) => {
        transactions.set(id, { tx, end, done });
        opened(id);
        if ((await ended) === 'rollback') throw ROLLBACK;
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error !== ROLLBACK) throw error;
        },
      )
      .finally(() => transactions.delete(id));
    // A transaction that never started (BEGIN failed) fails the begin request.
    done.catch((error: unknown) => failed(error));
  });
}

function transactionOf(id: number): OpenTransaction {
  const open = transactions.get(id);
  if (!open) throw new Error(`transaction ${id} has already ended`);
  return open;
}

/** Statements on PGlite itself, in this thread, for the hosted request log's repository. */
function sqlOn(target: PGlite | Transaction): SqlQueryable {
  return {
    async query<T extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await target.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

function executorOn(db: PGlite): SqlExecutor {
  return {
    engine: 'pglite',
    ...sqlOn(db),
    transaction: (fn) => db.transaction((tx) => fn(sqlOn(tx))),
    // The worker's own `close` request closes PGlite.
    close: async () => undefined,
  };
}

/** The writer's reports, sent to the app's logger; errors become their plain fields, as structured clone would keep little else. */
const logToMain: RequestLogWriterLogger = {
  warn: (object, message) => send({ id: 0, event: 'log', level: 'warn', object: plainFields(object), message }),
  error: (object, message) => send({ id: 0, event: 'log', level: 'error', object: plainFields(object), message }),
};

function plainFields(object: object): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) plain[key] = value instanceof Error ? toPlainError(value) : value;
  return plain;
}

function openedLog(): RequestLogWriter {
  if (!requestLog) throw new Error('the request log is not open in the PGlite worker');
  return requestLog;
}

async function handleLog(db: PGlite, request: Extract<PgliteRequest, { op: `log-${string}` }>): Promise<unknown> {
  switch (request.op) {
    case 'log-open':
      requestLog ??= new RequestLogWriter({
        target: new SqlRequestLogRepository(executorOn(db), () => send({ id: 0, event: 'log-write' })),
        queueDir: request.queueDir,
        logger: logToMain,
      });
      await requestLog.start();
      return undefined;
    case 'log-record':
      for (const entry of request.entries) void openedLog().record(entry);
      return undefined;
    case 'log-flush':
      return openedLog().flush();
    case 'log-stats':
      return openedLog().stats();
    case 'log-close':
      return requestLog?.close();
  }
}

async function handle(db: PGlite, request: PgliteRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const target = request.tx === undefined ? db : transactionOf(request.tx).tx;
      return (await target.query(request.sql, [...request.params])).rows;
    }
    case 'exec': {
      const target = request.tx === undefined ? db : transactionOf(request.tx).tx;
      await target.exec(request.sql);
      return undefined;
    }
    case 'begin':
      return begin(db);
    case 'commit':
    case 'rollback': {
      const open = transactionOf(request.tx);
      open.end(request.op);
      await open.done;
      return undefined;
    }
    case 'close':
      // Entries still with the writer go to its disk queue before PGlite goes.
      await requestLog?.close();
      await db.close();
      return undefined;
    default:
      return handleLog(db, request);
  }
}

try {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  port.on('message', (request: PgliteRequest) => {
    handle(db, request).then(
      (value) => send({ id: request.id, ok: true, value }),
      (error: unknown) => send({ id: request.id, ok: false, error: toPlainError(error) }),
    );
  });
  send({ id: 0, ready: true });
} catch (error) {
  send({ id: 0, ready: false, error: toPlainError(error) });
}
