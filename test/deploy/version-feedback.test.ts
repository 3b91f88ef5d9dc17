import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionFeedback } from '../../src-main/deploy/version-feedback';
import { openStore } from '../../src-main/store/open-store';
import type { TriadStore, UserAccess } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from '../store/support';

/**
 * Feedback per tier and version for the Deployments dashboard, read from a real PGlite store: thumbs and stars on
 * each version's answers, and its Compare wins, losses and ties.
 */
const V1 = `triad-ml/triad-company-sft@${'1'.repeat(40)}`;
const V2 = `triad-ml/triad-company-sft@${'2'.repeat(40)}`;

describe('feedback per version', () => {
  let store: TriadStore;
  let ana: UserAccess;
  let ben: UserAccess;

  beforeAll(async () => {
    store = await openStore({ backend: 'pglite' });
    ana = await store.directory.createUser({ displayName: 'Ana', role: 'analyst' });
    ben = await store.directory.createUser({ displayName: 'Ben', role: 'analyst' });
  }, 60_000);
  afterAll(async () => {
    await store.close();
  });

  it('counts thumbs, stars and Compare outcomes per tier and version, a changed piece of feedback once', async () => {
    const since = new Date(Date.now() - 60_000);
    const v1 = [makeEntry({ userId: ana.id, tier: 'company', provider: 'huggingface', modelVersion: V1 }), makeEntry({ userId: ana.id, tier: 'company', provider: 'huggingface', modelVersion: V1 })];
    const v2 = makeEntry({ userId: ana.id, tier: 'company', provider: 'huggingface', modelVersion: V2 });
    const local = makeEntry({ userId: ana.id, tier: 'base', provider: 'local', modelVersion: null, modelId: 'qwen2.5-0.5b-instruct-q4_k_m.gguf' });
    await store.requests.recordMany([...v1, v2, local]);

    const feedback = (requestId: string, userId: string, thumbs: 1 | -1 | null, rating: number | null) =>
      store.feedback.save({ requestId, userId, thumbs, rating, comment: null, correctedAnswer: null });
    await feedback(v1[0]!.id, ana.id, -1, 2);
    // Ana changes her mind: her feedback counts once, as it is now.
    await feedback(v1[0]!.id, ana.id, 1, 5);
    await feedback(v1[0]!.id, ben.id, 1, 4);
    await feedback(v1[1]!.id, ben.id, -1, null);
    await feedback(v2.id, ana.id, null, 3);
    await feedback(local.id, ben.id, -1, 1);

    const vote = (requestIds: string[], verdict: 'winner' | 'tie' | 'both_bad', winnerRequestId: string | null = null) =>
      store.preferences.save({ userId: ana.id, prompt: 'Which?', requestIds, verdict, winnerRequestId });
    await vote([v1[0]!.id, v2.id], 'winner', v1[0]!.id);
    await vote([v2.id, local.id], 'winner', v2.id);
    await vote([v1[1]!.id, v2.id, local.id], 'tie');
    await vote([v1[0]!.id, local.id], 'both_bad');
    // Two answers of one version say nothing of how it compares.
    await vote([v1[0]!.id, v1[1]!.id], 'winner', v1[1]!.id);

    const given = await store.feedback.listGivenSince(since);
    expect(given).toHaveLength(5);
    expect(given.find((f) => f.answer.modelVersion === V2)).toMatchObject({ thumbs: null, rating: 3, answer: { tier: 'company', provider: 'huggingface', modelId: 'llama-2-tiny-random' } });

    const versions = versionFeedback(given, await store.preferences.listVotes({ since }));
    expect(versions).toEqual([
      { tier: 'base', modelVersion: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', thumbsUp: 0, thumbsDown: 1, ratings: 1, meanRating: 1, compareWins: 0, compareLosses: 1, compareTies: 2 },
      { tier: 'company', modelVersion: V1, thumbsUp: 2, thumbsDown: 1, ratings: 2, meanRating: 4.5, compareWins: 1, compareLosses: 0, compareTies: 2 },
      { tier: 'company', modelVersion: V2, thumbsUp: 0, thumbsDown: 0, ratings: 1, meanRating: 3, compareWins: 1, compareLosses: 1, compareTies: 1 },
    ]);

    // Only what was given since the time asked for.
    expect(await store.feedback.listGivenSince(new Date(Date.now() + 60_000))).toEqual([]);
  });

  it('refuses a time that is not one, rather than reading everything', async () => {
    const refused = await thrownBy(() => store.feedback.listGivenSince(new Date('not a time')));
    expect(refused).toMatchObject({ code: 'validation_failed', message: 'since must be a valid time, got Invalid Date' });
  });

  it('leaves out answers the reader may not see and feedback that says nothing', () => {
    const hidden = { requestId: 'r-hidden', tier: null, modelId: null, modelVersion: null, companySlug: null };
    const shown = { requestId: 'r-shown', tier: 'company' as const, modelId: 'm', modelVersion: V1, companySlug: 'acme' };
    const votes = [{ id: 'v', userId: 'u', verdict: 'winner' as const, winnerRequestId: 'r-hidden', createdAt: new Date(), answers: [hidden, shown] }];
    const feedback = [
      { thumbs: null, rating: null, updatedAt: new Date(), answer: { tier: 'company' as const, provider: null, modelId: 'm', modelVersion: V1 } },
      { thumbs: 1 as const, rating: null, updatedAt: new Date(), answer: { tier: null, provider: null, modelId: null, modelVersion: null } },
    ];
    expect(versionFeedback(feedback, votes)).toEqual([]);
  });
});
