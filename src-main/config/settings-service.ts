import { SETTINGS_SCHEMAS, type SettingsKey, type SettingsValue } from '../../src-shared/settings';
import { TriadError } from '../../src-shared/errors';
import { describeValidationIssues } from '../../src-shared/chat';
import type { SettingsRepository } from '../store/repositories';

/** Typed application settings over the settings repository; every value is validated on read and write. */
export class SettingsService {
  /** Parsed values by the stored object they came from: the facade reads settings on every request, and
   * the repository (memoised) hands back the same object until it changes. */
  private readonly parsed = new WeakMap<object, unknown>();

  /** The defaults of settings never stored, parsed once per key (defaults never change). */
  private readonly defaults = new Map<SettingsKey, unknown>();

  constructor(private readonly repository: SettingsRepository) {}

  async get<K extends SettingsKey>(key: K): Promise<SettingsValue<K>> {
    const stored = await this.repository.get(key);
    if (stored === null || stored === undefined) {
      const known = this.defaults.get(key);
      if (known !== undefined) return known as SettingsValue<K>;
      const value = this.parse(key, {}, 'stored');
      this.defaults.set(key, value);
      return value;
    }
    if (typeof stored !== 'object') return this.parse(key, stored, 'stored');
    const known = this.parsed.get(stored);
    if (known !== undefined) return known as SettingsValue<K>;
    const value = this.parse(key, stored, 'stored');
    this.parsed.set(stored, value);
    return value;
  }

  async set<K extends SettingsKey>(key: K, value: unknown): Promise<SettingsValue<K>> {
    const parsed = this.parse(key, value, 'new');
    await this.repository.set(key, parsed);
    return parsed;
  }

  private parse<K extends SettingsKey>(key: K, value: unknown, which: string): SettingsValue<K> {
    const result = SETTINGS_SCHEMAS[key].safeParse(value);
    if (!result.success) {
      throw new TriadError({
        code: 'validation_failed',
        message: `${which} setting '${key}' is invalid: ${describeValidationIssues(result.error)}`,
      });
    }
    return result.data as SettingsValue<K>;
  }
}
