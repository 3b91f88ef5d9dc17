import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TriadError } from '../../src-shared/errors';

/** Name of the lock file inside a PGlite data folder. */
export const LOCK_FILE_NAME = 'triad.lock';

/** A held lock on a data folder; release it when the database is closed. */
export interface DataFolderLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file if this process still holds it; safe to call twice. */
  release(): void;
}

/**
 * Takes the lock on a PGlite data folder, creating the folder if needed. PGlite cannot detect a second
 * opener, and two processes writing one folder corrupt it, so each opener must hold this lock first.
 * The lock is a file created with O_EXCL holding the owner's pid; a lock whose process is gone (a crash)
 * is taken over. Throws `store_locked` naming the folder and the pid holding it.
 */
export function acquireDataFolderLock(dataDir: string): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  // Two rounds: the first may find a stale lock and remove it; the second must then succeed or lose a race.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path)) return heldLock(path);
    const holder = readHolder(path);
    if (holder === undefined) continue; // removed between our create and read: try again
    if (isAlive(holder.pid)) throw lockedError(dataDir, holder.pid);
    // Stale: re-read just before removing so that a lock another process took over meanwhile is left alone.
    const again = readHolder(path);
    if (again && again.raw === holder.raw) removeQuietly(path);
  }
  if (tryCreate(path)) return heldLock(path);
  const holder = readHolder(path);
  throw lockedError(dataDir, holder?.pid);
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new TriadError(
      { code: 'store_unavailable', message: `cannot create the lock file ${path}: ${(error as Error).message}` },
      { cause: error },
    );
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): { pid: number | undefined; raw: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(raw.trim(), 10);
  return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, raw };
}

/**
 * A lock without a readable pid counts as live: it may be being written right now. A lock held by this very
 * process is live too: a second PGlite instance in one process corrupts the folder just the same.
 */
function isAlive(pid: number | undefined): boolean {
  if (pid === undefined || pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dataDir: string, pid: number | undefined): TriadError {
  const by = pid === undefined ? 'another process' : pid === process.pid ? `this process (pid ${pid})` : `process ${pid}`;
  return new TriadError({
    code: 'store_locked',
    message:
      `the data folder ${dataDir} is in use by ${by}; close the other Triad window or process first ` +
      `(if no such process runs, delete ${join(dataDir, LOCK_FILE_NAME)})`,
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function heldLock(path: string): DataFolderLock {
  let released = false;
  // A process that exits without closing the store still frees its folder at once.
  const onExit = (): void => release();
  process.once('exit', onExit);
  function release(): void {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    if (readHolder(path)?.pid === process.pid) removeQuietly(path);
  }
  return { path, release };
}
