import type { FeatureFlagRepository, SettingsRepository } from '../repositories';
import { invalidInput } from '../store-errors';
import { toJsonText } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';

function requireKey(key: string, what: string): void {
  if (typeof key !== 'string' || key === '') throw invalidInput(`${what} key must be a non-empty string`);
}

function toRecord(rows: ApiRow[]): Record<string, unknown> {
  return Object.fromEntries(rows.map((row) => [String(row.key), row.value]));
}

// Values are written through functions taking JSON text: PostgREST turns a JSON null into SQL NULL, and a
// flag or setting may be JSON null (migrations/009).

/** Feature flags in `feature_flags`: every operator reads them, admins set them. */
export class SupabaseFeatureFlagRepository implements FeatureFlagRepository {
  constructor(private readonly api: OperatorApi) {}

  async readAll(): Promise<Record<string, unknown>> {
    const rows = await this.api.readAll('reading feature flags', (from, to) =>
      this.api.client.from('feature_flags').select('key, value').order('key').range(from, to),
    );
    return toRecord(rows);
  }

  async set(key: string, value: unknown, updatedBy?: string): Promise<void> {
    requireKey(key, 'feature flag');
    const json = toJsonText(value, `feature flag '${key}'`);
    await this.api.run(
      `setting feature flag '${key}'`,
      this.api.client.rpc('triad_set_feature_flag', { p_key: key, p_value_json: json, p_updated_by: updatedBy ?? null }),
    );
  }
}

/** Application settings in `app_settings`: every operator reads them, admins set them. */
export class SupabaseSettingsRepository implements SettingsRepository {
  constructor(private readonly api: OperatorApi) {}

  /** The stored value, or undefined when the key was never set. */
  async get(key: string): Promise<unknown> {
    const row = await this.api.run<ApiRow | null>(
      `reading setting '${key}'`,
      this.api.client.from('app_settings').select('key, value').eq('key', key).maybeSingle(),
    );
    return row ? row.value : undefined;
  }

  async getAll(): Promise<Record<string, unknown>> {
    const rows = await this.api.readAll('reading settings', (from, to) =>
      this.api.client.from('app_settings').select('key, value').order('key').range(from, to),
    );
    return toRecord(rows);
  }

  async set(key: string, value: unknown): Promise<void> {
    requireKey(key, 'setting');
    const json = toJsonText(value, `setting '${key}'`);
    await this.api.run(`saving setting '${key}'`, this.api.client.rpc('triad_set_app_setting', { p_key: key, p_value_json: json }));
  }
}
