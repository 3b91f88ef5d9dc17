import type { RouterTrainingSources, TierRouterRecord, TierRouterRepository } from '../repositories';
import { invalidInput } from '../store-errors';
import { checkRouter, requireCompanySlug, TIER_ROUTER_COLUMNS, toRouterSources, toTierRouter } from '../sql/tier-router-repository';
import type { ApiRow, OperatorApi } from './operator-api';

/** Trained tier routers through PostgREST (migration 017): every operator reads their companies', ML leads train. */
export class SupabaseTierRouterRepository implements TierRouterRepository {
  constructor(private readonly api: OperatorApi) {}

  /** Through triad_router_sources, the function the SQL store calls: row-level security decides what is read. */
  async trainingSources(companySlug: string): Promise<RouterTrainingSources> {
    const company = requireCompanySlug(companySlug);
    const value = await this.api.run<unknown>(`reading the votes and thumbs of company '${company}'`, this.api.client.rpc('triad_router_sources', { p_company_slug: company }));
    return toRouterSources(value);
  }

  async save(router: Parameters<TierRouterRepository['save']>[0]): Promise<TierRouterRecord> {
    checkRouter(router);
    const action = `saving the tier router of company '${router.companySlug}'`;
    // Row-level security hides a company the operator may not see: it is then as unknown as one that does not exist.
    const companies = await this.api.run<ApiRow[]>(action, this.api.client.from('companies').select('id').eq('slug', router.companySlug));
    if (!companies[0]) throw invalidInput(`unknown company '${router.companySlug}'`);
    const row = await this.api.run<ApiRow>(
      action,
      this.api.client
        .from('tier_routers')
        .insert({
          company_id: companies[0].id,
          strong_tier: router.strongTier,
          weak_tier: router.weakTier,
          model: router.model,
          threshold: router.threshold,
          target_share: router.targetShare,
          vote_counts: router.voteCounts,
          metrics: router.metrics,
          trained_by: router.trainedBy,
        })
        .select('id, strong_tier, weak_tier, model, threshold, target_share, vote_counts, metrics, trained_by, trained_at')
        .single(),
    );
    return toTierRouter({ ...row, company_slug: router.companySlug });
  }

  async listCurrent(): Promise<TierRouterRecord[]> {
    const rows = await this.api.readAll('reading the tier routers', (from, to) =>
      this.api.client.from('tier_routers_current').select(TIER_ROUTER_COLUMNS).order('company_slug').range(from, to),
    );
    return rows.map(toTierRouter);
  }
}
