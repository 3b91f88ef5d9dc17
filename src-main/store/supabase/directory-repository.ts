import type { Role } from '../../../src-shared/domain';
import type { Company, DirectoryRepository, UserAccess } from '../repositories';
import { invalidInput } from '../store-errors';
import { isUuid, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { toCompany } from '../rows';

/** Users, companies and memberships through PostgREST; row-level security limits them to what the operator may see. */
export class SupabaseDirectoryRepository implements DirectoryRepository {
  constructor(private readonly api: OperatorApi) {}

  async getUserAccess(userId: string): Promise<UserAccess | undefined> {
    if (!isUuid(userId)) return undefined;
    // Many-to-many embedding through user_company_access, ordered by the database like the SQL store.
    const row = await this.api.run<ApiRow | null>(
      `reading user ${userId}`,
      this.api.client
        .from('users')
        .select('id, display_name, role, companies(slug)')
        .eq('id', userId)
        .order('slug', { referencedTable: 'companies' })
        .maybeSingle(),
    );
    if (!row) return undefined;
    const companies = (row.companies ?? []) as Array<{ slug: string }>;
    return { id: String(row.id), displayName: String(row.display_name), role: row.role as Role, companySlugs: companies.map((c) => c.slug) };
  }

  async findCompany(slug: string): Promise<Company | undefined> {
    const row = await this.api.run<ApiRow | null>(
      `reading company '${slug}'`,
      this.api.client.from('companies').select('id, slug, name').eq('slug', slug).maybeSingle(),
    );
    return row ? toCompany(row) : undefined;
  }

  async listCompanies(): Promise<Company[]> {
    const rows = await this.api.readAll('listing companies', (from, to) =>
      this.api.client.from('companies').select('id, slug, name').order('name').order('slug').range(from, to),
    );
    return rows.map(toCompany);
  }

  async createCompany(company: { slug: string; name: string }): Promise<Company> {
    const row = await this.api.run<ApiRow>(
      `creating company '${company.slug}'`,
      this.api.client.from('companies').insert({ slug: company.slug, name: company.name }).select('id, slug, name').single(),
    );
    return toCompany(row);
  }

  async createUser(user: { id?: string; displayName: string; role: Role; email?: string }): Promise<UserAccess> {
    if (user.id !== undefined) requireUuid(user.id, 'user id');
    const row = await this.api.run<ApiRow>(
      `creating user '${user.displayName}'`,
      this.api.client
        .from('users')
        .insert({ ...(user.id === undefined ? {} : { id: user.id }), display_name: user.displayName, role: user.role, email: user.email ?? null })
        .select('id, display_name, role')
        .single(),
    );
    return { id: String(row.id), displayName: String(row.display_name), role: row.role as Role, companySlugs: [] };
  }

  /** Idempotent. A user or company the operator may not see reads as unknown. */
  async grantCompanyAccess(userId: string, companySlug: string): Promise<void> {
    requireUuid(userId, 'user id');
    const action = `granting user ${userId} access to company '${companySlug}'`;
    const [user, company] = await Promise.all([
      this.api.run<ApiRow | null>(action, this.api.client.from('users').select('id').eq('id', userId).maybeSingle()),
      this.api.run<ApiRow | null>(action, this.api.client.from('companies').select('id').eq('slug', companySlug).maybeSingle()),
    ]);
    if (!user) throw invalidInput(`${action}: no such user`);
    if (!company) throw invalidInput(`${action}: no such company`);
    await this.api.run(
      action,
      this.api.client.from('user_company_access').upsert({ user_id: userId, company_id: company.id }, { onConflict: 'user_id,company_id', ignoreDuplicates: true }),
    );
  }
}
