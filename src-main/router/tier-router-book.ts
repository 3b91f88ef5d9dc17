import type { TierRouterRecord, TierRouterRepository } from '../store/repositories';
import { loadRouter, type LoadedRouter } from './tier-router-model';

/** A company's router, or why there is none to use (said in the routing reason). */
export type RouterLookup = { router: LoadedRouter } | { missing: string };

/** How often the routers are read again: a router trained elsewhere (another operator, the CLI) serves within this. */
export const ROUTER_REFRESH_MS = 5_000;

/**
 * The companies' current routers, loaded in memory so that the selector scores a prompt without a store read:
 * read on first use, then again in the background when older than {@link ROUTER_REFRESH_MS} (the request that
 * finds them old is served from the ones it has). A training here puts its router in at once. When the store
 * cannot be read, the routers read last keep serving.
 */
export class TierRouterBook {
  private routers = new Map<string, LoadedRouter | { unreadable: string }>();
  private loadedAt: number | undefined;
  private loading: Promise<void> | undefined;
  private failure: string | undefined;

  constructor(
    /** Read at each refresh: team mode changes the store behind it. */
    private readonly repository: () => TierRouterRepository,
    private readonly options: { refreshMs?: number; now?: () => number; onError?: (error: unknown) => void } = {},
  ) {}

  async lookup(company: string): Promise<RouterLookup> {
    const now = (this.options.now ?? Date.now)();
    if (this.loadedAt === undefined) await this.refresh();
    else if (now - this.loadedAt >= (this.options.refreshMs ?? ROUTER_REFRESH_MS)) void this.refresh();
    const entry = this.routers.get(company);
    if (entry === undefined) return { missing: this.failure && this.routers.size === 0 ? `the routers could not be read (${this.failure})` : `none trained for '${company}'` };
    if ('unreadable' in entry) return { missing: entry.unreadable };
    return { router: entry };
  }

  /** Reads every current router again; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.loading ??= this.repository()
      .listCurrent()
      .then(
        (records) => {
          this.routers = new Map(records.map((record) => [record.companySlug, loaded(record)]));
          this.failure = undefined;
        },
        (error: unknown) => {
          this.failure = error instanceof Error ? error.message : String(error);
          this.options.onError?.(error);
        },
      )
      .finally(() => {
        this.loadedAt = (this.options.now ?? Date.now)();
        this.loading = undefined;
      });
    return this.loading;
  }

  /** A router just trained and stored here serves from the next request. */
  put(record: TierRouterRecord): void {
    this.routers.set(record.companySlug, loaded(record));
  }
}

function loaded(record: TierRouterRecord): LoadedRouter | { unreadable: string } {
  const router = loadRouter(record);
  return 'error' in router ? { unreadable: router.error } : router;
}
