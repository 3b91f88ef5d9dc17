import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private D-Bus session bus with gnome-keyring answering as the freedesktop Secret Service. */
export interface SecretServiceSession {
  busAddress: string;
  stop(): Promise<void>;
}

/**
 * Starts dbus-daemon on a socket of its own and an unlocked gnome-keyring on that bus, so keytar talks to
 * the real Secret Service without touching the developer's own keyring.
 */
export async function startSecretService(): Promise<SecretServiceSession> {
  for (const tool of ['dbus-daemon', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`${tool} not found: run scripts/install-system-deps.sh (packages dbus, gnome-keyring)`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'triad-dbus-'));
  const busAddress = `unix:path=${join(dir, 'bus')}`;
  // stderr is kept, not shown: as root, dbus-daemon warns that it cannot raise its file limit, which is harmless.
  const bus = spawn('dbus-daemon', ['--session', '--nofork', `--address=${busAddress}`, '--print-address'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let busErrors = '';
  bus.stderr!.on('data', (chunk: Buffer) => {
    busErrors += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    bus.once('error', reject);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${busErrors}`)));
    bus.stdout!.once('data', () => resolve());
  });
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress, XDG_RUNTIME_DIR: dir, HOME: dir };
  // --unlock reads the login password from stdin and creates an unlocked default "login" collection.
  const keyring = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--daemonize'], {
    input: 'triad-test-password',
    env,
    encoding: 'utf8',
  });
  if (keyring.status !== 0) {
    bus.kill();
    throw new Error(`gnome-keyring-daemon failed to start: ${keyring.stderr}`);
  }
  const pid = /GNOME_KEYRING_PID=(\d+)/.exec(keyring.stdout)?.[1];
  return {
    busAddress,
    async stop() {
      if (pid) {
        try {
          process.kill(Number(pid));
        } catch {
          // already gone
        }
      }
      bus.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
