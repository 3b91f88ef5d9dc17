import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteExecutor } from '../../src-main/store/adapters/pglite-executor';
import { openPostgresExecutor } from '../../src-main/store/adapters/postgres-executor';
import { findMigrationsDir, migrate } from '../../src-main/store/migrator';
import type { SqlExecutor } from '../../src-main/store/sql-executor';
import { createTestDatabase, thrownBy, type TestDatabase } from './support';

const repoMigrations = resolve(import.meta.dirname, '../../migrations');
const migrationFiles = readdirSync(repoMigrations).filter((f) => f.endsWith('.sql')).sort();

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh, empty PostgreSQL database with an executor on it. */
async function freshPostgres(): Promise<{ executor: SqlExecutor; database: TestDatabase }> {
  const database = await createTestDatabase();
  const executor = await openPostgresExecutor({ connectionString: database.url });
  cleanups.push(() => database.drop(), () => executor.close());
  return { executor, database };
}

/** A copy of the repository's migrations that a test may change. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'triad-migrations-'));
  cpSync(repoMigrations, dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('migrator', () => {
  it('applies every file once, in order, recording version, name and checksum; a second run applies nothing', async () => {
    const { executor } = await freshPostgres();
    const first = await migrate(executor, { migrationsDir: repoMigrations });
    expect(first.applied).toEqual(migrationFiles);

    const rows = await executor.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
      'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => `${String(r.version).padStart(3, '0')}_${r.name}.sql`)).toEqual(migrationFiles);
    const seed = readFileSync(join(repoMigrations, migrationFiles[0]!), 'utf8');
    expect(rows[0]!.checksum).toBe(createHash('sha256').update(seed).digest('hex'));
    expect(rows[0]!.applied_at).toBeInstanceOf(Date);

    const second = await migrate(executor, { migrationsDir: repoMigrations });
    expect(second.applied).toEqual([]);
    expect(await executor.query('SELECT version FROM schema_migrations')).toHaveLength(migrationFiles.length);
  });

  it('applies only the new file when one is added', async () => {
    const { executor } = await freshPostgres();
    const dir = copyOfMigrations();
    await migrate(executor, { migrationsDir: dir });
    writeFileSync(join(dir, '900_add_probe.sql'), 'CREATE TABLE probe (id int);\n');
    expect((await migrate(executor, { migrationsDir: dir })).applied).toEqual(['900_add_probe.sql']);
    expect(await executor.query('SELECT * FROM probe')).toEqual([]);
  });

  it('refuses to run when an applied file was changed, naming the file', async () => {
    const { executor } = await freshPostgres();
    const dir = copyOfMigrations();
    await migrate(executor, { migrationsDir: dir });
    const changed = migrationFiles[1]!;
    appendFileSync(join(dir, changed), '\nALTER TABLE companies ADD COLUMN sneaky text;\n');
    const error = await thrownBy(() => migrate(executor, { migrationsDir: dir }));
    expect(error.code).toBe('store_unavailable');
    expect(error.message).toContain(join(dir, changed));
    expect(error.message).toMatch(/changed after it was applied/);
  });

  it('refuses a malformed file name before touching the database, naming the file', async () => {
    const dir = copyOfMigrations();
    writeFileSync(join(dir, '5_Add Things.sql'), 'SELECT 1;');
    const executor = { query: () => Promise.reject(new Error('must not be called')) } as unknown as SqlExecutor;
    const error = await thrownBy(() => migrate(executor, { migrationsDir: dir }));
    expect(error.message).toContain('5_Add Things.sql');
    expect(error.message).toMatch(/malformed migration file name/);
  });

  it('rolls back a failing file entirely and reports it', async () => {
    const { executor } = await freshPostgres();
    const dir = copyOfMigrations();
    writeFileSync(join(dir, '901_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_column FROM half_done;\n');
    const error = await thrownBy(() => migrate(executor, { migrationsDir: dir }));
    expect(error.message).toContain('901_broken.sql');
    expect(await executor.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toEqual([]);
    expect(await executor.query('SELECT version FROM schema_migrations WHERE version = 901')).toEqual([]);
  });

  it('refuses a database migrated by a newer Triad', async () => {
    const { executor } = await freshPostgres();
    const dir = copyOfMigrations();
    writeFileSync(join(dir, '950_future.sql'), 'SELECT 1;\n');
    await migrate(executor, { migrationsDir: dir });
    const error = await thrownBy(() => migrate(executor, { migrationsDir: repoMigrations }));
    expect(error.message).toMatch(/migrated by a newer Triad.*950/);
  });

  it('lets two processes migrate one PostgreSQL database at once: each file is applied exactly once', async () => {
    const { executor, database } = await freshPostgres();
    const other = await openPostgresExecutor({ connectionString: database.url });
    cleanups.push(() => other.close());
    const [a, b] = await Promise.all([migrate(executor, { migrationsDir: repoMigrations }), migrate(other, { migrationsDir: repoMigrations })]);
    expect([...a.applied, ...b.applied].sort()).toEqual(migrationFiles);
    expect(await executor.query('SELECT version FROM schema_migrations')).toHaveLength(migrationFiles.length);
  });

  it('finds the migrations folder from the source tree and from an electron-vite build folder', () => {
    expect(findMigrationsDir()).toBe(repoMigrations);
    expect(findMigrationsDir(resolve(repoMigrations, '../out/main'))).toBe(repoMigrations);
  });
});

const EXPECTED_COLUMNS: Record<string, string[]> = {
  model_registry: [
    'id', 'name', 'version', 'tier', 'created_at', 'hf_space_url', 'hf_model_id', 'hf_space_id', 'hf_commit', 'base_model',
    'dataset_version', 'gguf_file', 'training_run_id', 'metrics',
  ],
  hf_spaces_config: ['id', 'space_name', 'space_type', 'api_endpoint', 'is_active', 'model_version', 'created_at', 'updated_at'],
  hf_deployments: [
    'id', 'space_id', 'model_id', 'deployment_status', 'deployment_logs', 'created_at', 'updated_at', 'tier', 'target', 'kind',
    'space_repo', 'model_version', 'previous_deployment_id', 'steps', 'hardware', 'sleep_time_seconds', 'override_reason',
    'created_by', 'finished_at', 'installation_id',
  ],
  companies: ['id', 'slug', 'name', 'created_at'],
  users: ['id', 'display_name', 'email', 'role', 'created_at'],
  user_company_access: ['user_id', 'company_id'],
  feature_flags: ['key', 'value', 'updated_at', 'updated_by'],
  app_settings: ['key', 'value', 'updated_at'],
  conversations: ['id', 'user_id', 'company_id', 'title', 'created_at', 'updated_at'],
  llm_requests: [
    'id', 'conversation_id', 'user_id', 'company_id', 'requested_tier', 'tier', 'provider', 'model_id', 'model_version',
    'routing_reason', 'status', 'error_code', 'error_message', 'finish_reason', 'ttft_ms', 'latency_ms', 'tokens_in',
    'tokens_out', 'created_at', 'completed_at', 'route_attempts', 'cache_hit',
  ],
  messages: ['id', 'conversation_id', 'request_id', 'role', 'content', 'created_at'],
  message_search: ['message_id', 'request_id', 'document'],
  message_search_pending: ['message_id'],
  feedback: ['id', 'request_id', 'user_id', 'thumbs', 'rating', 'comment', 'corrected_answer', 'created_at', 'updated_at'],
  company_knowledge: ['id', 'company_id', 'title', 'content', 'created_at'],
  cross_company_insights: ['id', 'sector', 'title', 'content', 'sample_size', 'created_at'],
  preferences: ['id', 'user_id', 'prompt', 'request_ids', 'verdict', 'winner_request_id', 'created_at'],
  review_labels: ['request_id', 'label', 'corrected_answer', 'tags', 'note', 'reviewer_id', 'updated_at'],
  review_label_history: ['id', 'request_id', 'label', 'corrected_answer', 'tags', 'note', 'reviewer_id', 'created_at'],
  review_queues: ['id', 'user_id', 'name', 'filter', 'created_at'],
  dataset_versions: ['id', 'kind', 'tier', 'company_slug', 'counts', 'anonymiser_version', 'status', 'repo', 'commit_sha', 'push_error', 'created_by', 'created_at', 'pushed_at'],
  tier_routers: ['id', 'company_id', 'strong_tier', 'weak_tier', 'model', 'threshold', 'target_share', 'vote_counts', 'metrics', 'trained_by', 'trained_at'],
  tier_routers_current: ['id', 'company_slug', 'strong_tier', 'weak_tier', 'model', 'threshold', 'target_share', 'vote_counts', 'metrics', 'trained_by', 'trained_at'],
  training_runs: [
    'id', 'job_id', 'namespace', 'dataset_repo', 'dataset_revision', 'base_model', 'kind', 'params', 'flavor', 'price_usd_per_hour',
    'timeout_seconds', 'output_repo', 'script_sha256', 'stage', 'stage_history', 'progress', 'last_log_lines', 'failure_reason',
    'model_id', 'created_by', 'created_at', 'started_at', 'finished_at', 'updated_at',
  ],
  evaluation_runs: [
    'id', 'candidate_model_id', 'candidate_version', 'candidate_source', 'tier', 'serving_version', 'dataset_version', 'status', 'item_count',
    'failure_reason', 'judge_model', 'report', 'created_by', 'created_at', 'finished_at', 'updated_at',
  ],
  evaluation_items: [
    'id', 'run_id', 'position', 'company_slug', 'messages', 'reference', 'candidate_first', 'candidate_answer', 'serving_answer', 'verdict',
    'judged_by', 'judged_at', 'judge_verdict',
  ],
  // A view: the runs with their answered and judged counts.
  evaluation_run_summaries: [
    'id', 'candidate_model_id', 'candidate_version', 'candidate_source', 'tier', 'serving_version', 'dataset_version', 'status', 'item_count',
    'failure_reason', 'judge_model', 'report', 'created_by', 'created_at', 'finished_at', 'updated_at', 'answered_count', 'judged_count',
  ],
  schema_migrations: ['version', 'name', 'checksum', 'applied_at'],
};

for (const backend of ['PGlite', 'PostgreSQL'] as const) {
  describe(`schema after migration on ${backend}`, () => {
    let executor: SqlExecutor;
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      if (backend === 'PGlite') {
        executor = await openPgliteExecutor();
      } else {
        database = await createTestDatabase();
        executor = await openPostgresExecutor({ connectionString: database.url });
      }
      await migrate(executor);
    });
    afterAll(async () => {
      await executor?.close();
      await database?.drop();
    });

    it('has every table with its columns, including the seed’s Hugging Face columns', async () => {
      const rows = await executor.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
      );
      const actual: Record<string, string[]> = {};
      for (const row of rows) (actual[row.table_name] ??= []).push(row.column_name);
      expect(actual).toEqual(EXPECTED_COLUMNS);
    });

    it('types the seed columns as the architecture document gives them', async () => {
      const rows = await executor.query<{ column: string; data_type: string; is_nullable: string; column_default: string | null }>(
        `SELECT table_name || '.' || column_name AS column, data_type, is_nullable, column_default
           FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name IN ('hf_spaces_config', 'model_registry')
            AND column_name IN ('id', 'space_type', 'is_active', 'created_at', 'hf_space_url')`,
      );
      const byColumn = Object.fromEntries(rows.map((r) => [r.column, r]));
      expect(byColumn['hf_spaces_config.id']).toMatchObject({ data_type: 'uuid', is_nullable: 'NO', column_default: 'gen_random_uuid()' });
      expect(byColumn['hf_spaces_config.is_active']).toMatchObject({ data_type: 'boolean', column_default: 'true' });
      expect(byColumn['hf_spaces_config.created_at']).toMatchObject({ data_type: 'timestamp with time zone', column_default: 'now()' });
      expect(byColumn['model_registry.hf_space_url']).toMatchObject({ data_type: 'text', is_nullable: 'YES' });
    });
  });
}
