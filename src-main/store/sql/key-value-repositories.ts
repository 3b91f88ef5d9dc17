import type { FeatureFlagRepository, SettingsRepository } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { toJsonText } from '../values';

interface KeyValueRow {
  key: string;
  value: unknown;
  [column: string]: unknown;
}

function requireKey(key: string, what: string): void {
  if (typeof key !== 'string' || key === '') throw invalidInput(`${what} key must be a non-empty string`);
}

function toRecord(rows: KeyValueRow[]): Record<string, unknown> {
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

// Values are sent as JSON text and cast in SQL: drivers serialise a bare string or array parameter
// differently (pg turns an array into a PostgreSQL array literal), text is sent the same by both.

/** Feature flags in table `feature_flags`. */
export class SqlFeatureFlagRepository implements FeatureFlagRepository {
  constructor(private readonly db: SqlExecutor) {}

  async readAll(): Promise<Record<string, unknown>> {
    const rows = await withStoreErrors('reading feature flags', () => this.db.query<KeyValueRow>('SELECT key, value FROM feature_flags'));
    return toRecord(rows);
  }

  async set(key: string, value: unknown, updatedBy?: string): Promise<void> {
    requireKey(key, 'feature flag');
    const json = toJsonText(value, `feature flag '${key}'`);
    await withStoreErrors(`setting feature flag '${key}'`, () =>
      this.db.query(
        `INSERT INTO feature_flags (key, value, updated_by) VALUES ($1, $2::text::jsonb, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [key, json, updatedBy ?? null],
      ),
    );
  }
}

/** Application settings in table `app_settings`. */
export class SqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** The stored value, or undefined when the key was never set. */
  async get(key: string): Promise<unknown> {
    const rows = await withStoreErrors(`reading setting '${key}'`, () =>
      this.db.query<KeyValueRow>('SELECT key, value FROM app_settings WHERE key = $1', [key]),
    );
    return rows[0]?.value;
  }

  async getAll(): Promise<Record<string, unknown>> {
    const rows = await withStoreErrors('reading settings', () => this.db.query<KeyValueRow>('SELECT key, value FROM app_settings'));
    return toRecord(rows);
  }

  async set(key: string, value: unknown): Promise<void> {
    requireKey(key, 'setting');
    const json = toJsonText(value, `setting '${key}'`);
    await withStoreErrors(`saving setting '${key}'`, () =>
      this.db.query(
        `INSERT INTO app_settings (key, value) VALUES ($1, $2::text::jsonb)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [key, json],
      ),
    );
  }
}
