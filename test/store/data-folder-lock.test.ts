import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataFolderLock, LOCK_FILE_NAME } from '../../src-main/store/data-folder-lock';
import { openStore } from '../../src-main/store/open-store';
import { thrownBy } from './support';

const repoRoot = resolve(import.meta.dirname, '../..');
const holder = resolve(import.meta.dirname, 'fixtures/hold-pglite-folder.ts');

let child: ChildProcess | undefined;
const folders: string[] = [];

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'triad-pglite-'));
  folders.push(folder);
  return join(folder, 'data');
}

/** Starts the holder script in another Node process and waits until it has the folder open. */
async function startHolder(dataDir: string): Promise<{ process: ChildProcess; pid: number }> {
  const started = spawn(process.execPath, ['--import', 'tsx', holder, dataDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let stderr = '';
  started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pid = await new Promise<number>((resolvePid, reject) => {
    let stdout = '';
    started.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ready (\d+)/.exec(stdout);
      if (match) resolvePid(Number(match[1]));
    });
    started.once('exit', (code) => reject(new Error(`holder exited with ${code} before it was ready: ${stderr}`)));
  });
  return { process: started, pid };
}

describe('PGlite data-folder guard', () => {
  it('refuses a folder another process has open, then takes over its lock once that process is gone', async () => {
    const dataDir = tempFolder();
    const { process: holderProcess, pid } = await startHolder(dataDir);
    expect(pid).toBe(holderProcess.pid);

    const error = await thrownBy(() => openStore({ backend: 'pglite', dataDir }));
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain(dataDir);
    expect(error.message).toContain(`process ${pid}`);

    // Killed without closing: its lock file stays behind, naming a process that no longer exists.
    const exited = new Promise((resolveExit) => holderProcess.once('exit', resolveExit));
    holderProcess.kill('SIGKILL');
    await exited;
    const lockPath = join(dataDir, LOCK_FILE_NAME);
    expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(pid));

    const store = await openStore({ backend: 'pglite', dataDir });
    try {
      expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.pid));
      expect(await store.settings.get('written-by-pid')).toBe(pid);
      // A second opener inside this very process is refused too: it would corrupt the folder just the same.
      const again = await thrownBy(() => openStore({ backend: 'pglite', dataDir }));
      expect(again.code).toBe('store_locked');
      expect(again.message).toContain(`this process (pid ${process.pid})`);
    } finally {
      await store.close();
    }
    expect(existsSync(lockPath)).toBe(false);
  });
});

describe('data-folder lock file', () => {
  it('takes over a lock left by a process that no longer exists, and releases it', async () => {
    const dataDir = tempFolder();
    mkdirSync(dataDir, { recursive: true });
    // A pid from a process that has certainly exited: a short-lived child we waited for.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolveExit) => gone.once('exit', resolveExit));
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${gone.pid}\n`);

    const lock = acquireDataFolderLock(dataDir);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses a folder whose lock names a live process, and leaves that lock alone', async () => {
    const dataDir = tempFolder();
    mkdirSync(dataDir, { recursive: true });
    const lockPath = join(dataDir, LOCK_FILE_NAME);
    writeFileSync(lockPath, `${process.ppid}\n`);
    const error = await thrownBy(async () => acquireDataFolderLock(dataDir));
    expect(error.code).toBe('store_locked');
    expect(error.message).toContain(`process ${process.ppid}`);
    expect(readFileSync(lockPath, 'utf8').trim()).toBe(String(process.ppid));
  });
});
