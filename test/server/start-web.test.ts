/** `npm run start:web`'s entry point as a process: what it prints, what it serves, how it stops. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendererFixture } from './support';

const root = resolve(import.meta.dirname, '../..');
const running: ChildProcessWithoutNullStreams[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function startWeb(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/server/start-web.ts', ...args], {
    cwd: root,
    env: { ...process.env, TRIAD_MODEL_PATH: process.env.TRIAD_TEST_MODEL_PATH, TRIAD_LLAMA_GPU: 'false' },
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const printed = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(stdout);
      if (match) return match;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`not printed: ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, printed, output: () => ({ stdout, stderr }) };
}

describe('start-web', () => {
  it('prints the address with its token, serves the app to the token only, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'triad-web-data-'));
    folders.push(dataDir);
    const web = startWeb(['--port', '0', '--data-dir', dataDir, '--renderer-dir', rendererFixture()]);
    const [, url] = (await web.printed(/Triad is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43})\n/))!;
    const origin = new URL(url!).origin;

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect((await fetch(origin)).status).toBe(401);
    const status = await fetch(`${origin}/api/call/status.get`, { method: 'POST', headers: { authorization: `Bearer ${new URL(url!).searchParams.get('token')}` } });
    expect(await status.json()).toMatchObject({ ok: true, value: { store: 'pglite' } });

    web.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
    expect(web.output().stdout).toContain('SIGTERM: stopping');
    await expect(fetch(origin)).rejects.toThrow();
  }, 90_000);

  it('refuses a port that is not a number', async () => {
    const web = startWeb(['--port', 'eighty']);
    expect(await web.exited).toBe(2);
    expect(web.output().stderr).toContain("--port must be a port number");
  }, 30_000);
});
