import type { Tier } from '../../../src-shared/domain';
import type { ComparedVote, Preference, PreferenceRepository, VoteAnswer, VoteFilter } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { invalidInput, withStoreErrors } from '../store-errors';
import { isUuid, requireLimit, requireUuid, toDate, toText } from '../values';
import { PREFERENCE_COLUMNS, toPreference } from '../rows';

/** Compare votes (`preferences`). */
export class SqlPreferenceRepository implements PreferenceRepository {
  constructor(private readonly db: SqlExecutor) {}

  async save(preference: Omit<Preference, 'id' | 'createdAt'> & { id?: string }): Promise<Preference> {
    if (preference.id !== undefined) requireUuid(preference.id, 'preference id');
    requireUuid(preference.userId, 'user id');
    preference.requestIds.forEach((id, i) => requireUuid(id, `request id ${i + 1}`));
    if (preference.winnerRequestId !== null) requireUuid(preference.winnerRequestId, 'winner request id');
    const rows = await withStoreErrors(`saving the comparison vote of user ${preference.userId}`, () =>
      this.db.query(
        `INSERT INTO preferences (id, user_id, prompt, request_ids, verdict, winner_request_id)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4::uuid[], $5, $6)
         ON CONFLICT (id) DO UPDATE SET verdict = EXCLUDED.verdict, winner_request_id = EXCLUDED.winner_request_id
         RETURNING ${PREFERENCE_COLUMNS}`,
        [preference.id ?? null, preference.userId, preference.prompt, preference.requestIds, preference.verdict, preference.winnerRequestId],
      ),
    );
    return toPreference(rows[0]!);
  }

  async listForUser(userId: string, limit: number): Promise<Preference[]> {
    requireLimit(limit);
    if (!isUuid(userId)) return [];
    const rows = await withStoreErrors(`listing comparison votes of user ${userId}`, () =>
      this.db.query(`SELECT ${PREFERENCE_COLUMNS} FROM preferences WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [userId, limit]),
    );
    return rows.map(toPreference);
  }

  /** Through triad_list_votes (migrations/013), which the Supabase adapter calls too: one join for both backends. */
  async listVotes(filter: VoteFilter): Promise<ComparedVote[]> {
    const { company, since } = checkVoteFilter(filter);
    const rows = await withStoreErrors(`listing Compare votes${company ? ` of company '${company}'` : ''}`, () =>
      this.db.query('SELECT id, user_id, verdict, winner_request_id, created_at, answers FROM triad_list_votes($1::text, $2::timestamptz)', [company, since]),
    );
    return rows.map(toComparedVote);
  }
}

/** The filter as the function's arguments; a `since` that is not a time is refused rather than ignored. */
export function checkVoteFilter(filter: VoteFilter): { company: string | null; since: string | null } {
  if (filter.since !== undefined && !(filter.since instanceof Date && Number.isFinite(filter.since.getTime()))) {
    throw invalidInput(`since must be a valid time, got ${String(filter.since)}`);
  }
  if (filter.company !== undefined && (typeof filter.company !== 'string' || filter.company === '')) {
    throw invalidInput(`company must be a company slug, got ${JSON.stringify(filter.company)}`);
  }
  return { company: filter.company ?? null, since: filter.since?.toISOString() ?? null };
}

/** A row of triad_list_votes, from either backend (pg parses the json column; PostgREST sends it as JSON). */
export function toComparedVote(row: Record<string, unknown>): ComparedVote {
  const answers = (typeof row.answers === 'string' ? JSON.parse(row.answers) : (row.answers ?? [])) as Array<Record<string, unknown>>;
  return {
    id: String(row.id),
    userId: String(row.user_id),
    verdict: row.verdict as ComparedVote['verdict'],
    winnerRequestId: toText(row.winner_request_id),
    createdAt: toDate(row.created_at),
    answers: answers.map(
      (answer): VoteAnswer => ({
        requestId: String(answer.request_id),
        tier: (answer.tier as Tier | null) ?? null,
        modelId: toText(answer.model_id),
        modelVersion: toText(answer.model_version),
        companySlug: toText(answer.company_slug),
      }),
    ),
  };
}
