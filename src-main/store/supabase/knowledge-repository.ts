import type { KnowledgeRepository, KnowledgeSnippet } from '../repositories';
import { invalidInput } from '../store-errors';
import { requireLimit } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';

/** Company knowledge (readable by the company's members) and anonymised insights (readable by every operator). */
export class SupabaseKnowledgeRepository implements KnowledgeRepository {
  constructor(private readonly api: OperatorApi) {}

  /** A company the operator may not see reads as unknown. */
  async addCompanySnippet(companySlug: string, snippet: KnowledgeSnippet): Promise<void> {
    const action = `adding knowledge '${snippet.title}' to company '${companySlug}'`;
    const company = await this.api.run<ApiRow | null>(action, this.api.client.from('companies').select('id').eq('slug', companySlug).maybeSingle());
    if (!company) throw invalidInput(`${action}: no such company`);
    await this.api.run(action, this.api.client.from('company_knowledge').insert({ company_id: company.id, title: snippet.title, content: snippet.content }));
  }

  /** Full-text ranked, or the most recent when nothing matches (migrations/009 triad_search_company_knowledge). */
  async searchCompanySnippets(companySlug: string, query: string, limit: number): Promise<KnowledgeSnippet[]> {
    requireLimit(limit);
    return this.api.run<KnowledgeSnippet[]>(
      `searching the knowledge of company '${companySlug}'`,
      this.api.client.rpc('triad_search_company_knowledge', { p_company_slug: companySlug, p_query: query, p_limit: limit }),
    );
  }

  async addCrossCompanyInsight(insight: KnowledgeSnippet & { sector: string | null; sampleSize: number }): Promise<void> {
    await this.api.run(
      `adding insight '${insight.title}'`,
      this.api.client
        .from('cross_company_insights')
        .insert({ sector: insight.sector, title: insight.title, content: insight.content, sample_size: insight.sampleSize }),
    );
  }

  async searchCrossCompanyInsights(query: string, limit: number): Promise<KnowledgeSnippet[]> {
    requireLimit(limit);
    return this.api.run<KnowledgeSnippet[]>(
      'searching cross-company insights',
      this.api.client.rpc('triad_search_cross_company_insights', { p_query: query, p_limit: limit }),
    );
  }
}
