import { TriadError } from '../../src-shared/errors';
import type { Feedback, Preference, RequestLogEntry } from '../store/repositories';
import type { ConversationReplay } from '../store/supabase/sync-writes';
import type { SupabaseStore } from '../store/supabase/supabase-store';
import type { LocalCopy, OutboxItem } from './local-copy';
import type { RemoteLink } from './remote-link';
import { labelWritesFrom, queueFrom } from './team-review';

/** The slice of a pino logger the sender uses. */
export interface OutboxSenderLogger {
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Options of {@link OutboxSender}. */
export interface OutboxSenderOptions {
  local: LocalCopy;
  link: RemoteLink;
  logger: OutboxSenderLogger;
  /** Something the sync status shows changed. */
  onChange(): void;
  /** Request-log entries per call to Supabase (one HTTP request and one transaction). Default 500. */
  maxBatch?: number;
  /** First wait after a failure; it doubles up to `maxRetryDelayMs`, with jitter. Default 250 ms. */
  firstRetryDelayMs?: number;
  /** Longest wait between tries while Supabase cannot be reached. Default 5 s. */
  maxRetryDelayMs?: number;
}

/** The outbox as the sender reports it. */
export interface SenderStatus {
  lastSuccessAt: Date | null;
  /** The failure that stopped the last delivery; null once a delivery gets through. */
  lastError: string | null;
}

/**
 * Sends the outbox to Supabase in order, in the background: consecutive request-log entries together (one call
 * each 500), anything else one at a time. Every write is idempotent (client-generated ids; the server ignores a
 * row it has, and keeps the later of two edits), so an item whose fate is unknown is simply sent again. While
 * Supabase cannot be reached it tries again with backoff, and that try is also what finds the link online again.
 * An item the server refuses for good (`validation_failed`, `forbidden`) is isolated by splitting its batch and
 * set aside with the reason: it never blocks the others and is never dropped silently.
 */
export class OutboxSender {
  private readonly maxBatch: number;
  private readonly firstRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private working: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private lastSuccessAt: Date | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: OutboxSenderOptions) {
    this.maxBatch = options.maxBatch ?? 500;
    this.firstRetryDelayMs = options.firstRetryDelayMs ?? 250;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  }

  /** New items or a change of the link: send now; while Supabase does not answer, the try under way or scheduled will. */
  wake(): void {
    if (this.closed) return;
    if (this.options.link.state !== 'online' && (this.retryTimer || this.working)) return;
    this.kick();
  }

  /** Sends now, whatever the backoff. */
  kick(): void {
    if (this.closed) return;
    this.clearRetry();
    if (this.working) {
      this.again = true;
      return;
    }
    this.working = this.deliverAll()
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.working = null;
        const again = this.again;
        this.again = false;
        // After a failure the retry is scheduled: work asked for meanwhile waits for it.
        if (again && !this.closed && !this.retryTimer) this.kick();
      });
  }

  status(): SenderStatus {
    return { lastSuccessAt: this.lastSuccessAt, lastError: this.lastError };
  }

  /** Stops sending; waits for the call under way (the caller aborts the network first). Items left stay in the outbox. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearRetry();
    await this.working?.catch(() => undefined);
  }

  private async deliverAll(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const items = await this.options.local.waiting(this.maxBatch);
      if (items.length === 0) {
        // Nothing to send: still find out whether Supabase answers, so the status says so.
        if (this.options.link.state !== 'online') await this.options.link.attempt((remote) => remote.sync.ping());
        this.succeeded(false);
        return;
      }
      const group = leadingGroup(items);
      const { handled, failure } = await this.deliver(group);
      if (this.closed) return;
      if (handled > 0) this.succeeded(true);
      if (failure !== undefined) throw failure;
    }
  }

  /**
   * Sends `items` (all of one kind) and removes what Supabase took. A refusal of a batch is narrowed down by
   * halves to the refused items, which are set aside. Returns how many leading items are done (sent or set
   * aside), and the failure that stopped it, if Supabase failed rather than refused.
   */
  private async deliver(items: OutboxItem[]): Promise<{ handled: number; failure?: unknown }> {
    try {
      await this.options.link.attempt((remote) => send(remote, items));
    } catch (error) {
      if (!isRefusal(error)) return { handled: 0, failure: error };
      if (items.length === 1) {
        await this.setAside(items[0]!, error);
        return { handled: 1 };
      }
      const middle = Math.ceil(items.length / 2);
      const first = await this.deliver(items.slice(0, middle));
      if (first.failure !== undefined || this.closed) return first;
      const second = await this.deliver(items.slice(middle));
      return { handled: first.handled + second.handled, failure: second.failure };
    }
    if (this.closed) return { handled: 0 };
    await this.options.local.sent(items.map((item) => item.seq));
    return { handled: items.length };
  }

  private async setAside(item: OutboxItem, error: TriadError): Promise<void> {
    await this.options.local.setAside(item.seq, error.message);
    this.options.logger.error(
      { outboxSeq: item.seq, kind: item.kind, reason: error.message },
      'Supabase refused a write from the outbox for good; it is set aside and will not be sent again',
    );
    this.options.onChange();
  }

  private succeeded(sentSomething: boolean): void {
    this.failures = 0;
    if (sentSomething) this.lastSuccessAt = new Date();
    if (sentSomething || this.lastError !== null) {
      this.lastError = null;
      this.options.onChange();
    }
  }

  /** Supabase failed (unreachable, or an unexpected answer): try again later, waiting longer each time. */
  private failed(error: unknown): void {
    if (this.closed) return;
    this.failures += 1;
    const message = error instanceof Error ? error.message : String(error);
    if (message !== this.lastError) {
      this.lastError = message;
      if (this.failures === 1) this.options.logger.warn({ err: error }, 'the outbox cannot reach Supabase; retrying with backoff');
      this.options.onChange();
    }
    const ceiling = Math.min(this.maxRetryDelayMs, this.firstRetryDelayMs * 2 ** (this.failures - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
    // A pending retry alone must not keep the process alive: the outbox is on disk.
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

/** The first items sent together: consecutive request-log entries, or a single item of another kind. */
function leadingGroup(items: OutboxItem[]): OutboxItem[] {
  const first = items[0]!;
  if (first.kind !== 'request') return [first];
  const end = items.findIndex((item) => item.kind !== 'request');
  return end === -1 ? items : items.slice(0, end);
}

async function send(remote: SupabaseStore, items: OutboxItem[]): Promise<void> {
  const first = items[0]!;
  switch (first.kind) {
    case 'request':
      return remote.requests.recordMany(items.map((item) => requestEntryFrom(item.payload)));
    case 'conversation':
      return remote.sync.putConversation(conversationFrom(first.payload));
    case 'feedback':
      return remote.sync.putFeedback(feedbackFrom(first.payload));
    case 'preference':
      await remote.preferences.save(preferenceFrom(first.payload));
      return;
    // Labels carry the time they were made: replayed late or twice, the later label still wins (migrations/011).
    case 'review_labels':
      await remote.review.label(labelWritesFrom(first.payload));
      return;
    case 'review_queue':
      await remote.review.saveQueue(queueFrom(first.payload));
      return;
    case 'review_queue_delete': {
      const { id, userId } = first.payload as { id: string; userId: string };
      await remote.review.deleteQueue(userId, id);
      return;
    }
  }
}

/** Supabase refused the write itself: sending it again cannot succeed. */
function isRefusal(error: unknown): error is TriadError {
  return TriadError.isInstance(error) && (error.code === 'validation_failed' || error.code === 'forbidden');
}

// Payloads are the objects the team store wrote, through JSON: dates come back as ISO text.

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

export function requestEntryFrom(payload: unknown): RequestLogEntry {
  const entry = payload as Json<RequestLogEntry>;
  return { ...entry, createdAt: new Date(entry.createdAt), completedAt: new Date(entry.completedAt) };
}

function conversationFrom(payload: unknown): ConversationReplay {
  const conversation = payload as Json<ConversationReplay>;
  return { ...conversation, createdAt: new Date(conversation.createdAt), updatedAt: new Date(conversation.updatedAt) };
}

function feedbackFrom(payload: unknown): Feedback {
  const feedback = payload as Json<Feedback>;
  return { ...feedback, createdAt: new Date(feedback.createdAt), updatedAt: new Date(feedback.updatedAt) };
}

function preferenceFrom(payload: unknown): Omit<Preference, 'createdAt'> {
  const { createdAt: _createdAt, ...preference } = payload as Json<Preference>;
  return preference;
}
