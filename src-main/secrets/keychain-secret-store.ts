import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { TriadError } from '../../src-shared/errors';
import {
  SECRET_NAMES,
  type KeychainSecretName,
  type SecretName,
  type SecretRedactor,
  type SecretSource,
  type SecretStore,
  type SecretsStatus,
} from './secret-store';
import { environmentHint, failedTo, withSpace, type Action } from './secret-store-errors';
import { assertSecretName, validateSecret } from './validate-secret';

/** The part of keytar's API the store uses. */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Keychain service every Triad secret is stored under; the account is the secret's name. */
export const KEYCHAIN_SERVICE = 'triad';

/** Loads the optional keytar native module; throws when it is not installed or was built for another runtime. */
export function requireKeytar(): Keytar {
  return createRequire(import.meta.url)('keytar') as Keytar;
}

/** Options of {@link KeychainSecretStore}. */
export interface KeychainSecretStoreOptions {
  /** Remembers every value read or written, so it is redacted wherever it later appears. */
  redactor: SecretRedactor;
  /** Loads keytar on first use; defaults to {@link requireKeytar}. A throw means keytar is unusable. */
  loadKeytar?: () => Keytar;
  /** Keychain service name; defaults to {@link KEYCHAIN_SERVICE}. */
  service?: string;
  /**
   * Whether the default keychain collection is locked, `undefined` when unknown. Consulted when keytar finds
   * nothing, because keytar cannot tell "locked" from "absent" (see {@link isSecretServiceLocked}).
   */
  isLocked?: () => Promise<boolean | undefined>;
}

type KeytarState = { keytar: Keytar } | { detail: string };

interface KeychainFailure {
  code: 'keychain_unavailable' | 'keychain_locked';
  /** Why, without naming a secret: shown as the status detail and inside error messages. */
  reason: string;
}

/**
 * Secrets in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
 * through keytar, under service `triad` with the secret's name as account. keytar is an optional native
 * module: without it the store still constructs, `status()` says why the keychain is unavailable and
 * `get`/`set`/`delete` throw `keychain_unavailable`.
 */
export class KeychainSecretStore implements SecretStore {
  private readonly redactor: SecretRedactor;
  private readonly loadKeytar: () => Keytar;
  private readonly service: string;
  private readonly isLocked: () => Promise<boolean | undefined>;
  private state: KeytarState | undefined;

  constructor(options: KeychainSecretStoreOptions) {
    this.redactor = options.redactor;
    this.loadKeytar = options.loadKeytar ?? requireKeytar;
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.isLocked = options.isLocked ?? (process.platform === 'linux' ? isSecretServiceLocked : async () => undefined);
  }

  async get(name: KeychainSecretName): Promise<string | undefined> {
    assertSecretName(name);
    const keytar = this.requireKeytar('read', name);
    let value: string | null;
    try {
      value = await keytar.getPassword(this.service, name);
    } catch (error) {
      throw this.failure('read', name, error);
    }
    if (value === null) {
      await this.throwIfLocked('read', name);
      return undefined;
    }
    this.redactor.remember(value);
    return value;
  }

  async set(name: KeychainSecretName, value: string): Promise<void> {
    assertSecretName(name);
    validateSecret(name, value);
    this.redactor.remember(value);
    const keytar = this.requireKeytar('save', name);
    try {
      await keytar.setPassword(this.service, name, value);
    } catch (error) {
      throw this.failure('save', name, error);
    }
  }

  /** Deletes the secret; deleting one that is not there succeeds. */
  async delete(name: KeychainSecretName): Promise<void> {
    assertSecretName(name);
    const keytar = this.requireKeytar('delete', name);
    let deleted: boolean;
    try {
      deleted = await keytar.deletePassword(this.service, name);
    } catch (error) {
      throw this.failure('delete', name, error);
    }
    if (!deleted) await this.throwIfLocked('delete', name);
  }

  /** Never throws: an unusable keychain is reported as `available: false` with the reason. */
  async status(): Promise<SecretsStatus> {
    const secrets = Object.fromEntries(SECRET_NAMES.map((name) => [name, 'unset'])) as Record<SecretName, SecretSource>;
    const state = this.keytarState();
    if (!('keytar' in state)) return { keychain: { available: false, detail: state.detail }, secrets };
    try {
      for (const name of SECRET_NAMES) {
        const value = await state.keytar.getPassword(this.service, name);
        if (value !== null) {
          this.redactor.remember(value);
          secrets[name] = 'keychain';
        }
      }
    } catch (error) {
      return { keychain: { available: false, detail: classify(error, this.redactor).reason }, secrets };
    }
    if (Object.values(secrets).every((source) => source === 'unset') && (await this.isLocked()) === true) {
      return { keychain: { available: false, detail: LOCKED_REASON }, secrets };
    }
    return { keychain: { available: true, detail: KEYCHAIN_KIND }, secrets };
  }

  private keytarState(): KeytarState {
    if (!this.state) {
      try {
        this.state = { keytar: this.loadKeytar() };
      } catch (error) {
        this.state = { detail: describeLoadFailure(error) };
      }
    }
    return this.state;
  }

  private requireKeytar(action: Action, name: KeychainSecretName): Keytar {
    const state = this.keytarState();
    if ('keytar' in state) return state.keytar;
    throw new TriadError({
      code: 'keychain_unavailable',
      message: `${failedTo(action, name)}: ${state.detail}.${withSpace(environmentHint(name))}`,
    });
  }

  private async throwIfLocked(action: Action, name: KeychainSecretName): Promise<void> {
    if ((await this.isLocked()) !== true) return;
    throw new TriadError({ code: 'keychain_locked', message: `${failedTo(action, name)}: ${LOCKED_REASON}.` });
  }

  private failure(action: Action, name: KeychainSecretName, error: unknown): TriadError {
    const { code, reason } = classify(error, this.redactor);
    const hint = code === 'keychain_unavailable' ? withSpace(environmentHint(name)) : '';
    return new TriadError({ code, message: `${failedTo(action, name)}: ${reason}.${hint}` }, { cause: error });
  }
}

const KEYCHAIN_KIND =
  process.platform === 'darwin'
    ? 'macOS Keychain (keytar)'
    : process.platform === 'win32'
      ? 'Windows Credential Manager (keytar)'
      : 'Secret Service (keytar, libsecret)';

const LOCKED_REASON =
  'the keychain is locked or access was denied; unlock your login keyring (for example in "Passwords and Keys") and try again';


function describeLoadFailure(error: unknown): string {
  const installHint =
    process.platform === 'linux' ? 'install libsecret-1-dev and run `npm rebuild keytar`' : 'run `npm rebuild keytar`';
  if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND') {
    return `keytar native module not installed: ${installHint}`;
  }
  const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return `keytar native module could not be loaded (${firstLine}): rebuild it for this runtime: ${installHint}`;
}

// keytar rejects with the platform's own message (a GError message from libsecret on Linux).
const UNREACHABLE =
  /could not connect|autolaunch|not provided by any|ServiceUnknown|NoReply|disconnected|no such (file|object)|does not exist/i;
const LOCKED = /locked|unlock|denied|dismiss|cancel|not allowed|interaction/i;

function classify(error: unknown, redactor: SecretRedactor): KeychainFailure {
  const message = redactor.redact(error instanceof Error ? error.message : String(error));
  if (!UNREACHABLE.test(message) && LOCKED.test(message)) {
    return { code: 'keychain_locked', reason: `${LOCKED_REASON} (${message})` };
  }
  return {
    code: 'keychain_unavailable',
    reason:
      process.platform === 'linux'
        ? `the Secret Service is not reachable or has no default keyring (${message}); run a keyring such as gnome-keyring or KeePassXC in your desktop session`
        : `the OS keychain is not reachable (${message})`,
  };
}

/**
 * Reads the `Locked` property of the Secret Service's default collection with `gdbus` (part of GLib, present
 * wherever libsecret is). keytar cannot report a locked collection itself: libsecret tries to unlock it,
 * and when the unlock prompt is dismissed or cannot be shown, lookups return nothing and deletes delete
 * nothing, exactly as if the secret were absent. `undefined` when gdbus or the property is unavailable.
 */
export function isSecretServiceLocked(): Promise<boolean | undefined> {
  const args = [
    'call',
    '--session',
    '--dest',
    'org.freedesktop.secrets',
    '--object-path',
    '/org/freedesktop/secrets/aliases/default',
    '--method',
    'org.freedesktop.DBus.Properties.Get',
    'org.freedesktop.Secret.Collection',
    'Locked',
  ];
  return new Promise((resolve) => {
    execFile('gdbus', args, { timeout: 5_000 }, (error, stdout) => {
      if (error) resolve(undefined);
      else if (stdout.includes('<true>')) resolve(true);
      else if (stdout.includes('<false>')) resolve(false);
      else resolve(undefined);
    });
  });
}
