import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import type { TriadStore } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from './support';

/** Opens a migrated store; the contract closes it. */
export type StoreFactory = () => Promise<TriadStore>;

/**
 * The store as `user` sees it, for writing rows in their name. A backend where nobody may write in someone
 * else's name (Supabase, through row-level security) signs `user` in, even one the directory does not know;
 * the embedded backends trust their caller and return the suite's own store.
 */
export type ActAs = (store: TriadStore, user: { id: string }) => Promise<TriadStore>;

function uniqueSlug(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Times no other test uses, so listRecent sees only what one test wrote. */
let nextYear = 2100;
function distinctTime(): Date {
  return new Date(`${nextYear++}-06-01T00:00:00.000Z`);
}

async function expectValidationError(work: () => Promise<unknown>, ...mentions: RegExp[]): Promise<void> {
  const error = await thrownBy(work);
  expect(TriadError.isInstance(error), `expected a TriadError, got ${String(error)}`).toBe(true);
  expect(error.code).toBe('validation_failed');
  for (const mention of mentions) expect(error.message).toMatch(mention);
}

/**
 * The behaviour every TriadStore must have, whatever database is behind it. One store serves the whole
 * suite (opening one costs seconds), so each test creates its own companies, users and requests; rows in
 * a user's name are written through `actAs` for that user.
 */
export function describeStoreContract(backendName: string, openStore: StoreFactory, actAs: ActAs = async (store) => store): void {
  describe(`TriadStore contract on ${backendName}`, () => {
    let store: TriadStore;

    beforeAll(async () => {
      store = await openStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    async function createUser(role: 'analyst' | 'ml_lead' | 'admin' = 'analyst') {
      return store.directory.createUser({ displayName: `User ${randomUUID().slice(0, 4)}`, role });
    }

    /** The store as `user`: rows with their user id are written through it. */
    const storeAs = (user: { id: string }) => actAs(store, user);

    describe('directory', () => {
      it('creates companies and users, and grants access', async () => {
        const acme = await store.directory.createCompany({ slug: uniqueSlug('acme'), name: 'Acme' });
        const beta = await store.directory.createCompany({ slug: uniqueSlug('beta'), name: 'Beta' });
        const id = randomUUID();
        const user = await store.directory.createUser({ id, displayName: 'Ada', role: 'ml_lead', email: `${id}@example.com` });
        expect(user).toEqual({ id, displayName: 'Ada', role: 'ml_lead', companySlugs: [] });

        await store.directory.grantCompanyAccess(id, beta.slug);
        await store.directory.grantCompanyAccess(id, acme.slug);
        await store.directory.grantCompanyAccess(id, acme.slug);

        const access = await store.directory.getUserAccess(id);
        expect(access?.companySlugs).toEqual([acme.slug, beta.slug].sort());
        expect(await store.directory.findCompany(acme.slug)).toEqual(acme);
        expect(await store.directory.findCompany('no-such-company')).toBeUndefined();
        expect(await store.directory.listCompanies()).toEqual(expect.arrayContaining([acme, beta]));
        expect(await store.directory.getUserAccess(randomUUID())).toBeUndefined();
        expect(await store.directory.getUserAccess('not-a-uuid')).toBeUndefined();
      });

      it('refuses a duplicate slug, a malformed slug, an unknown role and grants to unknown companies', async () => {
        const slug = uniqueSlug('dup');
        await store.directory.createCompany({ slug, name: 'First' });
        await expectValidationError(() => store.directory.createCompany({ slug, name: 'Second' }), /already exists/, new RegExp(slug));
        await expectValidationError(() => store.directory.createCompany({ slug: 'Not A Slug', name: 'X' }), /slug/);
        await expectValidationError(() => store.directory.createUser({ displayName: 'Eve', role: 'owner' as 'admin' }), /role/);
        const user = await createUser();
        await expectValidationError(() => store.directory.grantCompanyAccess(user.id, 'no-such-company'), /no such company/, /no-such-company/);
        await expectValidationError(() => store.directory.grantCompanyAccess(randomUUID(), slug), /no such user/);
      });
    });

    describe('feature flags and settings', () => {
      it('round-trip any JSON value and replace it on a second set', async () => {
        const value = { enabled: true, tiers: ['base', 'company'], ratio: 0.25, nested: { note: 'ünïcødé ✓', none: null } };
        await store.flags.set('hf-routing', value, 'admin@example.com');
        await store.flags.set('kill-switch', false);
        await store.flags.set('rollout', 10);
        await store.flags.set('rollout', [1, 2, 3]);
        const flags = await store.flags.readAll();
        expect(flags['hf-routing']).toEqual(value);
        expect(flags['kill-switch']).toBe(false);
        expect(flags.rollout).toEqual([1, 2, 3]);

        await store.settings.set('openai.baseUrl', 'http://127.0.0.1:8080/v1');
        await store.settings.set('local.models', { base: 'tiny.gguf' });
        await store.settings.set('content-filter', null);
        expect(await store.settings.get('openai.baseUrl')).toBe('http://127.0.0.1:8080/v1');
        expect(await store.settings.get('content-filter')).toBeNull();
        expect(await store.settings.get('never-set')).toBeUndefined();
        expect(await store.settings.getAll()).toMatchObject({ 'local.models': { base: 'tiny.gguf' }, 'content-filter': null });
      });

      it('refuses values JSON cannot hold and empty keys', async () => {
        await expectValidationError(() => store.settings.set('broken', undefined), /setting 'broken'/);
        await expectValidationError(() => store.flags.set('big', 10n), /feature flag 'big'/);
        await expectValidationError(() => store.settings.set('', 1), /key/);
      });
    });

    describe('Spaces', () => {
      it('answers the active Space per tier: the most recently updated active one', async () => {
        const older = await store.spaces.upsert({
          spaceName: 'org/company-a', spaceType: 'company', apiEndpoint: 'https://a.hf.space', isActive: true, modelVersion: 'v1',
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
        const newer = await store.spaces.upsert({
          spaceName: 'org/company-b', spaceType: 'company', apiEndpoint: 'https://b.hf.space', isActive: true, modelVersion: null,
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.spaces.upsert({
          spaceName: 'org/company-off', spaceType: 'company', apiEndpoint: 'https://off.hf.space', isActive: false, modelVersion: null,
        });
        expect(await store.spaces.activeSpaceFor('company')).toEqual(newer);
        expect(await store.spaces.activeSpaceFor('abstraction')).toBeUndefined();

        await new Promise((resolve) => setTimeout(resolve, 5));
        const updated = await store.spaces.upsert({ ...older, modelVersion: 'v2' });
        expect(updated).toEqual({ ...older, modelVersion: 'v2' });
        expect(await store.spaces.activeSpaceFor('company')).toEqual(updated);
        expect((await store.spaces.list()).filter((s) => s.spaceType === 'company')).toHaveLength(3);

        await expectValidationError(
          () => store.spaces.upsert({ ...older, id: undefined, spaceType: 'premium' as 'base' }),
          /space type must be/,
        );
      });
    });

    describe('model registry', () => {
      it('registers models and tracks their deployments to Spaces', async () => {
        const name = `triad-company-${randomUUID().slice(0, 6)}`;
        const model = await store.registry.register({
          name, version: '2024.1', tier: 'company', hfModelId: 'org/model', hfSpaceId: 'org/space', hfSpaceUrl: 'https://org-space.hf.space',
        });
        expect(model).toMatchObject({ name, version: '2024.1', tier: 'company', hfModelId: 'org/model', hfSpaceUrl: 'https://org-space.hf.space' });
        expect(model.createdAt).toBeInstanceOf(Date);
        expect(await store.registry.list()).toContainEqual(model);
        await expectValidationError(
          () => store.registry.register({ name, version: '2024.1', tier: null, hfModelId: null, hfSpaceId: null, hfSpaceUrl: null }),
          /already registered/,
        );

        const space = await store.spaces.upsert({
          spaceName: 'org/space', spaceType: 'company', apiEndpoint: 'https://org-space.hf.space', isActive: false, modelVersion: '2024.1',
        });
        const deployment = await store.registry.recordDeployment({ spaceId: space.id, modelId: model.id, deploymentStatus: 'building', deploymentLogs: 'step 1' });
        const running = await store.registry.updateDeployment(deployment.id, { deploymentStatus: 'running' });
        expect(running).toMatchObject({ id: deployment.id, spaceId: space.id, modelId: model.id, deploymentStatus: 'running', deploymentLogs: 'step 1' });
        expect(running.updatedAt.getTime()).toBeGreaterThanOrEqual(deployment.updatedAt.getTime());
        expect(await store.registry.listDeployments(space.id)).toEqual([running]);
        expect(await store.registry.listDeployments()).toContainEqual(running);

        await expectValidationError(
          () => store.registry.recordDeployment({ spaceId: space.id, modelId: randomUUID(), deploymentStatus: 'building' }),
          /model_registry/,
        );
        await expectValidationError(() => store.registry.updateDeployment(randomUUID(), { deploymentStatus: 'failed' }), /no such deployment/);
      });
    });

    describe('deployment runs', () => {
      it('records a deploy with its steps, refuses a second one of the tier while it runs, naming it', async () => {
        const lead = await createUser('ml_lead');
        const as = await storeAs(lead);
        const model = await as.registry.register({ name: `acme-ml/triad-base-${randomUUID().slice(0, 6)}`, version: 'e'.repeat(40), tier: 'base', hfModelId: null, hfSpaceId: null, hfSpaceUrl: null });
        const space = await as.spaces.upsert({ spaceName: 'acme-ml/triad-base', spaceType: 'base', apiEndpoint: 'https://acme-ml-triad-base.hf.space', isActive: false, modelVersion: null });
        const step = { name: 'check' as const, status: 'done' as const, startedAt: new Date('2026-12-01T10:00:00.000Z'), finishedAt: new Date('2026-12-01T10:00:01.000Z'), message: 'ok', log: [] };
        // Another test of this suite may run a base deploy: use staging, kept clear by this test alone.
        const target = 'staging' as const;
        const installationId = randomUUID();
        const running = await as.registry.recordDeployment({
          spaceId: space.id, modelId: model.id, deploymentStatus: 'running', tier: 'base', target, spaceRepo: 'acme-ml/triad-base-staging',
          modelVersion: `${model.name}@${model.version}`, steps: [step], hardware: 'cpu-upgrade', sleepTimeSeconds: 3600, createdBy: lead.id,
          installationId,
        });
        expect(running).toMatchObject({ tier: 'base', target, kind: 'deploy', steps: [step], hardware: 'cpu-upgrade', createdBy: lead.id, installationId, finishedAt: null });
        expect(await as.registry.linkSpace(model.id, { hfSpaceId: 'acme-ml/triad-base', hfSpaceUrl: 'https://acme-ml-triad-base.hf.space' })).toMatchObject({ id: model.id, hfSpaceId: 'acme-ml/triad-base', hfSpaceUrl: 'https://acme-ml-triad-base.hf.space' });

        const second = await thrownBy(() => as.registry.recordDeployment({ spaceId: space.id, modelId: model.id, deploymentStatus: 'running', tier: 'base', target }));
        expect(second.message).toMatch(new RegExp(`already running: deployment ${running.id} of ${model.name}@${model.version}`));

        const steps = [step, { ...step, name: 'gate' as const, status: 'failed' as const, message: 'no evaluation report' }];
        const failed = await as.registry.updateDeployment(running.id, { deploymentStatus: 'failed', steps, finishedAt: new Date('2026-12-01T10:00:02.000Z') });
        expect(failed).toMatchObject({ deploymentStatus: 'failed', steps, finishedAt: new Date('2026-12-01T10:00:02.000Z') });
        // Once it ended, the tier may be deployed again.
        const next = await as.registry.recordDeployment({ spaceId: space.id, modelId: model.id, deploymentStatus: 'running', tier: 'base', target, kind: 'rollback', previousDeploymentId: running.id });
        expect(next).toMatchObject({ kind: 'rollback', previousDeploymentId: running.id });
        await as.registry.updateDeployment(next.id, { deploymentStatus: 'succeeded', finishedAt: new Date() });
        expect((await as.registry.listDeployments(space.id)).map((d) => d.id)).toEqual([next.id, running.id]);
      });
    });

    describe('training runs', () => {
      const newRun = (createdBy: string) => ({
        namespace: 'acme-ml',
        datasetRepo: 'acme-ml/company-sft',
        datasetRevision: 'a'.repeat(40),
        baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
        kind: 'sft' as const,
        params: { epochs: 1, lora: true },
        flavor: 'a10g-small',
        priceUsdPerHour: 1.05,
        timeoutSeconds: 3600,
        outputRepo: `acme-ml/company-${randomUUID().slice(0, 6)}`,
        scriptSha256: 'b'.repeat(64),
        createdBy,
      });

      it('records a run from its launch, appends stages and progress, and lists the unfinished ones', async () => {
        const lead = await createUser('ml_lead');
        const runs = (await storeAs(lead)).trainingRuns;
        const run = await runs.create(newRun(lead.id));
        expect(run).toMatchObject({ jobId: null, stage: 'launching', kind: 'sft', params: { epochs: 1, lora: true }, progress: [], modelId: null, finishedAt: null });
        expect(run.stageHistory.map((h) => h.stage)).toEqual(['launching']);

        await runs.update(run.id, { jobId: 'job-1', stage: 'SCHEDULING' });
        const at = new Date('2026-12-01T10:00:00.000Z');
        await runs.update(run.id, { stage: 'RUNNING', startedAt: at, progress: [{ step: 5, maxSteps: 100, loss: 2.5, evalLoss: null, learningRate: 2e-5, at }] });
        const running = await runs.update(run.id, { progress: [{ step: 10, maxSteps: 100, loss: 2.1, evalLoss: null, learningRate: 2e-5, at }], lastLogLines: ['step 10'] });
        expect(running).toMatchObject({ jobId: 'job-1', stage: 'RUNNING', startedAt: at, lastLogLines: ['step 10'], finishedAt: null });
        expect(running.stageHistory.map((h) => h.stage)).toEqual(['launching', 'SCHEDULING', 'RUNNING']);
        expect(running.progress.map((p) => [p.step, p.loss])).toEqual([[5, 2.5], [10, 2.1]]);
        expect((await runs.listUnfinished()).map((r) => r.id)).toContain(run.id);

        const failed = await runs.update(run.id, { stage: 'ERROR', stageMessage: 'CUDA out of memory', failureReason: 'the job failed: CUDA out of memory' });
        expect(failed.finishedAt).toBeInstanceOf(Date);
        expect(failed.failureReason).toBe('the job failed: CUDA out of memory');
        expect((await runs.listUnfinished()).map((r) => r.id)).not.toContain(run.id);
        expect((await runs.list(50)).map((r) => r.id)).toContain(run.id);
        expect(await runs.get(run.id)).toEqual(failed);
        await expectValidationError(() => runs.update(randomUUID(), { stage: 'RUNNING' }), /no such run/);
      });

      it('registers the model of a completed run once, with where it came from', async () => {
        const lead = await createUser('ml_lead');
        const as = await storeAs(lead);
        const run = await as.trainingRuns.create(newRun(lead.id));
        const model = {
          name: run.outputRepo, version: 'c'.repeat(40), tier: 'company' as const, hfModelId: run.outputRepo, hfSpaceId: null, hfSpaceUrl: null,
          hfCommit: 'c'.repeat(40), baseModel: run.baseModel, datasetVersion: `${run.datasetRepo}@${run.datasetRevision}`, ggufFile: 'model-q8_0.gguf',
          metrics: { train_loss: 1.25 },
        };
        const completed = await as.trainingRuns.complete(run.id, model);
        expect(completed.stage).toBe('registered');
        expect(completed.modelId).not.toBeNull();
        expect(completed.finishedAt).toBeInstanceOf(Date);
        // A restarted app completing the same run again registers nothing more.
        expect((await as.trainingRuns.complete(run.id, { ...model, version: 'd'.repeat(40) })).modelId).toBe(completed.modelId);
        const registered = (await as.registry.list()).filter((m) => m.trainingRunId === run.id);
        expect(registered).toEqual([expect.objectContaining({ id: completed.modelId, ...model, trainingRunId: run.id })]);
      });
    });

    describe('request log', () => {
      it('returns a recorded request exactly, with its prompt and answer', async () => {
        const company = await store.directory.createCompany({ slug: uniqueSlug('log'), name: 'Log Co' });
        const user = await createUser();
        // A request about a company comes from a user who may see it: the facade refuses the others.
        await store.directory.grantCompanyAccess(user.id, company.slug);
        const asUser = await storeAs(user);
        const entry = makeEntry({
          userId: user.id, companySlug: company.slug, requestedTier: 'company', tier: 'company', provider: 'huggingface',
          errorCode: null, ttftMs: 3.75, createdAt: distinctTime(),
        });
        entry.completedAt = new Date(entry.createdAt.getTime() + 1234);
        await asUser.requests.record(entry);
        expect(await asUser.requests.get(entry.id)).toEqual(entry);
        expect(await asUser.requests.get(randomUUID())).toBeUndefined();
      });

      it('keeps one row and one pair of messages when the same entry is written twice', async () => {
        const user = await createUser();
        const asUser = await storeAs(user);
        const conversationId = randomUUID();
        const entry = makeEntry({ userId: user.id, conversationId, createdAt: distinctTime() });
        await asUser.requests.record(entry);
        await asUser.requests.record(entry);
        // A retried batch with new message ids must not add messages either.
        await asUser.requests.recordMany([
          { ...entry, prompt: { id: randomUUID(), content: 'again' }, answer: { id: randomUUID(), content: 'again' } },
          entry,
        ]);
        const messages = await asUser.conversations.messages(conversationId);
        expect(messages.map((m) => [m.role, m.content, m.requestId])).toEqual([
          ['user', entry.prompt!.content, entry.id],
          ['assistant', entry.answer!.content, entry.id],
        ]);
        const recent = await asUser.requests.listRecent(5);
        expect(recent.filter((r) => r.id === entry.id)).toHaveLength(1);
      });

      it('logs a rejected request from an unknown user without prompt or answer', async () => {
        const entry = makeEntry({
          userId: randomUUID(), conversationId: randomUUID(), companySlug: 'unknown-company', status: 'rejected', tier: null,
          provider: null, modelId: null, modelVersion: null, finishReason: null, ttftMs: null, tokensIn: null, tokensOut: null,
          errorCode: 'unauthorized', errorMessage: 'unknown user', prompt: null, answer: null, createdAt: distinctTime(),
        });
        // Signed in (on a backend with sign-in) but not in the directory: refused, and logged under their id.
        const asUnknown = await storeAs({ id: entry.userId! });
        await asUnknown.requests.record(entry);
        // An unknown company cannot be referenced: the log keeps everything else.
        expect(await asUnknown.requests.get(entry.id)).toEqual({ ...entry, companySlug: null });
        expect(await asUnknown.conversations.listForUser(entry.userId!)).toEqual([]);
      });

      it('creates a missing conversation for the first request and moves it up for the next', async () => {
        const company = await store.directory.createCompany({ slug: uniqueSlug('conv'), name: 'Conv Co' });
        const user = await createUser();
        await store.directory.grantCompanyAccess(user.id, company.slug);
        const asUser = await storeAs(user);
        const conversationId = randomUUID();
        const longPrompt = `Summarise ${'the quarterly revenue figures '.repeat(10)}`;
        const first = makeEntry({ userId: user.id, conversationId, companySlug: company.slug, createdAt: distinctTime(), prompt: { id: randomUUID(), content: longPrompt } });
        await asUser.requests.record(first);
        const [created] = await asUser.conversations.listForUser(user.id);
        expect(created).toEqual({ id: conversationId, title: longPrompt.slice(0, 80), companySlug: company.slug, updatedAt: first.completedAt });

        const secondAt = new Date(first.createdAt.getTime() + 60_000);
        const second = makeEntry({ userId: user.id, conversationId, createdAt: secondAt, prompt: { id: randomUUID(), content: 'And in euros?' } });
        await asUser.requests.record(second);
        const [bumped] = await asUser.conversations.listForUser(user.id);
        expect(bumped).toEqual({ ...created, updatedAt: second.completedAt });
        const messages = await asUser.conversations.messages(conversationId);
        expect(messages.map((m) => m.content)).toEqual([longPrompt, first.answer!.content, 'And in euros?', second.answer!.content]);
        expect(messages.every((m) => m.conversationId === conversationId)).toBe(true);
      });

      it('writes 500 entries in one call, all readable most recent first', async () => {
        const user = await createUser();
        const asUser = await storeAs(user);
        const base = distinctTime().getTime();
        const entries = Array.from({ length: 500 }, (_, i) =>
          makeEntry({ userId: user.id, createdAt: new Date(base + i * 1000), prompt: { id: randomUUID(), content: `question ${i}` } }),
        );
        await asUser.requests.recordMany(entries);
        const recent = await asUser.requests.listRecent(500);
        expect(recent.map((e) => e.id)).toEqual(entries.map((e) => e.id).reverse());
        expect(recent[0]).toEqual(entries[499]);
      });

      it('refuses a batch with an invalid entry, naming it, and writes none of the batch', async () => {
        const good = makeEntry({ createdAt: distinctTime() });
        const bad = makeEntry({ latencyMs: -1, status: 'weird' as 'ok' });
        await expectValidationError(() => store.requests.recordMany([good, bad]), new RegExp(bad.id), /latencyMs/, /status/);
        expect(await store.requests.get(good.id)).toBeUndefined();
      });

      it('stores text PostgreSQL cannot hold as such (NUL, a cut surrogate pair) with a replacement character', async () => {
        const user = await createUser();
        const asUser = await storeAs(user);
        const entry = makeEntry({ userId: user.id, createdAt: distinctTime(), answer: { id: randomUUID(), content: 'a\u0000b\uD83D' } });
        await asUser.requests.record(entry);
        expect((await asUser.requests.get(entry.id))?.answer?.content).toBe('a\uFFFDb\uFFFD');
      });
    });

    describe('conversations', () => {
      it('creates conversations for a user, with or without a company', async () => {
        const company = await store.directory.createCompany({ slug: uniqueSlug('talk'), name: 'Talk Co' });
        const user = await createUser();
        await store.directory.grantCompanyAccess(user.id, company.slug);
        const asUser = await storeAs(user);
        const plain = await asUser.conversations.create({ userId: user.id, title: 'General' });
        const withCompany = await asUser.conversations.create({ id: randomUUID(), userId: user.id, companySlug: company.slug, title: 'About Talk Co' });
        const listed = await asUser.conversations.listForUser(user.id);
        expect(listed.map((c) => [c.id, c.title, c.companySlug]).sort()).toEqual(
          [[plain.id, 'General', null], [withCompany.id, 'About Talk Co', company.slug]].sort(),
        );
        expect(await asUser.conversations.messages(plain.id)).toEqual([]);
        await expectValidationError(() => asUser.conversations.create({ userId: user.id, companySlug: 'no-such-co', title: 'x' }), /no company 'no-such-co'/);
        const stranger = randomUUID();
        await expectValidationError(async () => (await storeAs({ id: stranger })).conversations.create({ userId: stranger, title: 'x' }), /users/);
      });
    });

    describe('transcripts', () => {
      it("returns a conversation's turns with their requests and only the viewer's feedback", async () => {
        const user = await createUser();
        const other = await createUser();
        const conversationId = randomUUID();
        const first = makeEntry({ userId: user.id, conversationId, createdAt: distinctTime(), tier: 'company', routingReason: 'company context' });
        const failed = makeEntry({
          userId: user.id,
          conversationId,
          createdAt: distinctTime(),
          status: 'error',
          errorCode: 'upstream_unreachable',
          errorMessage: 'cannot reach the Space',
          answer: null,
          finishReason: null,
        });
        const [asUser, asOther] = [await storeAs(user), await storeAs(other)];
        await asUser.requests.recordMany([first, failed]);
        await asUser.feedback.save({ requestId: first.id, userId: user.id, thumbs: 1, rating: 5, comment: 'spot on', correctedAnswer: null });
        await asOther.feedback.save({ requestId: first.id, userId: other.id, thumbs: -1, rating: 1, comment: 'no', correctedAnswer: null });

        const turns = await asUser.conversations.transcript(conversationId, user.id);
        expect(turns.map((t) => [t.message.role, t.message.content])).toEqual([
          ['user', first.prompt!.content],
          ['assistant', first.answer!.content],
          ['user', failed.prompt!.content],
        ]);
        expect(turns[1]!.request).toMatchObject({ id: first.id, tier: 'company', routingReason: 'company context', ttftMs: first.ttftMs, tokensOut: first.tokensOut });
        expect(turns[1]!.feedback).toMatchObject({ thumbs: 1, rating: 5, comment: 'spot on', userId: user.id });
        expect(turns[0]!.feedback).toBeNull();
        expect(turns[2]!.request).toMatchObject({ status: 'error', errorCode: 'upstream_unreachable', errorMessage: 'cannot reach the Space' });
        expect(await asUser.conversations.transcript(randomUUID(), user.id)).toEqual([]);
        expect(await asOther.conversations.transcript(conversationId, other.id)).toEqual([]);
      });
    });

    describe('preferences', () => {
      it('stores a Compare vote and refuses a winner that was not compared', async () => {
        const user = await createUser();
        const asUser = await storeAs(user);
        const entries = [1, 2, 3].map(() => makeEntry({ userId: user.id, createdAt: distinctTime() }));
        await asUser.requests.recordMany(entries);
        const ids = entries.map((e) => e.id);
        const vote = await asUser.preferences.save({ userId: user.id, prompt: 'Which is better?', requestIds: ids, verdict: 'winner', winnerRequestId: ids[1]! });
        const tie = await asUser.preferences.save({ userId: user.id, prompt: 'Again', requestIds: ids.slice(0, 2), verdict: 'tie', winnerRequestId: null });
        expect((await asUser.preferences.listForUser(user.id, 10)).map((p) => [p.id, p.verdict, p.winnerRequestId, p.requestIds])).toEqual([
          [tie.id, 'tie', null, ids.slice(0, 2)],
          [vote.id, 'winner', ids[1], ids],
        ]);
        await expectValidationError(
          () => asUser.preferences.save({ userId: user.id, prompt: 'x', requestIds: ids, verdict: 'winner', winnerRequestId: randomUUID() }),
          /winner must be one of the compared answers/,
        );
        await expectValidationError(
          () => asUser.preferences.save({ userId: user.id, prompt: 'x', requestIds: ids.slice(0, 1), verdict: 'both_bad', winnerRequestId: null }),
          /two or three answers/,
        );
      });
    });

    describe('votes for the leaderboard', () => {
      it("lists each vote with its answers' tier, model, version and company, oldest first, by company and time", async () => {
        const company = await store.directory.createCompany({ slug: uniqueSlug('vote'), name: 'Vote Co' });
        const user = await createUser();
        await store.directory.grantCompanyAccess(user.id, company.slug);
        const asUser = await storeAs(user);
        const base = makeEntry({ userId: user.id, companySlug: company.slug, tier: 'base', modelId: 'qwen2.5-0.5b', modelVersion: null, createdAt: distinctTime() });
        const tuned = makeEntry({
          userId: user.id, companySlug: company.slug, requestedTier: 'company', tier: 'company', provider: 'huggingface',
          modelId: 'acme-space', modelVersion: 'acme-v2', createdAt: distinctTime(),
        });
        const general = [1, 2].map(() => makeEntry({ userId: user.id, tier: 'base', createdAt: distinctTime() }));
        await asUser.requests.recordMany([base, tuned, ...general]);
        const before = new Date(Date.now() - 60_000);
        const notLogged = randomUUID();
        const won = await asUser.preferences.save({ userId: user.id, prompt: 'Which?', requestIds: [base.id, tuned.id], verdict: 'winner', winnerRequestId: tuned.id });
        const allBad = await asUser.preferences.save({ userId: user.id, prompt: 'And?', requestIds: [tuned.id, base.id, notLogged], verdict: 'both_bad', winnerRequestId: null });
        const noCompany = await asUser.preferences.save({ userId: user.id, prompt: 'Else?', requestIds: general.map((e) => e.id), verdict: 'tie', winnerRequestId: null });

        const answerOf = (entry: typeof base) => ({ requestId: entry.id, tier: entry.tier, modelId: entry.modelId, modelVersion: entry.modelVersion, companySlug: entry.companySlug });
        const ofCompany = await store.preferences.listVotes({ company: company.slug });
        expect(ofCompany.map(({ createdAt: _createdAt, ...vote }) => vote)).toEqual([
          { id: won.id, userId: user.id, verdict: 'winner', winnerRequestId: tuned.id, answers: [answerOf(base), answerOf(tuned)] },
          {
            id: allBad.id, userId: user.id, verdict: 'both_bad', winnerRequestId: null,
            answers: [answerOf(tuned), answerOf(base), { requestId: notLogged, tier: null, modelId: null, modelVersion: null, companySlug: null }],
          },
        ]);
        expect(ofCompany[0]!.createdAt).toEqual(won.createdAt);
        expect(await asUser.preferences.listVotes({ company: company.slug })).toEqual(ofCompany);

        const mine = (votes: Array<{ id: string }>) => votes.map((v) => v.id).filter((id) => [won.id, allBad.id, noCompany.id].includes(id));
        expect(mine(await store.preferences.listVotes({}))).toEqual([won.id, allBad.id, noCompany.id]);
        expect(mine(await store.preferences.listVotes({ since: before }))).toEqual([won.id, allBad.id, noCompany.id]);
        expect(await store.preferences.listVotes({ company: company.slug, since: new Date(Date.now() + 3_600_000) })).toEqual([]);
        expect(await store.preferences.listVotes({ company: uniqueSlug('nobody') })).toEqual([]);
        await expectValidationError(() => store.preferences.listVotes({ since: new Date('not a time') }), /since must be a valid time/);
      });
    });

    describe('datasets', () => {
      it('records a build, a failed push that stays retryable, and the push with the commit the Hub made', async () => {
        const lead = await createUser('ml_lead');
        const asLead = await storeAs(lead);
        const company = await store.directory.createCompany({ slug: uniqueSlug('data'), name: 'Data Co' });
        const build = await asLead.datasets.recordBuild({
          kind: 'sft', tier: 'company', companySlug: company.slug, counts: { train: 3, eval: 1 }, anonymiserVersion: '1.0.0', createdBy: lead.id,
        });
        expect(build).toMatchObject({ kind: 'sft', tier: 'company', companySlug: company.slug, counts: { train: 3, eval: 1 }, status: 'built', repo: null, commitSha: null, pushedAt: null });
        expect(await asLead.datasets.recordPushFailure(build.id, 'the Hub failed (500)')).toMatchObject({ status: 'push_failed', pushError: 'the Hub failed (500)', commitSha: null });
        const sha = 'ab12'.repeat(10);
        const pushed = await asLead.datasets.recordPush(build.id, { repo: 'triad-ml/data', commitSha: sha });
        expect(pushed).toMatchObject({ id: build.id, status: 'pushed', repo: 'triad-ml/data', commitSha: sha, pushError: null });
        expect(pushed.pushedAt).toBeInstanceOf(Date);
        // A late failure report cannot undo a push the Hub has.
        expect(await asLead.datasets.recordPushFailure(build.id, 'late')).toMatchObject({ status: 'pushed', commitSha: sha, pushError: null });
        expect(await asLead.datasets.get(build.id)).toEqual(pushed);
        expect((await asLead.datasets.list(1000)).map((v) => v.id)).toContain(build.id);
        await expectValidationError(() => asLead.datasets.recordPush(build.id, { repo: 'triad-ml/data', commitSha: 'main' }), /40 hex digits/);
        await expectValidationError(
          () => asLead.datasets.recordBuild({ kind: 'dpo', tier: 'company', companySlug: null, counts: {}, anonymiserVersion: '1', createdBy: lead.id }),
          /needs a company/,
        );
      });

      it("reads a tier's answered requests of one company with their label and feedback, and the votes that showed them", async () => {
        const company = await store.directory.createCompany({ slug: uniqueSlug('src'), name: 'Source Co' });
        const other = await store.directory.createCompany({ slug: uniqueSlug('src'), name: 'Other Co' });
        const admin = await createUser('admin');
        const asAdmin = await storeAs(admin);
        const entry = (slug: string, tier: 'company' | 'base', prompt: string) =>
          makeEntry({ userId: admin.id, companySlug: slug, requestedTier: tier, tier, createdAt: distinctTime(), prompt: { id: randomUUID(), content: prompt }, answer: { id: randomUUID(), content: `re: ${prompt}` } });
        const mine = entry(company.slug, 'company', 'company question');
        const base = entry(company.slug, 'base', 'same question on base');
        const elsewhere = entry(other.slug, 'company', 'other company question');
        await asAdmin.requests.recordMany([mine, base, elsewhere]);
        await asAdmin.feedback.save({ requestId: mine.id, userId: admin.id, thumbs: -1, rating: null, comment: null, correctedAnswer: 'a better answer' });
        await asAdmin.review.label([
          { historyId: randomUUID(), requestId: mine.id, label: 'needs_fix', correctedAnswer: 'the right answer', tags: [], note: null, reviewerId: admin.id, labelledAt: new Date(), keepDetails: false },
        ]);
        const vote = await asAdmin.preferences.save({ userId: admin.id, prompt: 'company question', requestIds: [mine.id, base.id], verdict: 'winner', winnerRequestId: mine.id });

        const sources = await asAdmin.datasets.sources({ tier: 'company', company: company.slug });
        expect(sources.requests.map((r) => [r.id, r.tier, r.companySlug, r.prompt, r.answer])).toEqual([
          [mine.id, 'company', company.slug, 'company question', 're: company question'],
          [base.id, 'base', company.slug, 'same question on base', 're: same question on base'],
        ]);
        expect(sources.requests[0]).toMatchObject({ label: { label: 'needs_fix', correctedAnswer: 'the right answer' }, feedback: [{ thumbs: -1, correctedAnswer: 'a better answer' }] });
        expect(sources.requests[1]).toMatchObject({ label: null, feedback: [] });
        expect(sources.votes).toEqual([{ id: vote.id, prompt: 'company question', requestIds: [mine.id, base.id], winnerRequestId: mine.id, createdAt: vote.createdAt }]);
        await expectValidationError(() => asAdmin.datasets.sources({ tier: 'nope' as 'base', company: null }), /tier must be one of/);
      });
    });

    describe('feedback', () => {
      it('keeps one piece of feedback per user and request: saving again replaces it', async () => {
        const user = await createUser();
        const asUser = await storeAs(user);
        const entry = makeEntry({ userId: user.id, createdAt: distinctTime() });
        await asUser.requests.record(entry);
        const first = await asUser.feedback.save({ requestId: entry.id, userId: user.id, thumbs: -1, rating: null, comment: 'wrong city', correctedAnswer: 'Paris' });
        const second = await asUser.feedback.save({ requestId: entry.id, userId: user.id, thumbs: null, rating: 4, comment: null, correctedAnswer: null });
        expect(second).toMatchObject({ id: first.id, thumbs: null, rating: 4, comment: null, correctedAnswer: null, createdAt: first.createdAt });
        expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
        const other = await createUser();
        await (await storeAs(other)).feedback.save({ requestId: entry.id, userId: other.id, thumbs: 1, rating: 5, comment: null, correctedAnswer: null });
        // The suite's own store (an admin, on a backend with roles) reads everyone's feedback.
        const all = await store.feedback.forRequest(entry.id);
        expect(all.map((f) => [f.userId, f.thumbs, f.rating])).toEqual([[user.id, null, 4], [other.id, 1, 5]]);
      });

      it('refuses a rating outside 1–5 and feedback on an unknown request, saying why', async () => {
        const user = await createUser();
        const asUser = await storeAs(user);
        const entry = makeEntry({ userId: user.id, createdAt: distinctTime() });
        await asUser.requests.record(entry);
        await expectValidationError(
          () => asUser.feedback.save({ requestId: entry.id, userId: user.id, thumbs: null, rating: 7, comment: null, correctedAnswer: null }),
          /rating must be a whole number from 1 to 5/,
        );
        await expectValidationError(
          () => asUser.feedback.save({ requestId: randomUUID(), userId: user.id, thumbs: 1, rating: null, comment: null, correctedAnswer: null }),
          /llm_requests/,
        );
        expect(await asUser.feedback.forRequest(entry.id)).toEqual([]);
      });
    });

    describe('knowledge', () => {
      it('ranks a company’s snippets by relevance and falls back to the most recent', async () => {
        const acme = await store.directory.createCompany({ slug: uniqueSlug('kn'), name: 'Acme' });
        const other = await store.directory.createCompany({ slug: uniqueSlug('kn'), name: 'Other' });
        await store.knowledge.addCompanySnippet(acme.slug, { title: 'Revenue', content: 'Revenue forecasts are prepared quarterly; forecast revenue grows 8%.' });
        await store.knowledge.addCompanySnippet(acme.slug, { title: 'Office', content: 'The office is in Lyon and opens at nine.' });
        await store.knowledge.addCompanySnippet(acme.slug, { title: 'Hiring', content: 'Hiring plans mention revenue once.' });
        await store.knowledge.addCompanySnippet(other.slug, { title: 'Other revenue', content: 'Revenue forecast of another company.' });

        const found = await store.knowledge.searchCompanySnippets(acme.slug, 'revenue', 5);
        expect(found.map((s) => s.title)).toEqual(['Revenue', 'Hiring']);
        // Every word of the query must occur.
        expect((await store.knowledge.searchCompanySnippets(acme.slug, 'revenue forecast', 5)).map((s) => s.title)).toEqual(['Revenue']);
        expect(await store.knowledge.searchCompanySnippets(acme.slug, 'revenue', 1)).toEqual([
          { title: 'Revenue', content: 'Revenue forecasts are prepared quarterly; forecast revenue grows 8%.' },
        ]);
        const fallback = await store.knowledge.searchCompanySnippets(acme.slug, 'zebra crossing', 2);
        expect(fallback).toHaveLength(2);
        expect(fallback.every((s) => ['Revenue', 'Office', 'Hiring'].includes(s.title))).toBe(true);
        expect(await store.knowledge.searchCompanySnippets('no-such-company', 'revenue', 5)).toEqual([]);
        await expectValidationError(() => store.knowledge.addCompanySnippet('no-such-company', { title: 't', content: 'c' }), /no such company/);
      });

      it('ranks cross-company insights and falls back when the query has no words to match', async () => {
        await store.knowledge.addCrossCompanyInsight({ sector: 'retail', title: 'Churn', content: 'Customer churn peaks after price increases.', sampleSize: 12 });
        await store.knowledge.addCrossCompanyInsight({ sector: null, title: 'Pricing', content: 'Price increases above 5% cause churn.', sampleSize: 30 });
        const found = await store.knowledge.searchCrossCompanyInsights('churn', 5);
        expect(found.map((s) => s.title)).toEqual(['Churn', 'Pricing']);
        expect((await store.knowledge.searchCrossCompanyInsights('price increases', 5)).map((s) => s.title)).toEqual(['Pricing', 'Churn']);
        expect(await store.knowledge.searchCrossCompanyInsights('the of and', 1)).toHaveLength(1);
        await expectValidationError(
          () => store.knowledge.addCrossCompanyInsight({ sector: null, title: 't', content: 'c', sampleSize: -1 }),
          /sample size/,
        );
      });
    });
  });
}
