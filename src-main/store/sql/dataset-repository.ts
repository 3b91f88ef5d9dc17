import type { Tier } from '../../../src-shared/domain';
import { TIERS } from '../../../src-shared/domain';
import type { DatasetRepository, DatasetSourceRequest, DatasetSources, DatasetVersion } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireLimit, requireUuid, toDate, toText } from '../values';

/** The columns of `dataset_versions`, for both backends. */
export const DATASET_VERSION_COLUMNS =
  'id, kind, tier, company_slug, counts, anonymiser_version, status, repo, commit_sha, push_error, created_by, created_at, pushed_at';

/** A row of `dataset_versions`, from either backend. */
export function toDatasetVersion(row: Record<string, unknown>): DatasetVersion {
  return {
    id: String(row.id),
    kind: row.kind as DatasetVersion['kind'],
    tier: row.tier as Tier,
    companySlug: toText(row.company_slug),
    counts: (typeof row.counts === 'string' ? JSON.parse(row.counts) : (row.counts ?? {})) as Record<string, unknown>,
    anonymiserVersion: String(row.anonymiser_version),
    status: row.status as DatasetVersion['status'],
    repo: toText(row.repo),
    commitSha: toText(row.commit_sha),
    pushError: toText(row.push_error),
    createdBy: String(row.created_by),
    createdAt: toDate(row.created_at),
    pushedAt: row.pushed_at === null || row.pushed_at === undefined ? null : toDate(row.pushed_at),
  };
}

/** The scope as the function's arguments; a tier or company that is not one is refused, not ignored. */
export function checkDatasetScope(scope: { tier: Tier; company: string | null }): { tier: Tier; company: string | null } {
  if (!TIERS.includes(scope.tier)) throw invalidInput(`tier must be one of ${TIERS.join(', ')}, got ${JSON.stringify(scope.tier)}`);
  if (scope.company !== null && (typeof scope.company !== 'string' || scope.company === '')) {
    throw invalidInput(`company must be a company slug, got ${JSON.stringify(scope.company)}`);
  }
  return scope;
}

/** What triad_dataset_sources answers (migrations/012), from either backend. */
export function toDatasetSources(value: unknown): DatasetSources {
  const json = (typeof value === 'string' ? JSON.parse(value) : value) as { requests?: Array<Record<string, unknown>>; votes?: Array<Record<string, unknown>> };
  return {
    requests: (json.requests ?? []).map(
      (r): DatasetSourceRequest => ({
        id: String(r.id),
        tier: (r.tier as Tier | null) ?? null,
        companySlug: toText(r.company),
        createdAt: toDate(r.createdAt),
        modelId: toText(r.modelId),
        modelVersion: toText(r.modelVersion),
        prompt: toText(r.prompt),
        answer: toText(r.answer),
        label: r.label ? { label: (r.label as { label: 'accepted' }).label, correctedAnswer: toText((r.label as { correctedAnswer: unknown }).correctedAnswer) } : null,
        feedback: ((r.feedback as Array<Record<string, unknown>> | null) ?? []).map((f) => ({
          thumbs: f.thumbs === 1 || f.thumbs === -1 ? f.thumbs : null,
          correctedAnswer: toText(f.correctedAnswer),
        })),
      }),
    ),
    votes: (json.votes ?? []).map((v) => ({
      id: String(v.id),
      prompt: String(v.prompt),
      requestIds: (v.requestIds as unknown[]).map(String),
      winnerRequestId: String(v.winnerRequestId),
      createdAt: toDate(v.createdAt),
    })),
  };
}

/** Checks a build before it is written, so that a bad one fails naming the field rather than a constraint. */
export function checkBuild(build: Parameters<DatasetRepository['recordBuild']>[0]): void {
  if (build.id !== undefined) requireUuid(build.id, 'dataset version id');
  requireUuid(build.createdBy, 'builder id');
  if (build.kind !== 'sft' && build.kind !== 'dpo') throw invalidInput(`kind must be 'sft' or 'dpo', got ${JSON.stringify(build.kind)}`);
  checkDatasetScope({ tier: build.tier, company: build.companySlug });
  if ((build.tier === 'company') !== (build.companySlug !== null)) throw invalidInput('a Company dataset needs a company, and only a Company dataset has one');
}

/** Built and pushed datasets (`dataset_versions`) and their sources, in SQL. */
export class SqlDatasetRepository implements DatasetRepository {
  constructor(private readonly db: SqlExecutor) {}

  async sources(scope: { tier: Tier; company: string | null }): Promise<DatasetSources> {
    const { tier, company } = checkDatasetScope(scope);
    const rows = await withStoreErrors(`reading the sources of a ${tier} dataset${company ? ` of company '${company}'` : ''}`, () =>
      this.db.query('SELECT triad_dataset_sources($1, $2) AS sources', [tier, company]),
    );
    return toDatasetSources(rows[0]!.sources);
  }

  async recordBuild(build: Parameters<DatasetRepository['recordBuild']>[0]): Promise<DatasetVersion> {
    checkBuild(build);
    const rows = await withStoreErrors(`recording a ${build.tier} ${build.kind} dataset`, () =>
      this.db.query(
        `INSERT INTO dataset_versions (id, kind, tier, company_slug, counts, anonymiser_version, created_by)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5::jsonb, $6, $7)
         RETURNING ${DATASET_VERSION_COLUMNS}`,
        [build.id ?? null, build.kind, build.tier, build.companySlug, JSON.stringify(build.counts), build.anonymiserVersion, build.createdBy],
      ),
    );
    return toDatasetVersion(rows[0]!);
  }

  async recordPush(id: string, push: { repo: string; commitSha: string }): Promise<DatasetVersion> {
    requireUuid(id, 'dataset version id');
    if (!/^[0-9a-f]{40}$/.test(push.commitSha)) throw invalidInput(`a Hub commit is 40 hex digits, got ${JSON.stringify(push.commitSha)}`);
    return this.update(id, `recording the push of dataset ${id} to ${push.repo}`,
      `status = 'pushed', repo = $2, commit_sha = $3, push_error = NULL, pushed_at = now()`, [push.repo, push.commitSha]);
  }

  async recordPushFailure(id: string, reason: string): Promise<DatasetVersion> {
    requireUuid(id, 'dataset version id');
    // A version already pushed stays pushed: its commit exists on the Hub.
    return this.update(id, `recording the failed push of dataset ${id}`,
      `status = CASE WHEN status = 'pushed' THEN status ELSE 'push_failed' END, push_error = CASE WHEN status = 'pushed' THEN push_error ELSE $2 END`, [reason]);
  }

  async get(id: string): Promise<DatasetVersion | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await withStoreErrors(`reading dataset ${id}`, () =>
      this.db.query(`SELECT ${DATASET_VERSION_COLUMNS} FROM dataset_versions WHERE id = $1`, [id]),
    );
    return rows[0] ? toDatasetVersion(rows[0]) : undefined;
  }

  async list(limit: number): Promise<DatasetVersion[]> {
    requireLimit(limit);
    const rows = await withStoreErrors('listing datasets', () =>
      this.db.query(`SELECT ${DATASET_VERSION_COLUMNS} FROM dataset_versions ORDER BY created_at DESC, id LIMIT $1`, [limit]),
    );
    return rows.map(toDatasetVersion);
  }

  private async update(id: string, action: string, set: string, params: unknown[]): Promise<DatasetVersion> {
    const rows = await withStoreErrors(action, () =>
      this.db.query(`UPDATE dataset_versions SET ${set} WHERE id = $1 RETURNING ${DATASET_VERSION_COLUMNS}`, [id, ...params]),
    );
    if (!rows[0]) throw invalidInput(`${action}: no dataset version ${id}`);
    return toDatasetVersion(rows[0]);
  }
}
