import { randomUUID } from 'node:crypto';
import type { Tier } from '../../src-shared/domain';
import type { TriadStore } from '../../src-main/store/repositories';
import { makeEntry } from '../store/support';

/** Seeds logged answers, their labels, feedback and Compare votes the way the app writes them. */
export class DatasetSeed {
  private clock = Date.parse('2031-03-01T09:00:00.000Z');

  constructor(
    private readonly store: TriadStore,
    /** Who reviews and gives feedback. */
    readonly reviewerId: string,
  ) {}

  /** A logged, answered request; returns its id. */
  async answer(tier: Tier, company: string | null, prompt: string, answer: string): Promise<string> {
    this.clock += 60_000;
    const entry = makeEntry({
      userId: this.reviewerId,
      companySlug: company,
      requestedTier: tier,
      tier,
      createdAt: new Date(this.clock),
      prompt: { id: randomUUID(), content: prompt },
      answer: { id: randomUUID(), content: answer },
    });
    await this.store.requests.record(entry);
    return entry.id;
  }

  async label(requestId: string, label: 'accepted' | 'rejected' | 'needs_fix', correctedAnswer: string | null = null): Promise<void> {
    this.clock += 1_000;
    await this.store.review.label([
      { historyId: randomUUID(), requestId, label, correctedAnswer, tags: [], note: null, reviewerId: this.reviewerId, labelledAt: new Date(this.clock), keepDetails: false },
    ]);
  }

  async feedback(requestId: string, change: { thumbs?: 1 | -1; correctedAnswer?: string }): Promise<void> {
    await this.store.feedback.save({ requestId, userId: this.reviewerId, thumbs: change.thumbs ?? null, rating: null, comment: null, correctedAnswer: change.correctedAnswer ?? null });
  }

  async vote(prompt: string, requestIds: string[], winnerRequestId: string): Promise<void> {
    await this.store.preferences.save({ userId: this.reviewerId, prompt, requestIds, verdict: 'winner', winnerRequestId });
  }
}
