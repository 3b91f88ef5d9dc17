import type { Tier } from '../../../src-shared/domain';
import type { DatasetRepository, DatasetSources, DatasetVersion } from '../repositories';
import { checkBuild, checkDatasetScope, DATASET_VERSION_COLUMNS, toDatasetSources, toDatasetVersion } from '../sql/dataset-repository';
import { invalidInput } from '../store-errors';
import { isUuid, requireLimit, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';

/** Datasets through PostgREST: ML leads and admins build, push and read them (migrations/012). */
export class SupabaseDatasetRepository implements DatasetRepository {
  constructor(private readonly api: OperatorApi) {}

  /** Through triad_dataset_sources, the function the SQL store calls: row-level security decides what is read. */
  async sources(scope: { tier: Tier; company: string | null }): Promise<DatasetSources> {
    const { tier, company } = checkDatasetScope(scope);
    const value = await this.api.run<unknown>(
      `reading the sources of a ${tier} dataset${company ? ` of company '${company}'` : ''}`,
      this.api.client.rpc('triad_dataset_sources', { p_tier: tier, p_company: company }),
    );
    return toDatasetSources(value);
  }

  async recordBuild(build: Parameters<DatasetRepository['recordBuild']>[0]): Promise<DatasetVersion> {
    checkBuild(build);
    const row = await this.api.run<ApiRow>(
      `recording a ${build.tier} ${build.kind} dataset`,
      this.api.client
        .from('dataset_versions')
        .insert({
          ...(build.id !== undefined && { id: build.id }),
          kind: build.kind,
          tier: build.tier,
          company_slug: build.companySlug,
          counts: build.counts,
          anonymiser_version: build.anonymiserVersion,
          created_by: build.createdBy,
        })
        .select(DATASET_VERSION_COLUMNS)
        .single(),
    );
    return toDatasetVersion(row);
  }

  async recordPush(id: string, push: { repo: string; commitSha: string }): Promise<DatasetVersion> {
    requireUuid(id, 'dataset version id');
    if (!/^[0-9a-f]{40}$/.test(push.commitSha)) throw invalidInput(`a Hub commit is 40 hex digits, got ${JSON.stringify(push.commitSha)}`);
    return this.update(id, `recording the push of dataset ${id} to ${push.repo}`, {
      status: 'pushed',
      repo: push.repo,
      commit_sha: push.commitSha,
      push_error: null,
      pushed_at: new Date().toISOString(),
    });
  }

  async recordPushFailure(id: string, reason: string): Promise<DatasetVersion> {
    requireUuid(id, 'dataset version id');
    const current = await this.get(id);
    if (!current) throw invalidInput(`recording the failed push of dataset ${id}: no dataset version ${id}`);
    // A version already pushed stays pushed: its commit exists on the Hub.
    if (current.status === 'pushed') return current;
    return this.update(id, `recording the failed push of dataset ${id}`, { status: 'push_failed', push_error: reason });
  }

  async get(id: string): Promise<DatasetVersion | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await this.api.run<ApiRow[]>(`reading dataset ${id}`, this.api.client.from('dataset_versions').select(DATASET_VERSION_COLUMNS).eq('id', id));
    return rows[0] ? toDatasetVersion(rows[0]) : undefined;
  }

  async list(limit: number): Promise<DatasetVersion[]> {
    requireLimit(limit);
    const rows = await this.api.readAll(
      'listing datasets',
      (from, to) => this.api.client.from('dataset_versions').select(DATASET_VERSION_COLUMNS).order('created_at', { ascending: false }).order('id').range(from, to),
      limit,
    );
    return rows.map(toDatasetVersion);
  }

  private async update(id: string, action: string, change: Record<string, unknown>): Promise<DatasetVersion> {
    const rows = await this.api.run<ApiRow[]>(action, this.api.client.from('dataset_versions').update(change).eq('id', id).select(DATASET_VERSION_COLUMNS));
    if (!rows[0]) throw invalidInput(`${action}: no dataset version ${id}`);
    return toDatasetVersion(rows[0]);
  }
}
