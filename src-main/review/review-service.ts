import { randomUUID } from 'node:crypto';
import { TriadError } from '../../src-shared/errors';
import {
  REVIEW_LIMITS,
  type ReviewDetail,
  type ReviewFilter,
  type ReviewLabelValue,
  type ReviewLabelView,
  type ReviewQueue,
  type ReviewRow,
  type ReviewSort,
} from '../../src-shared/review-contract';
import type { ReviewQueueRecord, ReviewRepository } from '../store/repositories';

/** A label as the reviewer gives it. */
export interface LabelInput {
  requestId: string;
  label: ReviewLabelValue;
  correctedAnswer: string | null;
  tags: string[];
  note: string | null;
}

/** What bulk labelling applies to: selected rows, or every row of a filter. */
export type BulkTarget = { ids: string[] } | { filter: ReviewFilter };

/**
 * The reviewers' work on the store in use (embedded or team): the table, labels (one, a selection, or every row of
 * a filter), and queues with their progress. Every label carries the time it was made on this computer and the id
 * of its history row, so the store can keep the later one and every one (docs/team-mode.md, "Review labels").
 */
export class ReviewService {
  constructor(
    private readonly review: () => ReviewRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(query: { filter: ReviewFilter; sort: ReviewSort; offset: number; limit: number }): Promise<{ total: number | null; rows: ReviewRow[] }> {
    return this.review().list(query);
  }

  async detail(requestId: string): Promise<ReviewDetail> {
    const detail = await this.review().detail(requestId);
    if (!detail) throw new TriadError({ code: 'validation_failed', message: `answer ${requestId}: no such logged answer, or not one you may review` });
    return detail;
  }

  async label(reviewerId: string, input: LabelInput): Promise<ReviewLabelView> {
    const correctedAnswer = input.correctedAnswer?.trim() ? input.correctedAnswer : null;
    const note = input.note?.trim() ? input.note.trim() : null;
    const [current] = await this.review().label([
      { historyId: randomUUID(), requestId: input.requestId, label: input.label, correctedAnswer, tags: input.tags, note, reviewerId, labelledAt: this.now(), keepDetails: false },
    ]);
    if (!current) throw new TriadError({ code: 'validation_failed', message: `labelling answer ${input.requestId}: no such logged answer` });
    return current;
  }

  /** Labels every answer of the target, keeping each one's correction, tags and note; returns how many. */
  async bulkLabel(reviewerId: string, target: BulkTarget, label: ReviewLabelValue): Promise<number> {
    const ids = 'ids' in target ? [...new Set(target.ids)] : await this.review().matchingIds(target.filter, REVIEW_LIMITS.maxBulkRows + 1);
    if (ids.length > REVIEW_LIMITS.maxBulkRows) {
      throw new TriadError({
        code: 'validation_failed',
        message: `the filter matches more than ${REVIEW_LIMITS.maxBulkRows.toLocaleString('en')} answers: narrow it down before labelling them all`,
      });
    }
    if (ids.length === 0) return 0;
    const labelledAt = this.now();
    const current = await this.review().label(
      ids.map((requestId) => ({ historyId: randomUUID(), requestId, label, correctedAnswer: null, tags: [], note: null, reviewerId, labelledAt, keepDetails: true })),
    );
    return current.length;
  }

  async listQueues(userId: string): Promise<ReviewQueue[]> {
    const queues = await this.review().listQueues(userId);
    return Promise.all(queues.map((queue) => this.withProgress(queue)));
  }

  async saveQueue(userId: string, input: { id?: string; name: string; filter: ReviewFilter }): Promise<ReviewQueue> {
    const name = input.name.trim();
    const clash = (await this.review().listQueues(userId)).find((q) => q.name === name && q.id !== input.id);
    if (clash) throw new TriadError({ code: 'validation_failed', message: `a queue named '${name}' already exists: choose another name` });
    const saved = await this.review().saveQueue({ id: input.id ?? randomUUID(), userId, name, filter: input.filter });
    return this.withProgress(saved);
  }

  deleteQueue(userId: string, id: string): Promise<boolean> {
    return this.review().deleteQueue(userId, id);
  }

  private async withProgress(queue: ReviewQueueRecord): Promise<ReviewQueue> {
    const { total, done } = await this.review().progress(queue.filter);
    return { id: queue.id, name: queue.name, filter: queue.filter, createdAt: queue.createdAt.toISOString(), progress: { total, done, left: total - done } };
  }
}
