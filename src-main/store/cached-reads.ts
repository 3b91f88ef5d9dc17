import type { DirectoryRepository, FeatureFlagRepository, SettingsRepository, SpaceConfigRepository } from './repositories';

interface Entry {
  value: unknown;
  loadedAt: number;
}

/**
 * A read-through memo for the configuration the facade reads on every request (flags, settings, who may
 * see what, the tiers' Spaces). Values are fresh for `ttlMs`, so a change made elsewhere (another operator,
 * another process) applies within that time; a change made here applies at once. When the store fails, the
 * last value read is served: the facade keeps answering while the store is away.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ttlMs: number,
    private readonly onStale: (key: string, error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.value as T;
    let pending = this.loading.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load().then(
        (value) => {
          this.entries.set(key, { value, loadedAt: this.now() });
          return value;
        },
        (error: unknown) => {
          if (!entry) throw error;
          this.onStale(key, error);
          return entry.value as T;
        },
      );
      const settled = pending.finally(() => this.loading.delete(key));
      this.loading.set(key, settled);
      pending = settled;
    }
    return pending;
  }

  /** Forgets the values whose key starts with `prefix` (after a write). */
  invalidate(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** The flags repository with memoised reads; a write here is seen at once. */
export function cachedFlags(repository: FeatureFlagRepository, cache: ReadCache): FeatureFlagRepository {
  return {
    readAll: () => cache.get('flags', () => repository.readAll()),
    set: async (key, value, updatedBy) => {
      await repository.set(key, value, updatedBy);
      cache.invalidate('flags');
    },
  };
}

/** The settings repository with memoised reads (one read of all settings serves every key). */
export function cachedSettings(repository: SettingsRepository, cache: ReadCache): SettingsRepository {
  const all = () => cache.get('settings', () => repository.getAll());
  return {
    get: async (key) => (await all())[key],
    getAll: all,
    set: async (key, value) => {
      await repository.set(key, value);
      cache.invalidate('settings');
    },
  };
}

/** The directory with memoised reads of users and companies; writes go through and refresh them. */
export function cachedDirectory(repository: DirectoryRepository, cache: ReadCache): DirectoryRepository {
  const write = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const result = await fn(...args);
    cache.invalidate('directory:');
    return result;
  };
  return {
    getUserAccess: (userId) => cache.get(`directory:user:${userId}`, () => repository.getUserAccess(userId)),
    findCompany: (slug) => cache.get(`directory:company:${slug}`, () => repository.findCompany(slug)),
    listCompanies: () => cache.get('directory:companies', () => repository.listCompanies()),
    createCompany: write((company) => repository.createCompany(company)),
    createUser: write((user) => repository.createUser(user)),
    grantCompanyAccess: write((userId, slug) => repository.grantCompanyAccess(userId, slug)),
  };
}

/** The Space configuration with memoised reads. */
export function cachedSpaces(repository: SpaceConfigRepository, cache: ReadCache): SpaceConfigRepository {
  return {
    activeSpaceFor: (tier) => cache.get(`spaces:${tier}`, () => repository.activeSpaceFor(tier)),
    list: () => cache.get('spaces:all', () => repository.list()),
    upsert: async (space) => {
      const saved = await repository.upsert(space);
      cache.invalidate('spaces:');
      return saved;
    },
  };
}
