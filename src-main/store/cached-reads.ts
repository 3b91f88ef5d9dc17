import type { DirectoryRepository, FeatureFlagRepository, SettingsRepository, SpaceConfigRepository } from './repositories';

interface Entry {
  value: unknown;
  loadedAt: number;
}

/**
 * A read-through memo for the configuration the facade reads on every request (flags, settings, who may
 * see what, the tiers' Spaces). A value older than `ttlMs` is still served, and read again behind it
 * (stale-while-revalidate), so a change made elsewhere (another operator, another process) applies within
 * `ttlMs` and one read; a change made here applies at once. Only the first read of a key waits for the store:
 * a request never queues behind a long write of the request log (PGlite runs one statement at a time). When
 * the store fails, the last value read is served: the facade keeps answering while the store is away.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  /** Reads under way; `invalidate` forgets them, so a read that began before a write cannot store its result. */
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ttlMs: number,
    private readonly onStale: (key: string, error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (!entry) return this.read(key, load);
    if (this.now() - entry.loadedAt >= this.ttlMs) void this.read(key, load).catch(() => undefined);
    return entry.value as T;
  }

  /** Forgets the values whose key starts with `prefix` (after a write). */
  invalidate(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const key of this.loading.keys()) if (key.startsWith(prefix)) this.loading.delete(key);
  }

  /** Reads `key` once however many ask meanwhile; a failed read serves the last value, if there is one. */
  private read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const under = this.loading.get(key) as Promise<T> | undefined;
    if (under) return under;
    const current = (): boolean => this.loading.get(key) === reading;
    const reading: Promise<T> = load().then(
      (value) => {
        if (current()) this.entries.set(key, { value, loadedAt: this.now() });
        return value;
      },
      (error: unknown) => {
        const last = this.entries.get(key);
        if (!last) throw error;
        this.onStale(key, error);
        return last.value as T;
      },
    ).finally(() => {
      if (current()) this.loading.delete(key);
    });
    this.loading.set(key, reading);
    return reading;
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
