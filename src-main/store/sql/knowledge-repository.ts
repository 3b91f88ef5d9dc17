import type { KnowledgeRepository, KnowledgeSnippet } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { requireLimit } from '../values';

/** Must match the expression of the GIN indexes in migrations/004_knowledge.sql, or they are not used. */
const DOCUMENT = `to_tsvector('english', k.title || ' ' || k.content)`;

/**
 * Rows of `source` (aliased k, already filtered by `scope`) ranked by full-text match against $1; when
 * nothing matches (or the query has only stop words), the most recent rows instead, so the prompt step
 * still gets context.
 */
function rankedSearch(table: string, scope: string): string {
  return `
    WITH q AS (SELECT plainto_tsquery('english', $1) AS query),
    matched AS (
      SELECT k.title, k.content, ts_rank(${DOCUMENT}, q.query) AS rank, k.created_at
        FROM ${table} k, q
       WHERE ${scope} AND ${DOCUMENT} @@ q.query
    )
    SELECT title, content FROM (
      (SELECT title, content, rank, created_at FROM matched ORDER BY rank DESC, created_at DESC LIMIT $2)
      UNION ALL
      (SELECT k.title, k.content, 0 AS rank, k.created_at FROM ${table} k
        WHERE ${scope} AND NOT EXISTS (SELECT 1 FROM matched)
        ORDER BY k.created_at DESC LIMIT $2)
    ) found
    ORDER BY rank DESC, created_at DESC`;
}

const COMPANY_SCOPE = 'k.company_id = (SELECT id FROM companies WHERE slug = $3)';

/** Company knowledge (`company_knowledge`) and anonymised insights (`cross_company_insights`). */
export class SqlKnowledgeRepository implements KnowledgeRepository {
  constructor(private readonly db: SqlExecutor) {}

  async addCompanySnippet(companySlug: string, snippet: KnowledgeSnippet): Promise<void> {
    const action = `adding knowledge '${snippet.title}' to company '${companySlug}'`;
    const rows = await withStoreErrors(action, () =>
      this.db.query(
        `INSERT INTO company_knowledge (company_id, title, content)
         SELECT id, $2, $3 FROM companies WHERE slug = $1 RETURNING id`,
        [companySlug, snippet.title, snippet.content],
      ),
    );
    if (rows.length === 0) throw invalidInput(`${action}: no such company`);
  }

  async searchCompanySnippets(companySlug: string, query: string, limit: number): Promise<KnowledgeSnippet[]> {
    requireLimit(limit);
    return withStoreErrors(`searching the knowledge of company '${companySlug}'`, () =>
      this.db.query<{ title: string; content: string }>(rankedSearch('company_knowledge', COMPANY_SCOPE), [query, limit, companySlug]),
    ).then(toSnippets);
  }

  async addCrossCompanyInsight(insight: KnowledgeSnippet & { sector: string | null; sampleSize: number }): Promise<void> {
    await withStoreErrors(`adding insight '${insight.title}'`, () =>
      this.db.query('INSERT INTO cross_company_insights (sector, title, content, sample_size) VALUES ($1, $2, $3, $4)', [
        insight.sector,
        insight.title,
        insight.content,
        insight.sampleSize,
      ]),
    );
  }

  async searchCrossCompanyInsights(query: string, limit: number): Promise<KnowledgeSnippet[]> {
    requireLimit(limit);
    return withStoreErrors('searching cross-company insights', () =>
      this.db.query<{ title: string; content: string }>(rankedSearch('cross_company_insights', 'true'), [query, limit]),
    ).then(toSnippets);
  }
}

function toSnippets(rows: Array<{ title: string; content: string }>): KnowledgeSnippet[] {
  return rows.map((row) => ({ title: row.title, content: row.content }));
}
