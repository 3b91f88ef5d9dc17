import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TriadError } from '../../src-shared/errors';
import type { SqlExecutor, SqlQueryable } from './sql-executor';
import { withStoreErrors } from './store-errors';

/** One migration file. */
export interface MigrationFile {
  /** The NNN of the file name. */
  version: number;
  /** The name after NNN_, without .sql. */
  name: string;
  /** The file name, e.g. 001_seed_schema.sql. */
  fileName: string;
  /** The file's SQL. */
  sql: string;
  /** sha256 of the file's text with line endings normalised, hex. */
  checksum: string;
}

/** What a migration run did. */
export interface MigrationResult {
  /** File names applied by this run, in order. */
  applied: string[];
  /** Highest version now applied. */
  currentVersion: number;
}

const FILE_PATTERN = /^(\d{3})_([a-z0-9]+(?:_[a-z0-9]+)*)\.sql$/;
/** Arbitrary constant shared by every Triad process: the key of the advisory lock serialising migrations. */
const MIGRATION_LOCK_KEY = 7_346_212_901;

/**
 * The `migrations` folder: walks up from this module until a `migrations` folder holding `001_*.sql` is
 * found. That is the repository's folder both from `src-main/store/` (dev, tests) and from `out/main/`
 * (an electron-vite build). A packaged app passes `migrationsDir` explicitly.
 */
export function findMigrationsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(candidate) && statSync(candidate).isDirectory() && readdirSync(candidate).some((f) => /^001_.*\.sql$/.test(f))) {
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new TriadError({ code: 'store_unavailable', message: `no migrations folder with 001_*.sql found above ${from}` });
    }
    dir = parent;
  }
}

/** Reads and checks the migration files of `dir`, in version order. Other files than `*.sql` are ignored. */
export function readMigrationFiles(dir: string): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const fileName of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const match = FILE_PATTERN.exec(fileName);
    if (!match) {
      throw new TriadError({
        code: 'store_unavailable',
        message: `malformed migration file name ${join(dir, fileName)}: expected NNN_lowercase_name.sql, e.g. 005_add_index.sql`,
      });
    }
    const version = Number(match[1]);
    const previous = files.at(-1);
    if (previous?.version === version) {
      throw new TriadError({
        code: 'store_unavailable',
        message: `two migration files share version ${match[1]} in ${dir}: ${previous.fileName} and ${fileName}`,
      });
    }
    // Normalised so that a checkout with CRLF line endings (git autocrlf on Windows) has the same checksum.
    const sql = readFileSync(join(dir, fileName), 'utf8').replace(/\r\n/g, '\n');
    const checksum = createHash('sha256').update(sql).digest('hex');
    files.push({ version, name: match[2]!, fileName, sql, checksum });
  }
  return files;
}

type AppliedRow = {
  version: number;
  name: string;
  checksum: string;
};

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`;

/**
 * Applies the pending migrations of `migrationsDir` (default {@link findMigrationsDir}), each in its own
 * transaction, and records them in `schema_migrations`. Running it again applies nothing. Every transaction
 * first takes a PostgreSQL advisory lock, so processes migrating one database at once take turns.
 * Refuses, naming the file, when an applied file was changed since, or when the database has versions
 * this app has no file for (it was migrated by a newer Triad).
 */
export async function migrate(executor: SqlExecutor, options: { migrationsDir?: string } = {}): Promise<MigrationResult> {
  const dir = options.migrationsDir ?? findMigrationsDir();
  const files = readMigrationFiles(dir);
  const applied: string[] = [];

  await withStoreErrors('preparing schema_migrations', () =>
    executor.transaction(async (tx) => {
      await lock(tx);
      await tx.exec(CREATE_TABLE);
      verifyApplied(await readApplied(tx), files, dir);
    }),
  );

  for (const file of files) {
    const done = await withStoreErrors(`applying migration ${join(dir, file.fileName)}`, () =>
      executor.transaction(async (tx) => {
        await lock(tx);
        // Another process may have applied it while this one waited for the lock.
        const already = await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations WHERE version = $1', [file.version]);
        if (already.length > 0) {
          verifyApplied(already, [file], dir);
          return false;
        }
        await tx.exec(file.sql);
        await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.name, file.checksum]);
        return true;
      }),
    );
    if (done) applied.push(file.fileName);
  }
  return { applied, currentVersion: files.at(-1)?.version ?? 0 };
}

async function lock(tx: SqlQueryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

async function readApplied(tx: SqlQueryable): Promise<AppliedRow[]> {
  return tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
}

function verifyApplied(rows: AppliedRow[], files: MigrationFile[], dir: string): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of rows) {
    const file = byVersion.get(Number(row.version));
    if (!file) {
      if (files.length > 0 && Number(row.version) < files.at(-1)!.version) {
        throw new TriadError({
          code: 'store_unavailable',
          message: `migration ${row.version} (${row.name}) is applied to the database but its file is missing from ${dir}`,
        });
      }
      throw new TriadError({
        code: 'store_unavailable',
        message:
          `the database was migrated by a newer Triad (it has migration ${row.version}, ${row.name}; ` +
          `this app knows up to ${files.at(-1)?.version ?? 0}): update Triad`,
      });
    }
    if (file.checksum !== row.checksum) {
      throw new TriadError({
        code: 'store_unavailable',
        message:
          `migration file ${join(dir, file.fileName)} was changed after it was applied (checksum differs): ` +
          'restore it and put the change in a new numbered file',
      });
    }
  }
}
