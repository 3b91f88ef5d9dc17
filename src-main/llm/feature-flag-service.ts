import { FLAG_DEFINITIONS, toFeatureFlags, type FeatureFlags, type FlagSource } from '../../src-shared/feature-flags';
import type { Provider } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { FeatureFlagRepository } from '../store/repositories';

/** Effective flags, with where each value came from. */
export interface FlagSnapshot {
  flags: FeatureFlags;
  sources: Record<string, FlagSource>;
}

/**
 * Feature flags: defaults, overridden by the database, overridden by environment variables. Read fresh on
 * every request so a change in Settings (or in the team's database) applies to the next request.
 */
export class FeatureFlagService {
  /** The last snapshot and the stored flags it came from (the memoised repository returns the same object until they change). */
  private last: { stored: Record<string, unknown>; snapshot: FlagSnapshot } | undefined;

  constructor(
    private readonly repository: FeatureFlagRepository,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  async read(): Promise<FlagSnapshot> {
    const stored = await this.repository.readAll();
    if (this.last?.stored === stored) return this.last.snapshot;
    const snapshot = this.interpret(stored);
    this.last = { stored, snapshot };
    return snapshot;
  }

  private interpret(stored: Record<string, unknown>): FlagSnapshot {
    const values: Record<string, Provider | boolean> = {};
    const sources: Record<string, FlagSource> = {};
    for (const flag of FLAG_DEFINITIONS) {
      const fromEnv = this.env[flag.envVar];
      if (fromEnv !== undefined && fromEnv !== '') {
        values[flag.key] = parse(flag.schema, coerceEnv(fromEnv), `environment variable ${flag.envVar}`);
        sources[flag.key] = 'environment';
      } else if (flag.key in stored) {
        values[flag.key] = parse(flag.schema, stored[flag.key], `feature flag '${flag.key}' in the database`);
        sources[flag.key] = 'database';
      } else {
        values[flag.key] = flag.defaultValue;
        sources[flag.key] = 'default';
      }
    }
    return { flags: toFeatureFlags(values), sources };
  }

  /** Stores a flag after validating it; an environment override, if any, still wins. */
  async set(key: string, value: unknown, updatedBy?: string): Promise<void> {
    const flag = FLAG_DEFINITIONS.find((d) => d.key === key);
    if (!flag) {
      throw new TriadError({ code: 'validation_failed', message: `unknown feature flag '${key}' (known: ${FLAG_DEFINITIONS.map((d) => d.key).join(', ')})` });
    }
    await this.repository.set(key, parse(flag.schema, value, `feature flag '${key}'`), updatedBy);
  }
}

function coerceEnv(raw: string): unknown {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'on', 'yes'].includes(value)) return true;
  if (['false', '0', 'off', 'no'].includes(value)) return false;
  return raw.trim();
}

function parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new TriadError({
    code: 'validation_failed',
    message: `${where}: ${result.error.issues[0]?.message ?? 'invalid value'} (got ${JSON.stringify(value)})`,
  });
}
