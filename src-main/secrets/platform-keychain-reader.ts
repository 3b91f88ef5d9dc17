import { execFile } from 'node:child_process';
import { KEYCHAIN_SERVICE, requireKeytar, type Keytar } from './keychain-secret-store';
import type { KeychainReader } from './safe-storage-secret-store';

/** Options of {@link platformKeychainReader}. */
export interface PlatformKeychainReaderOptions {
  platform?: NodeJS.Platform;
  /** The keychain service keytar saved under; `triad`. */
  service?: string;
  /** The tool's path or name (tests); `secret-tool` on Linux, `security` on macOS. */
  command?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads what keytar saved (service `triad`, account = the secret's name) with the platform's own command-line
 * tool, for the desktop app, where keytar itself cannot load: `secret-tool` (libsecret-tools) on Linux,
 * `security` on macOS. Windows has no such tool for the Credential Manager, so there is no reader there and
 * keys saved by browser mode must be entered again. A missing tool or a locked keychain rejects, so the import
 * is tried again at the next start.
 */
export function platformKeychainReader(options: PlatformKeychainReaderOptions = {}): KeychainReader | undefined {
  const platform = options.platform ?? process.platform;
  const service = options.service ?? KEYCHAIN_SERVICE;
  if (platform === 'linux') {
    // Exit status 1 with nothing printed: no such item.
    return { get: (name) => lookup(options.command ?? 'secret-tool', ['lookup', 'service', service, 'account', name], [1], options.env) };
  }
  if (platform === 'darwin') {
    // Exit status 44: errSecItemNotFound.
    return { get: (name) => lookup(options.command ?? 'security', ['find-generic-password', '-s', service, '-a', name, '-w'], [44], options.env) };
  }
  return undefined;
}

function lookup(command: string, args: string[], notFound: number[], env: NodeJS.ProcessEnv | undefined): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000, encoding: 'utf8', env: env ?? process.env }, (error, stdout) => {
      if (!error) {
        // The tools end the value with a newline on a terminal (macOS: always); no saved secret holds one.
        const value = stdout.replace(/\r?\n$/, '');
        resolve(value === '' ? undefined : value);
        return;
      }
      const status = typeof error.code === 'number' ? error.code : undefined;
      if (status !== undefined && notFound.includes(status) && stdout === '') resolve(undefined);
      // The tool's own words, never the value (it printed none): "command not found", "locked", "cancelled".
      else reject(new Error(`${command} ${args[0]} failed: ${error.message.split('\n')[0]}`));
    });
  });
}

/**
 * Where the desktop app imports keys saved by browser mode from: keytar itself where it loads (a keytar rebuilt for
 * Electron), else the platform's tool ({@link platformKeychainReader}).
 */
export function keychainImportSource(options: PlatformKeychainReaderOptions & { loadKeytar?: () => Keytar } = {}): KeychainReader | undefined {
  const service = options.service ?? KEYCHAIN_SERVICE;
  let keytar: Keytar;
  try {
    keytar = (options.loadKeytar ?? requireKeytar)();
  } catch {
    return platformKeychainReader(options);
  }
  return { get: async (name) => (await keytar.getPassword(service, name)) ?? undefined };
}
