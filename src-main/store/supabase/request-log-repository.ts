import type { RequestLogEntry, RequestLogRepository } from '../repositories';
import { invalidInput } from '../store-errors';
import { toConversationRow, toEntry, toJsonRow, validUniqueEntries } from '../sql/request-log-rows';
import { isUuid, requireLimit } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';

/**
 * Entries per call of triad_record_requests: one HTTP request and one transaction each. Large enough that
 * the round trip is shared by many rows, small enough that one body stays around a megabyte.
 */
const ENTRIES_PER_CALL = 500;

/** A request with its company's slug and its messages, embedded through their foreign keys. */
const ENTRY_SELECT = '*, companies(slug), messages(id, role, content, created_at)';

interface EmbeddedMessage {
  id: string;
  role: string;
  content: string;
  created_at: string;
}

/** The first message of `role` (oldest, then by id), as the SQL store's lateral join picks it. */
function firstMessage(messages: EmbeddedMessage[], role: 'user' | 'assistant'): EmbeddedMessage | undefined {
  return messages
    .filter((m) => m.role === role)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id))[0];
}

/** A request row with its embeddings as the flat row `toEntry` reads. */
function toEntryFromApi(row: ApiRow): RequestLogEntry {
  const messages = (row.messages ?? []) as EmbeddedMessage[];
  const prompt = firstMessage(messages, 'user');
  const answer = firstMessage(messages, 'assistant');
  return toEntry({
    ...row,
    company_slug: (row.companies as { slug: string } | null)?.slug ?? null,
    prompt_id: prompt?.id ?? null,
    prompt_content: prompt?.content ?? null,
    answer_id: answer?.id ?? null,
    answer_content: answer?.content ?? null,
  });
}

/**
 * The request log through PostgREST. Batches go to triad_record_requests (migrations/009), the SQL store's
 * statements as a function, so a batch of 500 is one HTTP request. A batch larger than one call is not one
 * transaction: if it fails halfway, the calls already made stay written, and sending it again (idempotent
 * by entry id) completes it.
 */
export class SupabaseRequestLogRepository implements RequestLogRepository {
  constructor(private readonly api: OperatorApi) {}

  async record(entry: RequestLogEntry): Promise<void> {
    await this.recordMany([entry]);
  }

  async recordMany(entries: RequestLogEntry[]): Promise<void> {
    const all = validUniqueEntries(entries);
    this.refuseOtherOperators(all);
    if (all.length === 0) return;
    const what = all.length === 1 ? `request ${all[0]!.id}` : `${all.length} requests`;
    for (let start = 0; start < all.length; start += ENTRIES_PER_CALL) {
      const chunk = all.slice(start, start + ENTRIES_PER_CALL);
      await this.api.run(
        `logging ${what}`,
        this.api.client.rpc('triad_record_requests', {
          // Conversations first: the messages reference them. Only entries that name one and a user.
          p_conversations: chunk.filter((e) => e.conversationId !== null && e.userId !== null).map(toConversationRow),
          p_entries: chunk.map(toJsonRow),
        }),
      );
    }
  }

  /**
   * Row-level security refuses a request logged in someone else's name, and would refuse the whole batch
   * with it. Said here first, naming the entries, as `validation_failed`: the request-log writer then sets
   * them aside instead of retrying the batch forever.
   */
  private refuseOtherOperators(entries: RequestLogEntry[]): void {
    const { userId } = this.api.operator;
    const foreign = entries.filter((entry) => entry.userId !== userId);
    if (foreign.length === 0) return;
    const named = foreign.slice(0, 5).map((e) => `${e.id} (user ${e.userId ?? 'none'})`).join(', ');
    throw invalidInput(
      `request log entries ${named}${foreign.length > 5 ? ` and ${foreign.length - 5} more` : ''}: ` +
        `a team store logs only the signed-in operator's own requests (user ${userId})`,
    );
  }

  async get(id: string): Promise<RequestLogEntry | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.api.run<ApiRow | null>(
      `reading request ${id}`,
      this.api.client.from('llm_requests').select(ENTRY_SELECT).eq('id', id).maybeSingle(),
    );
    return row ? toEntryFromApi(row) : undefined;
  }

  /** Most recent first, among the requests the operator may read. */
  async listRecent(limit: number): Promise<RequestLogEntry[]> {
    requireLimit(limit);
    const rows = await this.api.readAll(
      'listing recent requests',
      (from, to) =>
        this.api.client
          .from('llm_requests')
          .select(ENTRY_SELECT)
          .order('created_at', { ascending: false })
          .order('id', { ascending: false })
          .range(from, to),
      limit,
    );
    return rows.map(toEntryFromApi);
  }
}
