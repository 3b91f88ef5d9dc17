import type { Role } from '../../../src-shared/domain';
import type { Company, DirectoryRepository, UserAccess } from '../repositories';
import type { SqlExecutor, SqlRow } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireUuid } from '../values';
import { toCompany } from '../rows';

interface UserRow extends SqlRow {
  id: string;
  display_name: string;
  role: Role;
  company_slugs: string[];
}

/** Users, companies and access grants, in SQL. */
export class SqlDirectoryRepository implements DirectoryRepository {
  constructor(private readonly db: SqlExecutor) {}

  async getUserAccess(userId: string): Promise<UserAccess | undefined> {
    if (!isUuid(userId)) return undefined;
    const rows = await withStoreErrors(`reading user ${userId}`, () =>
      this.db.query<UserRow>(
        `SELECT u.id, u.display_name, u.role,
                COALESCE(jsonb_agg(c.slug ORDER BY c.slug) FILTER (WHERE c.slug IS NOT NULL), '[]'::jsonb) AS company_slugs
           FROM users u
           LEFT JOIN user_company_access a ON a.user_id = u.id
           LEFT JOIN companies c ON c.id = a.company_id
          WHERE u.id = $1
          GROUP BY u.id`,
        [userId],
      ),
    );
    const row = rows[0];
    return row && { id: row.id, displayName: row.display_name, role: row.role, companySlugs: row.company_slugs };
  }

  async findCompany(slug: string): Promise<Company | undefined> {
    const rows = await withStoreErrors(`reading company '${slug}'`, () =>
      this.db.query('SELECT id, slug, name FROM companies WHERE slug = $1', [slug]),
    );
    return rows[0] && toCompany(rows[0]);
  }

  async listCompanies(): Promise<Company[]> {
    const rows = await withStoreErrors('listing companies', () => this.db.query('SELECT id, slug, name FROM companies ORDER BY name, slug'));
    return rows.map(toCompany);
  }

  async createCompany(company: { slug: string; name: string }): Promise<Company> {
    const rows = await withStoreErrors(`creating company '${company.slug}'`, () =>
      this.db.query('INSERT INTO companies (slug, name) VALUES ($1, $2) RETURNING id, slug, name', [company.slug, company.name]),
    );
    return toCompany(rows[0]!);
  }

  async createUser(user: { id?: string; displayName: string; role: Role; email?: string }): Promise<UserAccess> {
    if (user.id !== undefined) requireUuid(user.id, 'user id');
    const rows = await withStoreErrors(`creating user '${user.displayName}'`, () =>
      this.db.query<UserRow>(
        `INSERT INTO users (id, display_name, role, email) VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4)
         RETURNING id, display_name, role`,
        [user.id ?? null, user.displayName, user.role, user.email ?? null],
      ),
    );
    const row = rows[0]!;
    return { id: row.id, displayName: row.display_name, role: row.role, companySlugs: [] };
  }

  async grantCompanyAccess(userId: string, companySlug: string): Promise<void> {
    requireUuid(userId, 'user id');
    const action = `granting user ${userId} access to company '${companySlug}'`;
    const rows = await withStoreErrors(action, () =>
      this.db.query<{ user_known: boolean; company_known: boolean }>(
        `WITH target AS (
           SELECT (SELECT id FROM users WHERE id = $1) AS user_id, (SELECT id FROM companies WHERE slug = $2) AS company_id
         ), granted AS (
           INSERT INTO user_company_access (user_id, company_id)
           SELECT user_id, company_id FROM target WHERE user_id IS NOT NULL AND company_id IS NOT NULL
           ON CONFLICT DO NOTHING
         )
         SELECT user_id IS NOT NULL AS user_known, company_id IS NOT NULL AS company_known FROM target`,
        [userId, companySlug],
      ),
    );
    const row = rows[0]!;
    if (!row.user_known) throw invalidInput(`${action}: no such user`);
    if (!row.company_known) throw invalidInput(`${action}: no such company`);
  }
}
