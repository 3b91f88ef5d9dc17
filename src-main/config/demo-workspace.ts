import { z } from 'zod';
import { TriadError } from '../../src-shared/errors';
import type { SqlExecutor, SqlQueryable } from '../store/sql-executor';
import { withStoreErrors } from '../store/store-errors';
import { DEMO_COMPANIES, DEMO_INSIGHTS, LEGACY_SAMPLE } from './demo-workspace-content';

// The demo workspace exists only in the embedded store (PGlite or PostgreSQL), never in a team's Supabase
// project, so its SQL lives here beside its only user rather than in the TriadStore contract (as the team
// mode's local copy does). Every change is one transaction: a demo is never half seeded or half removed.

/** The app_settings key recording what the demo seeded, so that removal deletes exactly that. */
export const DEMO_RECORD_KEY = 'demo.workspace';
const COMPANY_CONTEXT_KEY = 'session.companyContext';

const DemoRecordSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('seeded'),
    companies: z.array(z.object({ id: z.uuid(), slug: z.string() })),
    insightIds: z.array(z.uuid()),
    at: z.string(),
  }),
  z.object({ state: z.literal('removed'), at: z.string() }),
]);
type DemoRecord = z.output<typeof DemoRecordSchema>;

/** What the demo workspace holds now, for Settings. */
export interface DemoWorkspaceContents {
  companies: Array<{ slug: string; name: string }>;
  knowledgeSnippets: number;
  insights: number;
}

/** What a removal deleted. */
export interface DemoRemoval {
  companies: string[];
  insights: number;
  /** True when the company context pointed at a demo company and is now none. */
  companyContextCleared: boolean;
}

const jsonText = (value: unknown) => JSON.stringify(value);

async function readRecord(db: SqlQueryable): Promise<{ stored: boolean; record: DemoRecord | undefined }> {
  const rows = await db.query<{ value: unknown }>('SELECT value FROM app_settings WHERE key = $1', [DEMO_RECORD_KEY]);
  if (rows.length === 0) return { stored: false, record: undefined };
  const parsed = DemoRecordSchema.safeParse(rows[0]!.value);
  return { stored: true, record: parsed.success ? parsed.data : undefined };
}

async function writeRecord(db: SqlQueryable, record: DemoRecord): Promise<void> {
  await db.query(
    `INSERT INTO app_settings (key, value) VALUES ($1, $2::text::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [DEMO_RECORD_KEY, jsonText(record)],
  );
}

/** Sets the company context unless one was ever saved (a saved "none" is the user's choice too). */
async function startCompanyContextOn(db: SqlQueryable, slug: string): Promise<void> {
  await db.query(`INSERT INTO app_settings (key, value) VALUES ($1, $2::text::jsonb) ON CONFLICT (key) DO NOTHING`, [COMPANY_CONTEXT_KEY, jsonText({ company: slug })]);
}

/**
 * The demo workspace of an embedded store: sample companies with knowledge, anonymised insights and the company
 * context set to the first company, so that all three tiers answer on a fresh install. It is recorded under
 * `demo.workspace`; once removed it is never seeded again.
 */
export class DemoWorkspace {
  constructor(
    private readonly db: SqlExecutor,
    /** Called after every change, so memoised reads of companies and settings are read again. */
    private readonly onChange: () => void = () => undefined,
  ) {}

  /**
   * Seeds the demo for `operatorId` unless a demo was ever recorded. A company whose slug is already taken is
   * left alone and not recorded. Returns whether it seeded.
   */
  async seed(operatorId: string): Promise<boolean> {
    const seeded = await withStoreErrors('seeding the demo workspace', () =>
      this.db.transaction(async (tx) => {
        if ((await readRecord(tx)).stored) return false;
        const companies: Array<{ id: string; slug: string }> = [];
        for (const company of DEMO_COMPANIES) {
          const [created] = await tx.query<{ id: string }>('INSERT INTO companies (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id', [
            company.slug,
            company.name,
          ]);
          if (!created) continue;
          companies.push({ id: created.id, slug: company.slug });
          await tx.query(
            `INSERT INTO company_knowledge (company_id, title, content)
             SELECT $1, k.title, k.content FROM json_to_recordset($2::text::json) AS k(title text, content text)`,
            [created.id, jsonText(company.knowledge)],
          );
          await tx.query('INSERT INTO user_company_access (user_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [operatorId, created.id]);
        }
        const insights = await tx.query<{ id: string }>(
          `INSERT INTO cross_company_insights (sector, title, content, sample_size)
           SELECT i.sector, i.title, i.content, i."sampleSize" FROM json_to_recordset($1::text::json) AS i(sector text, title text, content text, "sampleSize" integer)
           RETURNING id`,
          [jsonText(DEMO_INSIGHTS)],
        );
        if (companies[0]) await startCompanyContextOn(tx, companies[0].slug);
        await writeRecord(tx, { state: 'seeded', companies, insightIds: insights.map((row) => row.id), at: new Date().toISOString() });
        return true;
      }),
    );
    if (seeded) this.onChange();
    return seeded;
  }

  /**
   * A store from before the demo workspace, with the old sample company 'acme' and no demo record: that sample
   * becomes the demo (company and the exact sample insights), so it can be removed like one. The company
   * context starts on it only if none was ever saved. Returns whether it adopted anything.
   */
  async adoptLegacySample(): Promise<boolean> {
    const adopted = await withStoreErrors('recording the sample data as the demo workspace', () =>
      this.db.transaction(async (tx) => {
        if ((await readRecord(tx)).stored) return false;
        const [company] = await tx.query<{ id: string }>('SELECT id FROM companies WHERE slug = $1 AND name = $2', [LEGACY_SAMPLE.slug, LEGACY_SAMPLE.name]);
        if (!company) return false;
        const insights = await tx.query<{ id: string }>(
          `SELECT c.id FROM cross_company_insights c
             JOIN json_to_recordset($1::text::json) AS i(title text, content text) ON i.title = c.title AND i.content = c.content`,
          [jsonText(LEGACY_SAMPLE.insights)],
        );
        await startCompanyContextOn(tx, LEGACY_SAMPLE.slug);
        await writeRecord(tx, { state: 'seeded', companies: [{ id: company.id, slug: LEGACY_SAMPLE.slug }], insightIds: insights.map((row) => row.id), at: new Date().toISOString() });
        return true;
      }),
    );
    if (adopted) this.onChange();
    return adopted;
  }

  /** What the demo holds now; undefined when there is no demo (never seeded, or removed). */
  async describe(): Promise<DemoWorkspaceContents | undefined> {
    return withStoreErrors('reading the demo workspace', async () => {
      const { record } = await readRecord(this.db);
      if (record?.state !== 'seeded') return undefined;
      const ids = jsonText(record.companies.map((c) => c.id));
      const companies = await this.db.query<{ slug: string; name: string }>(
        'SELECT slug, name FROM companies WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::uuid) ORDER BY name',
        [ids],
      );
      const [counts] = await this.db.query<{ knowledge: number; insights: number }>(
        `SELECT (SELECT count(*)::int FROM company_knowledge WHERE company_id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::uuid)) AS knowledge,
                (SELECT count(*)::int FROM cross_company_insights WHERE id IN (SELECT jsonb_array_elements_text($2::text::jsonb)::uuid)) AS insights`,
        [ids, jsonText(record.insightIds)],
      );
      if (companies.length === 0 && counts!.insights === 0) return undefined;
      return { companies, knowledgeSnippets: counts!.knowledge, insights: counts!.insights };
    });
  }

  /**
   * Deletes what the demo seeded and nothing else: its companies (their knowledge and access grants go with
   * them; conversations and logged requests about them stay, without the company), its insights, and the
   * company context when it pointed at a demo company. Records the removal, so the demo is never seeded
   * again. Removing again removes nothing.
   */
  async remove(): Promise<DemoRemoval> {
    const removal = await withStoreErrors('removing the demo workspace', () =>
      this.db.transaction(async (tx): Promise<DemoRemoval> => {
        const { stored, record } = await readRecord(tx);
        if (stored && !record) {
          throw new TriadError({ code: 'internal', message: `the stored '${DEMO_RECORD_KEY}' record is unreadable, so what the demo seeded is unknown; nothing was removed` });
        }
        if (record?.state !== 'seeded') return { companies: [], insights: 0, companyContextCleared: false };
        const companies = await tx.query<{ slug: string }>(
          `DELETE FROM companies c USING json_to_recordset($1::text::json) AS d(id uuid, slug text)
            WHERE c.id = d.id AND c.slug = d.slug RETURNING c.slug`,
          [jsonText(record.companies)],
        );
        const insights = await tx.query('DELETE FROM cross_company_insights WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb)::uuid) RETURNING id', [
          jsonText(record.insightIds),
        ]);
        const cleared = await tx.query(
          `UPDATE app_settings SET value = $2::text::jsonb, updated_at = now()
            WHERE key = $1 AND value->>'company' IN (SELECT jsonb_array_elements_text($3::text::jsonb)) RETURNING key`,
          [COMPANY_CONTEXT_KEY, jsonText({ company: null }), jsonText(record.companies.map((c) => c.slug))],
        );
        await writeRecord(tx, { state: 'removed', at: new Date().toISOString() });
        return { companies: companies.map((c) => c.slug), insights: insights.length, companyContextCleared: cleared.length > 0 };
      }),
    );
    this.onChange();
    return removal;
  }
}
