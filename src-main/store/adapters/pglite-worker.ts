/**
 * The worker thread that owns PGlite. PGlite runs Postgres as WebAssembly on the thread that calls it; here
 * that is this thread, so a batch of the request log no longer blocks the main thread's event loop for tens
 * of milliseconds. It serves the requests of pglite-worker-protocol.ts, concurrently: PGlite's own lock
 * orders them, so a statement outside the open transaction waits until it ends, as it does in-process.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
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
      await db.close();
      return undefined;
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
