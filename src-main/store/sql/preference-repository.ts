import type { Preference, PreferenceRepository } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { withStoreErrors } from '../store-errors';
import { isUuid, requireLimit, requireUuid } from '../values';
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
}
