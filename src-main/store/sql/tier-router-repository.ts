import { TIERS, type Tier } from '../../../src-shared/domain';
import type { RouterTrainingSources, TierRouterRecord, TierRouterRepository } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { requireUuid, toDate, toText } from '../values';

/** The columns of `tier_routers_current` (migrations/017), for both backends. */
export const TIER_ROUTER_COLUMNS = 'id, company_slug, strong_tier, weak_tier, model, threshold, target_share, vote_counts, metrics, trained_by, trained_at';

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** A row of `tier_routers_current`, from either backend. */
export function toTierRouter(row: Record<string, unknown>): TierRouterRecord {
  return {
    id: String(row.id),
    companySlug: String(row.company_slug),
    strongTier: row.strong_tier as Tier,
    weakTier: row.weak_tier as Tier,
    model: json(row.model) as Record<string, unknown>,
    threshold: Number(row.threshold),
    targetShare: Number(row.target_share),
    voteCounts: json(row.vote_counts) as Record<string, number>,
    metrics: json(row.metrics) as Record<string, unknown>,
    trainedBy: String(row.trained_by),
    trainedAt: toDate(row.trained_at),
  };
}

/** What triad_router_sources answers, from either backend. */
export function toRouterSources(value: unknown): RouterTrainingSources {
  const parsed = (json(value) ?? {}) as { votes?: Array<Record<string, unknown>>; thumbs?: Array<Record<string, unknown>> };
  return {
    votes: (parsed.votes ?? []).map((v) => ({
      id: String(v.id),
      prompt: String(v.prompt ?? ''),
      verdict: v.verdict as RouterTrainingSources['votes'][number]['verdict'],
      winnerRequestId: toText(v.winnerRequestId),
      createdAt: toDate(v.createdAt),
      answers: ((v.answers as Array<Record<string, unknown>> | null) ?? []).map((a) => ({ requestId: String(a.requestId), tier: (a.tier as Tier | null) ?? null })),
    })),
    thumbs: (parsed.thumbs ?? []).map((t) => ({
      requestId: String(t.requestId),
      tier: (t.tier as Tier | null) ?? null,
      prompt: toText(t.prompt),
      thumbs: Number(t.thumbs) === 1 ? 1 : -1,
      createdAt: toDate(t.createdAt),
    })),
  };
}

/** A company slug as the function's argument; anything else is refused rather than matching nothing. */
export function requireCompanySlug(slug: unknown): string {
  if (typeof slug !== 'string' || slug === '') throw invalidInput(`company must be a company slug, got ${JSON.stringify(slug)}`);
  return slug;
}

/** Checks a router before it is written, so that a bad one fails naming the field rather than a constraint. */
export function checkRouter(router: Parameters<TierRouterRepository['save']>[0]): void {
  requireCompanySlug(router.companySlug);
  requireUuid(router.trainedBy, 'trainer id');
  for (const [what, tier] of [['strong tier', router.strongTier], ['weak tier', router.weakTier]] as const) {
    if (!TIERS.includes(tier)) throw invalidInput(`${what} must be one of ${TIERS.join(', ')}, got ${JSON.stringify(tier)}`);
  }
  if (router.strongTier === router.weakTier) throw invalidInput(`a router decides between two tiers, got ${router.strongTier} twice`);
  if (!(router.threshold >= 0 && router.threshold <= 1.001)) throw invalidInput(`threshold must be between 0 and 1, got ${router.threshold}`);
  if (!(router.targetShare >= 0 && router.targetShare <= 1)) throw invalidInput(`target share must be between 0 and 1, got ${router.targetShare}`);
}

/** Trained tier routers (`tier_routers`) in SQL. */
export class SqlTierRouterRepository implements TierRouterRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Through triad_router_sources (migrations/017), which the Supabase adapter calls too. */
  async trainingSources(companySlug: string): Promise<RouterTrainingSources> {
    const company = requireCompanySlug(companySlug);
    const rows = await withStoreErrors(`reading the votes and thumbs of company '${company}'`, () =>
      this.db.query<{ sources: unknown }>('SELECT triad_router_sources($1::text) AS sources', [company]),
    );
    return toRouterSources(rows[0]?.sources);
  }

  async save(router: Parameters<TierRouterRepository['save']>[0]): Promise<TierRouterRecord> {
    checkRouter(router);
    const rows = await withStoreErrors(`saving the tier router of company '${router.companySlug}'`, () =>
      this.db.query(
        `INSERT INTO tier_routers (company_id, strong_tier, weak_tier, model, threshold, target_share, vote_counts, metrics, trained_by)
         SELECT c.id, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb, $9 FROM companies c WHERE c.slug = $1
         RETURNING id, $1::text AS company_slug, strong_tier, weak_tier, model, threshold, target_share, vote_counts, metrics, trained_by, trained_at`,
        [
          router.companySlug,
          router.strongTier,
          router.weakTier,
          JSON.stringify(router.model),
          router.threshold,
          router.targetShare,
          JSON.stringify(router.voteCounts),
          JSON.stringify(router.metrics),
          router.trainedBy,
        ],
      ),
    );
    if (!rows[0]) throw invalidInput(`unknown company '${router.companySlug}'`);
    return toTierRouter(rows[0]);
  }

  async listCurrent(): Promise<TierRouterRecord[]> {
    const rows = await withStoreErrors('reading the tier routers', () => this.db.query(`SELECT ${TIER_ROUTER_COLUMNS} FROM tier_routers_current ORDER BY company_slug`));
    return rows.map(toTierRouter);
  }
}
