import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { KEYCHAIN_SECRET_NAMES, type KeychainSecretName } from './secret-store';

/** What the file holds: ciphertexts only (base64), never a value in the clear. */
const SecretsFileSchema = z.strictObject({
  format: z.literal(1),
  /** Whether the secrets the OS keychain held under service `triad` (browser mode, the CLI) were imported. */
  importedFromKeychain: z.boolean().default(false),
  entries: z.partialRecord(z.enum(KEYCHAIN_SECRET_NAMES as [KeychainSecretName, ...KeychainSecretName[]]), z.base64()).default({}),
});

/** The file's contents. */
export type SecretsFileContents = z.output<typeof SecretsFileSchema>;

/** Thrown when the file exists but is not one this version wrote (truncated, edited by hand). */
export class DamagedSecretsFileError extends Error {}

/**
 * The file the safeStorage backend keeps its ciphertexts in, in the data folder. Written atomically (a private
 * temporary file, flushed, then renamed over the old one), so a crash leaves the old file or the new one, never
 * half of either; readable and writable by its owner only (0600), like an SSH key.
 */
export class EncryptedSecretsFile {
  constructor(readonly path: string) {}

  /** The contents; an empty file when there is none yet. Throws DamagedSecretsFileError when it cannot be read. */
  async read(): Promise<SecretsFileContents> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, importedFromKeychain: false, entries: {} };
      throw new DamagedSecretsFileError(`${this.path} cannot be read (${(error as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DamagedSecretsFileError(`${this.path} is not valid JSON`);
    }
    const parsed = SecretsFileSchema.safeParse(json);
    if (!parsed.success) throw new DamagedSecretsFileError(`${this.path} is not a Triad secrets file (${parsed.error.issues[0]?.message ?? 'unexpected content'})`);
    return parsed.data;
  }

  async write(contents: SecretsFileContents): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    // 'wx': never follow or reuse a file someone else put there; the mode applies as the file is created.
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(contents, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // A umask cannot widen 0600, but a file system may ignore the creation mode: set it explicitly too.
      await chmod(temporary, 0o600);
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
