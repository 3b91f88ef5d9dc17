import type { Feedback } from '../repositories';
import { requireUuid } from '../values';
import type { OperatorApi } from './operator-api';

/** A conversation as the outbox replays it: created on the operator's computer, perhaps while offline. */
export interface ConversationReplay {
  id: string;
  userId: string;
  companySlug: string | null;
  title: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The writes a team store replays from its outbox, where the repositories' own writes would not do: each is
 * idempotent and carries the time it was made, so sending it twice, or after a later change from another
 * computer, changes nothing it should not (docs/team-mode.md, "Offline outbox").
 */
export class SupabaseSyncWrites {
  constructor(private readonly api: OperatorApi) {}

  /** Whether the project answers for this session: one cheap call (triad_session). */
  async ping(): Promise<void> {
    await this.api.run('checking the connection', this.api.client.rpc('triad_session'));
  }

  /**
   * Creates the conversation unless it exists; an existing one keeps its title and the greatest `updated_at`.
   * Through triad_record_requests with no entries (migrations/009), which does exactly that for the request log.
   */
  async putConversation(conversation: ConversationReplay): Promise<void> {
    requireUuid(conversation.id, 'conversation id');
    requireUuid(conversation.userId, 'user id');
    await this.api.run(
      `sending conversation ${conversation.id}`,
      this.api.client.rpc('triad_record_requests', {
        p_conversations: [
          {
            conversation_id: conversation.id,
            user_id: conversation.userId,
            company_slug: conversation.companySlug,
            title: conversation.title,
            created_at: conversation.createdAt.toISOString(),
            completed_at: conversation.updatedAt.toISOString(),
          },
        ],
        p_entries: [],
      }),
    );
  }

  /** Saves the feedback unless the stored one was changed later (migrations/010 triad_sync_feedback). */
  async putFeedback(feedback: Feedback): Promise<void> {
    requireUuid(feedback.id, 'feedback id');
    requireUuid(feedback.requestId, 'request id');
    requireUuid(feedback.userId, 'user id');
    await this.api.run(
      `sending feedback of user ${feedback.userId} on request ${feedback.requestId}`,
      this.api.client.rpc('triad_sync_feedback', {
        p_id: feedback.id,
        p_request_id: feedback.requestId,
        p_user_id: feedback.userId,
        p_thumbs: feedback.thumbs,
        p_rating: feedback.rating,
        p_comment: feedback.comment,
        p_corrected_answer: feedback.correctedAnswer,
        p_created_at: feedback.createdAt.toISOString(),
        p_updated_at: feedback.updatedAt.toISOString(),
      }),
    );
  }
}
