import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src-main/api/api-context';
import { createTriadApi } from '../../src-main/api/triad-api';
import { RequestStatsSchema, type RequestStats } from '../../src-shared/deploy-contract';
import { SECRET_NAMES, type SecretsStatus, type SecretStore } from '../../src-main/secrets/secret-store';
import type { TestApp } from '../support/test-app';
import { makeEntry } from '../store/support';
import { startTeamStack, type TeamOperator, type TeamStack } from '../support/team-stack/team-stack';
import { signedInApp, synced } from '../team/support';

// The dashboard's feedback per version in team mode: read from Supabase through PostgREST under row-level
// security. An analyst sees what they said; an ML lead the feedback on their companies' answers (and no one's
// Compare votes but their own); an admin everything.

let stack: TeamStack;
let analyst: TeamOperator;
let outsider: TeamOperator;
let lead: TeamOperator;
let admin: TeamOperator;
const apps: TestApp[] = [];
const company = `vf-${randomUUID().slice(0, 6)}`;
const elsewhere = `vf-other-${randomUUID().slice(0, 6)}`;
const V1 = `triad-ml/triad-company-sft@${'1'.repeat(40)}`;
const caller: Caller = { clientId: randomUUID(), emit: () => undefined };

beforeAll(async () => {
  stack = await startTeamStack();
  [analyst, outsider, lead, admin] = await Promise.all([
    stack.createOperator({ role: 'analyst', companies: [company] }),
    stack.createOperator({ role: 'analyst', companies: [elsewhere] }),
    stack.createOperator({ role: 'ml_lead', companies: [company] }),
    stack.createOperator({ role: 'admin', companies: [company, elsewhere] }),
  ]);
}, 90_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await stack?.stop();
});

/** The team session's keys, kept in memory: this test is about row-level security, not the OS keychain. */
function memorySecrets(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: async (name) => values.get(name),
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
    status: async () => ({
      keychain: { available: true, detail: 'in memory' },
      secrets: Object.fromEntries(SECRET_NAMES.map((name) => [name, values.has(name) ? 'keychain' : 'unset'])) as SecretsStatus['secrets'],
    }),
  };
}

async function appFor(operator: TeamOperator): Promise<TestApp> {
  const app = await signedInApp(stack, operator, { secrets: memorySecrets });
  apps.push(app);
  return app;
}

/** The feedback part of `deploy.requestStats` as `app`'s operator reads it. */
async function feedbackSeenBy(app: TestApp): Promise<RequestStats['feedback']> {
  const api = createTriadApi(app, { broadcast: () => undefined });
  try {
    const result = await api.call('deploy.requestStats', {}, caller);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const stats = RequestStatsSchema.parse(result.value);
    expect(stats.feedbackError).toBeNull();
    return stats.feedback;
  } finally {
    api.close();
  }
}

describe('feedback per version in team mode', () => {
  it("shows each reader the feedback and votes row-level security lets them read, over the last 24 hours", async () => {
    const [analystApp, outsiderApp, leadApp, adminApp] = [await appFor(analyst), await appFor(outsider), await appFor(lead), await appFor(admin)];

    const tuned = makeEntry({ userId: analyst.id, companySlug: company, tier: 'company', requestedTier: 'company', provider: 'huggingface', modelVersion: V1, createdAt: new Date() });
    const general = makeEntry({ userId: analyst.id, tier: 'base', modelVersion: 'qwen', createdAt: new Date() });
    const old = makeEntry({ userId: analyst.id, companySlug: company, tier: 'company', requestedTier: 'company', provider: 'huggingface', modelVersion: V1, createdAt: new Date() });
    await analystApp.store.requests.recordMany([tuned, general, old]);
    const say = (app: TestApp, userId: string, requestId: string, thumbs: 1 | -1, rating: number | null) =>
      app.store.feedback.save({ requestId, userId, thumbs, rating, comment: null, correctedAnswer: null });
    await say(analystApp, analyst.id, tuned.id, 1, 5);
    await say(analystApp, analyst.id, general.id, -1, 2);
    await say(analystApp, analyst.id, old.id, -1, 1);
    await analystApp.store.preferences.save({ userId: analyst.id, prompt: 'Which?', requestIds: [general.id, tuned.id], verdict: 'winner', winnerRequestId: tuned.id });
    const elsewhereAnswer = makeEntry({ userId: outsider.id, companySlug: elsewhere, tier: 'company', requestedTier: 'company', provider: 'huggingface', modelVersion: V1, createdAt: new Date() });
    await outsiderApp.store.requests.recordMany([elsewhereAnswer]);
    await say(outsiderApp, outsider.id, elsewhereAnswer.id, -1, 1);
    await synced(analystApp);
    await synced(outsiderApp);
    // Feedback given two days ago is not the last 24 hours'.
    await stack.query(`UPDATE feedback SET updated_at = now() - interval '2 days' WHERE request_id = $1`, [old.id]);

    const none = { thumbsUp: 0, thumbsDown: 0, ratings: 0, meanRating: null, compareWins: 0, compareLosses: 0, compareTies: 0 };
    expect(await feedbackSeenBy(analystApp)).toEqual([
      { ...none, tier: 'base', modelVersion: 'qwen', thumbsDown: 1, ratings: 1, meanRating: 2, compareLosses: 1 },
      { ...none, tier: 'company', modelVersion: V1, thumbsUp: 1, ratings: 1, meanRating: 5, compareWins: 1 },
    ]);
    // The ML lead reads the feedback on their company's answers, not on a general question nor another company's,
    // and no one's Compare votes but their own.
    expect(await feedbackSeenBy(leadApp)).toEqual([{ ...none, tier: 'company', modelVersion: V1, thumbsUp: 1, ratings: 1, meanRating: 5 }]);
    expect(await feedbackSeenBy(outsiderApp)).toEqual([{ ...none, tier: 'company', modelVersion: V1, thumbsDown: 1, ratings: 1, meanRating: 1 }]);
    expect(await feedbackSeenBy(adminApp)).toEqual([
      { ...none, tier: 'base', modelVersion: 'qwen', thumbsDown: 1, ratings: 1, meanRating: 2, compareLosses: 1 },
      { ...none, tier: 'company', modelVersion: V1, thumbsUp: 1, thumbsDown: 1, ratings: 2, meanRating: 3, compareWins: 1 },
    ]);
  }, 180_000);
});
