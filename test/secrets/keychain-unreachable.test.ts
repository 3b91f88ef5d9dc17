import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretService, type SecretServiceSession } from '../support/secret-service';
import type { ChildResult, ChildStep } from './fixtures/keychain-child';

// libsecret connects to the session bus named in the environment when it is first used and keeps that
// connection, so each scenario runs the real store in a child process with the environment it describes.
const child = resolve(import.meta.dirname, 'fixtures/keychain-child.ts');
const token = 'hf_ChildProcessTokenValue0123456789';
const service = 'triad-test-unreachable';

interface ChildRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  results: ChildResult[];
  stderr: string;
}

function runChild(env: NodeJS.ProcessEnv, steps: ChildStep[]): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify({ service, steps })], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', fail);
    proc.on('close', (exitCode, signal) => {
      let results: ChildResult[] = [];
      try {
        results = JSON.parse(stdout) as ChildResult[];
      } catch {
        // left empty: the assertions on exit code and results report it
      }
      done({ exitCode, signal, results, stderr });
    });
  });
}

const allOperations: ChildStep[] = [
  { op: 'status' },
  { op: 'get', name: 'huggingface-token' },
  { op: 'set', name: 'huggingface-token', value: token },
  { op: 'delete', name: 'openai-api-key' },
];

/** The child ran to the end and every operation failed cleanly with keychain_unavailable. */
function expectUnavailable(run: ChildRun, reason: string): void {
  expect(run.signal, run.stderr).toBeNull();
  expect(run.exitCode, run.stderr).toBe(0);
  const [status, get, set, del] = run.results;
  expect(status).toMatchObject({
    ok: true,
    status: {
      keychain: { available: false },
      secrets: { 'huggingface-token': 'unset', 'openai-api-key': 'unset' },
    },
  });
  const detail = (status?.status as { keychain: { detail: string } }).keychain.detail;
  expect(detail).toContain('the Secret Service is not reachable');
  expect(detail).toContain(reason);
  for (const [result, text] of [
    [get, 'Could not read the Hugging Face token (huggingface-token)'],
    [set, 'Could not save the Hugging Face token (huggingface-token)'],
    [del, 'Could not delete the OpenAI API key (openai-api-key)'],
  ] as const) {
    expect(result).toMatchObject({ ok: false, error: { code: 'keychain_unavailable', isTriadError: true } });
    expect(result?.error?.message).toContain(text);
    expect(result?.error?.message).toContain(reason);
    expect(result?.error?.message).toMatch(/set (HF_TOKEN|OPENAI_API_KEY) in the environment/);
  }
  expect(JSON.stringify(run.results)).not.toContain(token);
}

describe('KeychainSecretStore when the Secret Service cannot be used', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'triad-secrets-test-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a session bus address pointing at no socket gives keychain_unavailable, not a crash', async () => {
    const run = await runChild(
      { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(scratch, 'no-such-bus')}` },
      allOperations,
    );
    expectUnavailable(run, 'Could not connect: No such file or directory');
  });

  it('no session bus and no X11 display gives keychain_unavailable', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: scratch };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    const run = await runChild(env, allOperations);
    expectUnavailable(run, 'Cannot autolaunch D-Bus without X11 $DISPLAY');
  });

  it('a session bus without any Secret Service gives keychain_unavailable', async () => {
    // A bus with no service directories: nothing can be activated as org.freedesktop.secrets.
    const config = join(scratch, 'bare-bus.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
        "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
      <busconfig><type>session</type><listen>unix:path=${join(scratch, 'bare-bus')}</listen>
        <auth>EXTERNAL</auth><policy context="default">
          <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/>
        </policy>
      </busconfig>`,
    );
    const bus = spawn('dbus-daemon', ['--nofork', `--config-file=${config}`, '--print-address'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const address = await new Promise<string>((done, fail) => {
        bus.once('error', fail);
        bus.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
      });
      const run = await runChild({ ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, allOperations);
      expectUnavailable(run, 'The name org.freedesktop.secrets was not provided by any .service files');
    } finally {
      bus.kill();
    }
  });
});

describe('KeychainSecretStore when the keyring is locked', () => {
  let session: SecretServiceSession;
  beforeAll(async () => {
    session = await startSecretService();
  });
  afterAll(async () => {
    await session?.stop();
  });

  it('reports keychain_locked instead of pretending the secret is absent', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: session.busAddress };
    const before = await runChild(env, [
      { op: 'set', name: 'huggingface-token', value: token },
      { op: 'get', name: 'huggingface-token' },
      { op: 'status' },
    ]);
    expect(before.results, before.stderr).toMatchObject([
      { ok: true },
      { ok: true, found: true },
      { ok: true, status: { keychain: { available: true }, secrets: { 'huggingface-token': 'keychain' } } },
    ]);

    execFileSync(
      'gdbus',
      ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets',
        '--method', 'org.freedesktop.Secret.Service.Lock', "['/org/freedesktop/secrets/collection/login']"],
      { env, stdio: 'ignore' },
    );

    // No unlock prompt can be shown here, as when a user dismisses it: libsecret then answers lookups
    // with "nothing found" and deletes with "nothing deleted", which the store must not pass on as such.
    const locked = await runChild(env, [
      { op: 'get', name: 'huggingface-token' },
      { op: 'delete', name: 'huggingface-token' },
      { op: 'set', name: 'openai-api-key', value: 'sk-proj-LockedKeyringValue0123456789' },
      { op: 'status' },
    ]);
    expect(locked.signal, locked.stderr).toBeNull();
    expect(locked.exitCode, locked.stderr).toBe(0);
    const [get, del, set, status] = locked.results;
    for (const [result, text] of [
      [get, 'Could not read the Hugging Face token (huggingface-token)'],
      [del, 'Could not delete the Hugging Face token (huggingface-token)'],
      [set, 'Could not save the OpenAI API key (openai-api-key)'],
    ] as const) {
      expect(result).toMatchObject({ ok: false, error: { code: 'keychain_locked' } });
      expect(result?.error?.message).toContain(text);
      expect(result?.error?.message).toContain('unlock your login keyring');
    }
    expect(set?.error?.message).toContain('Cannot create an item in a locked collection');
    expect(status?.status).toMatchObject({ keychain: { available: false } });
    expect((status?.status as { keychain: { detail: string } }).keychain.detail).toMatch(/^the keychain is locked/);
    expect(JSON.stringify(locked.results)).not.toContain('LockedKeyringValue');
  });
});
