import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** A throwaway PostgreSQL cluster on loopback, started from Debian's `postgresql` binaries. */
export interface PostgresServer {
  /** Connection string for the superuser `postgres`, database `postgres`. */
  url: string;
  port: number;
  /** Stops the server for good and deletes its data folder. */
  stop(): Promise<void>;
  /**
   * Stops the server process but keeps its data folder and port, as a crash or a maintenance window would:
   * `immediate` kills open connections mid-transaction, `fast` rolls them back first.
   */
  shutDown(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts the server again on the same data folder and port after {@link PostgresServer.shutDown}. */
  restart(): Promise<void>;
}

/** Finds initdb/pg_ctl: $TRIAD_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export function findPostgresBinaries(): string {
  const fromEnv = process.env.TRIAD_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and $TRIAD_PG_BIN): ' +
        'run scripts/install-system-deps.sh or `apt-get install postgresql`',
    );
  }
  return join(root, versions[0]!, 'bin');
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster is owned by and run as the `postgres`
 * system user (created by Debian's package); as anyone else it runs as that user.
 */
function runAsServerUser(binary: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [command, commandArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error?.message}`);
  }
}

/** Starts a fresh cluster (trust auth, loopback only, socket in its own folder). */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findPostgresBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'triad-pg-'));
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  runAsServerUser(join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const start = () =>
    runAsServerUser(join(bin, 'pg_ctl'), [
      '-D', dataDir, '-w', '-l', join(dir, 'server.log'),
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  const shutDown = (mode: 'immediate' | 'fast') => runAsServerUser(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']);
  start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (running) shutDown('immediate');
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
    async shutDown(mode = 'immediate') {
      if (!running) return;
      shutDown(mode);
      running = false;
    },
    async restart() {
      if (running) return;
      start();
      running = true;
    },
  };
}
