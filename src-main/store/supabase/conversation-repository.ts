import type { ConversationRepository, StoredMessage, TranscriptTurn } from '../repositories';
import { invalidInput } from '../store-errors';
import { isUuid, requireUuid, toDate } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { toMessage, toRequestSummary, toViewerFeedback } from '../rows';

const ROLE_ORDER: Record<string, number> = { system: 0, user: 1, assistant: 2 };

/** Oldest first; a prompt before its answer even when both carry the same time (as the SQL store orders). */
function byConversationOrder(a: StoredMessage, b: StoredMessage): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (ROLE_ORDER[a.role] ?? 3) - (ROLE_ORDER[b.role] ?? 3) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Conversations and their messages; row-level security keeps each operator to their own. */
export class SupabaseConversationRepository implements ConversationRepository {
  constructor(private readonly api: OperatorApi) {}

  async create(conversation: { id?: string; userId: string; companySlug?: string; title: string }): Promise<{ id: string }> {
    if (conversation.id !== undefined) requireUuid(conversation.id, 'conversation id');
    requireUuid(conversation.userId, 'user id');
    const action = `creating conversation '${conversation.title}'`;
    let companyId: unknown = null;
    if (conversation.companySlug !== undefined) {
      const company = await this.api.run<ApiRow | null>(
        action,
        this.api.client.from('companies').select('id').eq('slug', conversation.companySlug).maybeSingle(),
      );
      if (!company) throw invalidInput(`${action}: no company '${conversation.companySlug}'`);
      companyId = company.id;
    }
    const row = await this.api.run<ApiRow>(
      action,
      this.api.client
        .from('conversations')
        .insert({
          ...(conversation.id === undefined ? {} : { id: conversation.id }),
          user_id: conversation.userId,
          company_id: companyId,
          title: conversation.title,
        })
        .select('id')
        .single(),
    );
    return { id: String(row.id) };
  }

  /** Most recently active first. */
  async listForUser(userId: string): Promise<Array<{ id: string; title: string; companySlug: string | null; updatedAt: Date }>> {
    if (!isUuid(userId)) return [];
    const rows = await this.api.readAll(`listing conversations of user ${userId}`, (from, to) =>
      this.api.client
        .from('conversations')
        .select('id, title, updated_at, companies(slug)')
        .eq('user_id', userId)
        .order('updated_at', { ascending: false })
        .order('id')
        .range(from, to),
    );
    return rows.map((row) => ({
      id: String(row.id),
      title: String(row.title),
      companySlug: (row.companies as { slug: string } | null)?.slug ?? null,
      updatedAt: toDate(row.updated_at),
    }));
  }

  async messages(conversationId: string): Promise<StoredMessage[]> {
    if (!isUuid(conversationId)) return [];
    const rows = await this.api.readAll(`reading messages of conversation ${conversationId}`, (from, to) =>
      this.api.client
        .from('messages')
        .select('id, conversation_id, request_id, role, content, created_at')
        .eq('conversation_id', conversationId)
        .order('created_at')
        .order('id')
        .range(from, to),
    );
    return rows.map(toMessage).sort(byConversationOrder);
  }

  /** One call (migrations/009 triad_transcript); only the owner of the conversation sees it. */
  async transcript(conversationId: string, viewerId: string): Promise<TranscriptTurn[]> {
    if (!isUuid(conversationId) || !isUuid(viewerId)) return [];
    const rows = await this.api.run<ApiRow[]>(
      `reading conversation ${conversationId}`,
      this.api.client.rpc('triad_transcript', { p_conversation_id: conversationId, p_viewer_id: viewerId }),
    );
    return rows.map((row) => ({ message: toMessage(row), request: toRequestSummary(row, row.r_id), feedback: toViewerFeedback(row, viewerId) }));
  }
}
