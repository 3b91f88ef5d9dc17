import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desktopSecretStore } from '../../src-main/secrets/desktop-secret-store';
import { KeychainSecretStore, requireKeytar } from '../../src-main/secrets/keychain-secret-store';
import { keychainImportSource, platformKeychainReader } from '../../src-main/secrets/platform-keychain-reader';
import { SafeStorageSecretStore, type KeychainReader } from '../../src-main/secrets/safe-storage-secret-store';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';
import { KEYCHAIN_SECRET_NAMES, type SecretRedactor } from '../../src-main/secrets/secret-store';
import { SafeStorageStandIn, type SafeStorageStandInOptions } from '../support/safe-storage-stand-in';
import { expectTriadError, hfToken, secretStoreContract } from './secret-store-contract';

// Electron cannot run here: its safeStorage is played by a stand-in that really encrypts (AES-256-GCM), with its key
// in the real Secret Service (the suite's gnome-keyring), as Chromium's OSCrypt keeps "Chromium Safe Storage".
const keyServices: string[] = [];
const keytarServices: string[] = [];
const folders: string[] = [];

afterEach(async () => {
  const keytar = requireKeytar();
  for (const service of keyServices.splice(0)) await keytar.deletePassword(service, 'Triad Safe Storage');
  for (const service of keytarServices.splice(0)) {
    for (const account of KEYCHAIN_SECRET_NAMES) await keytar.deletePassword(service, account);
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A data folder and a safeStorage key of their own; `open` is the app starting on them. */
function desktop(standIn: Omit<SafeStorageStandInOptions, 'keyService'> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'triad-safe-storage-'));
  folders.push(dataDir);
  const keyService = `triad-test-key-${randomBytes(6).toString('hex')}`;
  keyServices.push(keyService);
  const file = join(dataDir, 'secrets.json');
  const safeStorage = new SafeStorageStandIn({ keyService, ...standIn });
  const open = (options: { redactor?: SecretRedactor; importFrom?: KeychainReader; safeStorage?: SafeStorageStandIn } = {}) =>
    new SafeStorageSecretStore({
      safeStorage: options.safeStorage ?? safeStorage,
      file,
      redactor: options.redactor ?? new TokenSecretRedactor(),
      importFrom: options.importFrom,
      platform: 'linux',
    });
  return { dataDir, file, keyService, safeStorage, open };
}

/** A keychain service of its own, holding what browser mode (keytar) saved. */
async function browserModeKeychain(values: Partial<Record<(typeof KEYCHAIN_SECRET_NAMES)[number], string>>) {
  const service = `triad-test-${randomBytes(6).toString('hex')}`;
  keytarServices.push(service);
  const keytar = requireKeytar();
  for (const [account, value] of Object.entries(values)) await keytar.setPassword(service, account, value);
  return { service, store: new KeychainSecretStore({ redactor: new TokenSecretRedactor(), service }) };
}

describe('SecretStore contract: Electron safeStorage, ciphertexts in the data folder (desktop app)', () => {
  secretStoreContract({
    detail: /^Electron safeStorage \(key in the Secret Service \(gnome_libsecret\)\), encrypted in .+secrets\.json$/,
    place: async () => {
      const { open } = desktop();
      return { open: (redactor) => open({ redactor }) };
    },
  });
});

describe('the encrypted secrets file', () => {
  it('holds only ciphertext, is readable by its owner alone, and leaves no temporary file behind', async () => {
    const { open, file, dataDir } = desktop();
    const token = hfToken();
    await open().set('huggingface-token', token);
    await open().set('openai-api-key', 'sk-proj-file-check-0123456789');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(3, 15));
    expect(text).not.toContain('file-check');
    expect(JSON.parse(text)).toMatchObject({ format: 1, entries: { 'huggingface-token': expect.any(String), 'openai-api-key': expect.any(String) } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual(['secrets.json']);
  });

  it('cannot be read with another key: says so and what to do, and the status marks the secret unset', async () => {
    const { open, safeStorage } = desktop();
    await open().set('huggingface-token', hfToken());
    await safeStorage.resetKey();
    const error = await expectTriadError(open().get('huggingface-token'), 'keychain_unavailable');
    expect(error.message).toContain('Could not read the Hugging Face token (huggingface-token) from the encrypted secrets file');
    expect(error.message).toContain('cannot be decrypted with the key the OS keychain now holds');
    expect(error.message).toContain('save it again in Settings → API keys');
    const status = await open().status();
    expect(status.secrets['huggingface-token']).toBe('unset');
    expect(status.keychain.detail).toContain('huggingface-token cannot be decrypted');
    // Saving it again works, under the new key.
    const again = hfToken();
    await open().set('huggingface-token', again);
    expect(await open().get('huggingface-token')).toBe(again);
  });

  it('a damaged file is reported with its path and what to do, never a crash', async () => {
    const { open, file } = desktop();
    writeFileSync(file, '{"format": 1, "entries": {"huggingface-token": "trunc');
    const status = await open().status();
    expect(status.keychain).toEqual({ available: false, detail: `${file} is not valid JSON: delete it and save the keys again in Settings → API keys` });
    const error = await expectTriadError(open().set('huggingface-token', hfToken()), 'keychain_unavailable');
    expect(error.message).toContain(`${file} is not valid JSON`);
    expect(error.message).toContain('HF_TOKEN');
  });

  it('re-encrypts a value when safeStorage says its key was rotated', async () => {
    const { open, file, safeStorage } = desktop();
    const token = hfToken();
    await open().set('huggingface-token', token);
    const before = JSON.parse(readFileSync(file, 'utf8')).entries['huggingface-token'] as string;
    safeStorage.rotateOnNextDecrypt = true;
    expect(await open().get('huggingface-token')).toBe(token);
    const after = JSON.parse(readFileSync(file, 'utf8')).entries['huggingface-token'] as string;
    expect(after).not.toBe(before);
    expect(await open().get('huggingface-token')).toBe(token);
  });
});

describe('refusing to store secrets unsafely', () => {
  it("on Linux without a keyring (safeStorage's basic_text), says why, saves nothing, and the app runs on HF_TOKEN", async () => {
    const { open, dataDir, safeStorage } = desktop({ backend: 'basic_text' });
    const status = await open().status();
    expect(status.keychain.available).toBe(false);
    expect(status.keychain.detail).toContain("fixed key anyone can read (its 'basic_text' backend)");
    expect(status.keychain.detail).toContain('start a keyring');
    const token = hfToken();
    const error = await expectTriadError(open().set('huggingface-token', token), 'keychain_unavailable');
    expect(error.message).toContain('Could not save the Hugging Face token (huggingface-token) in the encrypted secrets file');
    expect(error.message).toContain('Alternatively set HF_TOKEN');
    expect(error.message).not.toContain(token);
    await expectTriadError(open().get('huggingface-token'), 'keychain_unavailable');
    expect(readdirSync(dataDir)).toEqual([]);
    expect(safeStorage.calls.encrypt).toBe(0);

    const fromEnvironment = desktopSecretStore({ safeStorage, dataDir, redactor: new TokenSecretRedactor(), env: { HF_TOKEN: token }, importFrom: undefined });
    expect(await fromEnvironment.get('huggingface-token')).toBe(token);
    expect((await fromEnvironment.status()).secrets['huggingface-token']).toBe('environment');
  });

  it('when safeStorage cannot encrypt at all, reports the keychain unavailable', async () => {
    const { open } = desktop({ available: false });
    expect((await open().status()).keychain).toMatchObject({ available: false, detail: expect.stringContaining("Electron's safeStorage cannot encrypt here") });
    await expectTriadError(open().set('openai-api-key', 'sk-proj-nowhere-0123'), 'keychain_unavailable');
  });
});

describe('importing what browser mode saved in the OS keychain, once', () => {
  it('imports each secret keytar holds under the service, keeps them in the keychain, and never imports again', async () => {
    const token = hfToken();
    const keychain = await browserModeKeychain({ 'huggingface-token': token, 'supabase-anon-key': 'anon-key-from-browser-mode' });
    const { open, file } = desktop();
    const first = open({ importFrom: keychain.store });
    expect((await first.status()).secrets).toEqual({ 'huggingface-token': 'keychain', 'openai-api-key': 'unset' });
    expect(await first.get('huggingface-token')).toBe(token);
    expect(await first.get('supabase-anon-key')).toBe('anon-key-from-browser-mode');
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    // Browser mode and the CLI still read theirs.
    expect(await keychain.store.get('huggingface-token')).toBe(token);

    // Cleared in the desktop app: stays cleared at the next start, though the keychain still has it.
    await first.delete('huggingface-token');
    expect(await open({ importFrom: keychain.store }).get('huggingface-token')).toBeUndefined();
  });

  it('does not overwrite a secret the desktop app already has', async () => {
    const keychain = await browserModeKeychain({ 'openai-api-key': 'sk-proj-older-browser-mode' });
    const { open } = desktop();
    await open().set('openai-api-key', 'sk-proj-desktop-own-key');
    expect(await open({ importFrom: keychain.store }).get('openai-api-key')).toBe('sk-proj-desktop-own-key');
  });

  it("reads keytar's items with secret-tool, as the desktop app must (keytar cannot load in Electron)", async () => {
    expect(spawnSync('sh', ['-c', 'command -v secret-tool']).status, 'secret-tool not found: install libsecret-tools (scripts/install-system-deps.sh)').toBe(0);
    const token = hfToken();
    const keychain = await browserModeKeychain({ 'huggingface-token': token });
    const reader = platformKeychainReader({ platform: 'linux', service: keychain.service });
    expect(reader, 'a reader on Linux').toBeDefined();
    expect(await reader!.get('huggingface-token')).toBe(token);
    expect(await reader!.get('openai-api-key')).toBeUndefined();
    const { open } = desktop();
    expect(await open({ importFrom: reader }).get('huggingface-token')).toBe(token);
  });

  it('when the keychain cannot be read, the store still works and the import is tried again at the next start', async () => {
    const token = hfToken();
    const keychain = await browserModeKeychain({ 'huggingface-token': token });
    const { open, file } = desktop();
    const missingTool = platformKeychainReader({ platform: 'linux', service: keychain.service, command: 'secret-tool-not-installed' });
    await expect(missingTool!.get('huggingface-token')).rejects.toThrow(/secret-tool-not-installed lookup failed/);
    const first = open({ importFrom: missingTool });
    await first.set('openai-api-key', 'sk-proj-works-anyway-0123');
    expect(await first.get('huggingface-token')).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8')).importedFromKeychain).toBe(false);
    const { keychain: status } = await first.status();
    expect(status.available).toBe(true);
    expect(status.detail).toContain('keys saved by browser mode in the OS keychain were not imported (secret-tool-not-installed lookup failed');

    expect(await open({ importFrom: keychain.store }).get('huggingface-token')).toBe(token);
    expect(JSON.parse(readFileSync(file, 'utf8')).importedFromKeychain).toBe(true);
  });

  it('the desktop store keeps its file in the data folder, and HF_TOKEN still wins over it', async () => {
    const { dataDir, safeStorage } = desktop();
    const saved = hfToken();
    const fromEnvironment = hfToken();
    const redactor = new TokenSecretRedactor();
    const keychain = await browserModeKeychain({});
    const importFrom = platformKeychainReader({ platform: 'linux', service: keychain.service });
    await desktopSecretStore({ safeStorage, dataDir, redactor, env: {}, importFrom }).set('huggingface-token', saved);
    expect(readdirSync(dataDir)).toEqual(['secrets.json']);
    const store = desktopSecretStore({ safeStorage, dataDir, redactor, env: { HF_TOKEN: fromEnvironment }, importFrom });
    expect(await store.get('huggingface-token')).toBe(fromEnvironment);
    expect(await desktopSecretStore({ safeStorage, dataDir, redactor, env: {}, importFrom }).get('huggingface-token')).toBe(saved);
  });

  it('imports through keytar where it loads, and through the platform tool where it does not (Electron)', async () => {
    const token = hfToken();
    const keychain = await browserModeKeychain({ 'huggingface-token': token });
    const throughKeytar = keychainImportSource({ service: keychain.service });
    const throughTool = keychainImportSource({
      service: keychain.service,
      platform: 'linux',
      loadKeytar: () => {
        throw new Error('The module keytar.node was compiled against a different Node.js version');
      },
    });
    for (const source of [throughKeytar, throughTool]) {
      const { open } = desktop();
      expect(await open({ importFrom: source }).get('huggingface-token')).toBe(token);
    }
  });

  it('macOS reads with `security`, and Windows has no reader (keys are entered again)', () => {
    expect(platformKeychainReader({ platform: 'darwin' })).toBeDefined();
    expect(platformKeychainReader({ platform: 'win32' })).toBeUndefined();
  });
});
