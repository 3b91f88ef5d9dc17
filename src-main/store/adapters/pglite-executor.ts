import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TriadError } from '../../../src-shared/errors';
import { HostedRequestLog, type RequestLog } from '../../logging/request-log';
import type { RequestLogWriterLogger } from '../../logging/request-log-writer';
import { acquireDataFolderLock, type DataFolderLock } from '../data-folder-lock';
import type { SqlExecutor, SqlQueryable, SqlRow } from '../sql-executor';
import { fromPlainError, type PgliteRequest, type PgliteResponse, type PgliteWorkerData } from './pglite-worker-protocol';

/** Where PGlite keeps its data: a folder on disk, or memory only when `dataDir` is absent (tests). */
export interface PgliteExecutorOptions {
  dataDir?: string;
}

/** What callers see once the executor is closed or its worker is gone; store-errors.ts reads it as "unavailable". */
const CLOSED = 'PGlite is closed';

/** A request without its id, which the client assigns (Omit distributed over the union). */
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
type Request = WithoutId<PgliteRequest>;

/**
 * Starts the worker thread. Built (Electron, electron.vite.config.ts) the worker is its own bundle beside
 * this one; from source (tsx, vitest) it is TypeScript, loaded by pglite-worker-from-source.mjs.
 */
function startWorker(workerData: PgliteWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new Worker(new URL('./pglite-worker-from-source.mjs', here), { workerData });
  // The bundle may put this code in a chunk one folder below the entry points.
  const beside = new URL('./pglite-worker.js', here);
  return new Worker(existsSync(fileURLToPath(beside)) ? beside : new URL('../pglite-worker.js', here), { workerData });
}

/** What the worker says on its own: the hosted request log's writes and reports. */
type WorkerEvent = Extract<PgliteResponse, { event: string }>;

/** Sends requests to the worker and matches its answers; keeps the process alive only while one is pending. */
class PgliteWorkerClient {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private nextId = 1;
  private stopped: string | undefined;
  /** Told of each event the worker sends. */
  onEvent: (event: WorkerEvent) => void = () => undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (response: PgliteResponse) => {
      if ('ready' in response) return;
      if ('event' in response) {
        this.onEvent(response);
        return;
      }
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (this.pending.size === 0) worker.unref();
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(fromPlainError(response.error));
    });
    worker.on('error', (error) => this.stop(`${CLOSED} (its worker thread failed: ${error.message})`));
    worker.on('exit', (code) => this.stop(`${CLOSED} (its worker thread exited with code ${code})`));
    worker.unref();
  }

  call<T>(request: Request): Promise<T> {
    if (this.stopped) return Promise.reject(new Error(this.stopped));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Fails every call from now on, and those still waiting, with `reason`. */
  stop(reason: string): void {
    this.stopped ??= reason;
    for (const waiting of this.pending.values()) waiting.reject(new Error(this.stopped));
    this.pending.clear();
  }
}

/** Waits for the worker's first message: PGlite is open, or why it could not open. */
function opened(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: PgliteResponse) => {
      if (message.id !== 0 || !('ready' in message)) return;
      cleanup();
      if (message.ready) resolve();
      else reject(fromPlainError(message.error));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`its worker thread exited with code ${code} before PGlite opened`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function queryable(client: PgliteWorkerClient, tx?: number): SqlQueryable {
  return {
    query<T extends SqlRow = SqlRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return client.call<T[]>({ op: 'query', sql, params, tx });
    },
    async exec(sql: string): Promise<void> {
      await client.call({ op: 'exec', sql, tx });
    },
  };
}

/** Where the request log hosted in the worker keeps its disk queue, and who hears from it. */
export interface HostedRequestLogOptions {
  queueDir: string;
  logger: RequestLogWriterLogger;
  /** Entries the worker cannot take (it is gone) go here. */
  fallback: Pick<RequestLog, 'record'>;
  /** Told after each batch the hosted log writes. */
  onWrite?: () => void;
}

/** PGlite's executor, which can also run the embedded store's request log writer in its worker thread. */
export interface PgliteExecutor extends SqlExecutor {
  openRequestLog(options: HostedRequestLogOptions): Promise<RequestLog>;
}

/**
 * Opens PGlite (Postgres compiled to WASM) in a worker thread of this process, so its work does not block
 * the main thread. An on-disk folder is locked first so that a second process cannot open it; the lock is
 * released on close, after the worker has ended. First open of a new folder runs initdb (~5 s).
 */
export async function openPgliteExecutor(options: PgliteExecutorOptions = {}): Promise<PgliteExecutor> {
  const lock: DataFolderLock | undefined = options.dataDir ? acquireDataFolderLock(options.dataDir) : undefined;
  const worker = startWorker(options.dataDir ? { dataDir: options.dataDir } : {});
  try {
    await opened(worker);
  } catch (error) {
    await worker.terminate();
    lock?.release();
    const where = options.dataDir ? `the data folder ${options.dataDir}` : 'an in-memory database';
    throw new TriadError({ code: 'store_unavailable', message: `PGlite could not open ${where}: ${(error as Error).message}` }, { cause: error });
  }
  const client = new PgliteWorkerClient(worker);
  const direct = queryable(client);
  let closing: Promise<void> | undefined;
  return {
    engine: 'pglite',
    query: direct.query,
    exec: direct.exec,
    // PGlite has one connection: its transaction lock (held in the worker from begin to commit or rollback)
    // makes every statement outside the transaction wait until it ends.
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const tx = await client.call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await fn(queryable(client, tx));
      } catch (error) {
        await client.call({ op: 'rollback', tx }).catch(() => undefined);
        throw error;
      }
      await client.call({ op: 'commit', tx });
      return result;
    },
    async openRequestLog(log) {
      client.onEvent = (event) => {
        if (event.event === 'log-write') log.onWrite?.();
        else log.logger[event.level](event.object, event.message);
      };
      await client.call({ op: 'log-open', queueDir: log.queueDir });
      return new HostedRequestLog((request) => client.call(request), log.fallback, log.logger);
    },
    close() {
      closing ??= (async () => {
        try {
          await client.call({ op: 'close' });
        } finally {
          client.stop(CLOSED);
          await worker.terminate();
          lock?.release();
        }
      })();
      return closing;
    },
  };
}
