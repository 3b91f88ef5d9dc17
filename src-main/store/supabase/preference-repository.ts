import type { ComparedVote, Preference, PreferenceRepository, VoteFilter } from '../repositories';
import { checkVoteFilter, toComparedVote } from '../sql/preference-repository';
import { isUuid, requireLimit, requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { PREFERENCE_COLUMNS, toPreference } from '../rows';

/** Compare votes: each operator writes and reads their own; admins read all. */
export class SupabasePreferenceRepository implements PreferenceRepository {
  constructor(private readonly api: OperatorApi) {}

  /** Saving a vote again changes only its verdict (migrations/009 triad_save_preference). */
  async save(preference: Omit<Preference, 'id' | 'createdAt'> & { id?: string }): Promise<Preference> {
    if (preference.id !== undefined) requireUuid(preference.id, 'preference id');
    requireUuid(preference.userId, 'user id');
    preference.requestIds.forEach((id, i) => requireUuid(id, `request id ${i + 1}`));
    if (preference.winnerRequestId !== null) requireUuid(preference.winnerRequestId, 'winner request id');
    const row = await this.api.run<ApiRow>(
      `saving the comparison vote of user ${preference.userId}`,
      this.api.client.rpc('triad_save_preference', {
        p_id: preference.id ?? null,
        p_user_id: preference.userId,
        p_prompt: preference.prompt,
        p_request_ids: preference.requestIds,
        p_verdict: preference.verdict,
        p_winner_request_id: preference.winnerRequestId,
      }),
    );
    return toPreference(row);
  }

  /** Most recent first. */
  async listForUser(userId: string, limit: number): Promise<Preference[]> {
    requireLimit(limit);
    if (!isUuid(userId)) return [];
    const rows = await this.api.readAll(
      `listing comparison votes of user ${userId}`,
      (from, to) =>
        this.api.client.from('preferences').select(PREFERENCE_COLUMNS).eq('user_id', userId).order('created_at', { ascending: false }).order('id').range(from, to),
      limit,
    );
    return rows.map(toPreference);
  }

  /**
   * Through triad_list_votes (migrations/013): the answers of a vote are an array of request ids, which
   * PostgREST cannot embed. Row-level security decides which votes, requests and companies come back.
   */
  async listVotes(filter: VoteFilter): Promise<ComparedVote[]> {
    const { company, since } = checkVoteFilter(filter);
    const rows = await this.api.readAll(`listing Compare votes${company ? ` of company '${company}'` : ''}`, (from, to) =>
      this.api.client.rpc('triad_list_votes', { p_company_slug: company, p_since: since }).order('created_at').order('id').range(from, to),
    );
    return rows.map(toComparedVote);
  }
}
