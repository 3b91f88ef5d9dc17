import { TriadError } from '../../src-shared/errors';
import {
  ROUTER_DEFAULTS,
  RouterMetricsSchema,
  type RouterMetrics,
  type RouterStatus,
  type TierRouterView,
} from '../../src-shared/router-contract';
import type { FeatureFlagService } from '../llm/feature-flag-service';
import type { TierRouterRecord, TriadStore, UserAccess } from '../store/repositories';
import type { ExampleCounts } from './router-examples';
import type { TierRouterBook } from './tier-router-book';
import { trainRouter } from './train-router';

/** What the router service needs from the app. */
export interface TierRouterServiceDeps {
  store: TriadStore;
  flags: FeatureFlagService;
  book: TierRouterBook;
  /** Writes the request-log writer's batch: a vote cast a moment ago names requests that may still wait there. */
  flushRequestLog?: () => Promise<void>;
}

/** A stored router as the Settings page and `triad router status --json` show it. */
export function toRouterView(record: TierRouterRecord): TierRouterView {
  const metrics = RouterMetricsSchema.safeParse(record.metrics);
  const counts = record.voteCounts;
  return {
    id: record.id,
    company: record.companySlug,
    strongTier: record.strongTier,
    weakTier: record.weakTier,
    threshold: record.threshold,
    targetShare: record.targetShare,
    voteCounts: {
      votes: counts.votes ?? 0,
      strongWins: counts.strongWins ?? 0,
      weakWins: counts.weakWins ?? 0,
      ties: counts.ties ?? 0,
      bothBad: counts.bothBad ?? 0,
      otherVotes: counts.otherVotes ?? 0,
      thumbs: counts.thumbs ?? 0,
    },
    // A router trained by another version may have other numbers: shown without them rather than refused.
    metrics: metrics.success ? metrics.data : null,
    trainedBy: record.trainedBy,
    trainedAt: record.trainedAt.toISOString(),
  };
}

/**
 * The learned tier routers, for the Settings page and `triad router`: train a company's router from the votes
 * the operator may see, evaluate on held-out votes without storing, and show what serves. Training is for ML
 * leads and admins, on companies they may see; the store's row-level security says the same in team mode.
 */
export class TierRouterService {
  constructor(private readonly deps: TierRouterServiceDeps) {}

  async status(userId: string): Promise<RouterStatus> {
    const user = await this.user(userId);
    const [snapshot, companies, routers] = await Promise.all([this.deps.flags.read(), this.deps.store.directory.listCompanies(), this.deps.store.routers.listCurrent()]);
    const bySlug = new Map(routers.map((r) => [r.companySlug, r]));
    return {
      flag: { on: snapshot.flags.learnedRouter, source: snapshot.sources['router.learned'] ?? 'default' },
      companies: companies
        .filter((c) => user.companySlugs.includes(c.slug))
        .map((c) => {
          const router = bySlug.get(c.slug);
          return { slug: c.slug, name: c.name, router: router ? toRouterView(router) : null };
        }),
      canTrain: user.role === 'ml_lead' || user.role === 'admin',
    };
  }

  /** Trains and stores the company's router; it serves from the next request. */
  async train(userId: string, input: { company: string; maxShare?: number }): Promise<TierRouterView> {
    const { trained, user } = await this.fit(userId, input, 'train');
    const saved = await this.deps.store.routers.save({ ...trained.record, trainedBy: user.id });
    this.deps.book.put(saved);
    return toRouterView(saved);
  }

  /** The offline evaluation on the company's current votes; nothing is stored. */
  async evaluate(userId: string, input: { company: string; maxShare?: number }): Promise<{ company: string; voteCounts: ExampleCounts; metrics: RouterMetrics }> {
    const { trained } = await this.fit(userId, input, 'evaluate');
    return { company: input.company, voteCounts: trained.counts, metrics: trained.metrics };
  }

  private async fit(userId: string, input: { company: string; maxShare?: number }, verb: 'train' | 'evaluate') {
    const user = await this.user(userId);
    if (user.role !== 'ml_lead' && user.role !== 'admin') {
      throw new TriadError({ code: 'forbidden', message: `only an ML lead or an admin may ${verb} a tier router (${user.displayName} is ${user.role})` });
    }
    if (!user.companySlugs.includes(input.company)) {
      const known = await this.deps.store.directory.findCompany(input.company);
      throw new TriadError(
        known
          ? { code: 'forbidden', message: `company '${input.company}': not one of your companies, so its router is not yours to ${verb}` }
          : { code: 'validation_failed', message: `unknown company '${input.company}'` },
      );
    }
    await this.deps.flushRequestLog?.().catch(() => undefined);
    const sources = await this.deps.store.routers.trainingSources(input.company);
    const trained = trainRouter(sources, { company: input.company, maxShare: input.maxShare ?? ROUTER_DEFAULTS.maxShare, seed: ROUTER_DEFAULTS.seed });
    return { trained, user };
  }

  private async user(userId: string): Promise<UserAccess> {
    const user = await this.deps.store.directory.getUserAccess(userId);
    if (!user) throw new TriadError({ code: 'unauthorized', message: `unknown user '${userId}'` });
    return user;
  }
}
