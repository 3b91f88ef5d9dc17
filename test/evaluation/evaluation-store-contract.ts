import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import type { EvaluationRepository, TriadStore } from '../../src-main/store/repositories';
import type { ActAs, StoreFactory } from '../store/store-contract';
import { thrownBy } from '../store/support';

type NewItems = Parameters<EvaluationRepository['create']>[1];

const ITEMS: NewItems = [
  { position: 0, companySlug: 'acme', messages: [{ role: 'user', content: 'What is our refund window?' }], reference: '30 days.', candidateFirst: true },
  { position: 1, companySlug: null, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }], reference: 'Paris.', candidateFirst: false },
  { position: 2, companySlug: 'acme', messages: [{ role: 'user', content: 'Who signs invoices?' }], reference: null, candidateFirst: true },
];

const answer = (text: string, latencyMs = 120) => ({ text, error: null, timeToFirstTokenMs: 40, latencyMs });

/**
 * What every store's evaluations must do, on PGlite, PostgreSQL and Supabase (under row-level security): a run
 * with its items in one write, answers recorded once, verdicts replaced, the deploy gate's read.
 */
export function describeEvaluationStoreContract(backendName: string, openStore: StoreFactory, actAs: ActAs = async (store) => store): void {
  describe(`evaluations on ${backendName}`, () => {
    let store: TriadStore;

    beforeAll(async () => {
      store = await openStore();
    }, 60_000);
    afterAll(async () => {
      await store?.close();
    });

    async function leadStore() {
      const lead = await store.directory.createUser({ displayName: `Lead ${randomUUID().slice(0, 4)}`, role: 'ml_lead' });
      const as = await actAs(store, lead);
      const model = await as.registry.register({
        name: `acme-ml/triad-company-${randomUUID().slice(0, 6)}`, version: 'c'.repeat(40), tier: 'company', hfModelId: null, hfSpaceId: null, hfSpaceUrl: null,
        datasetVersion: 'acme-ml/company-sft@' + 'a'.repeat(40), ggufFile: 'model-q8_0.gguf',
      });
      return { lead, as, model };
    }

    const newRun = (modelId: string, createdBy: string, version: string) => ({
      candidateModelId: modelId,
      candidateVersion: version,
      candidateSource: 'staging' as const,
      tier: 'company' as const,
      servingVersion: 'acme-ml/triad-company@' + 'b'.repeat(40),
      datasetVersion: 'acme-ml/company-sft@' + 'a'.repeat(40),
      judgeModel: null,
      createdBy,
    });

    it('records a run with its items at once, counts answers once each, and lists the generating runs', async () => {
      const { lead, as, model } = await leadStore();
      const run = await as.evaluations.create(newRun(model.id, lead.id, `${model.name}@${model.version}`), ITEMS);
      expect(run).toMatchObject({ status: 'generating', itemCount: 3, answered: 0, judged: 0, report: null, finishedAt: null, createdBy: lead.id });
      const items = await as.evaluations.items(run.id);
      expect(items.map((i) => [i.position, i.companySlug, i.candidateFirst, i.candidate, i.verdict])).toEqual([
        [0, 'acme', true, null, null],
        [1, null, false, null, null],
        [2, 'acme', true, null, null],
      ]);
      expect(items[1]!.messages).toEqual(ITEMS[1]!.messages);
      expect(items[0]!.reference).toBe('30 days.');
      expect((await as.evaluations.listUnfinished()).map((r) => r.id)).toContain(run.id);

      await as.evaluations.recordAnswer(items[0]!.id, 'candidate', answer('Thirty days.'));
      expect((await as.evaluations.get(run.id))!.answered).toBe(0);
      await as.evaluations.recordAnswer(items[0]!.id, 'serving', { text: '', error: 'the Space answered 503', timeToFirstTokenMs: null, latencyMs: 900 });
      // A second answer for a side (a resumed run racing the first) keeps the first.
      await as.evaluations.recordAnswer(items[0]!.id, 'candidate', answer('Something else'));
      const [first] = await as.evaluations.items(run.id);
      expect(first!.candidate).toEqual(answer('Thirty days.'));
      expect(first!.serving).toEqual({ text: '', error: 'the Space answered 503', timeToFirstTokenMs: null, latencyMs: 900 });
      expect((await as.evaluations.get(run.id))!.answered).toBe(1);

      const judging = await as.evaluations.update(run.id, { status: 'judging' });
      expect(judging).toMatchObject({ status: 'judging', answered: 1 });
      expect((await as.evaluations.listUnfinished()).map((r) => r.id)).not.toContain(run.id);
      const error = await thrownBy(() => as.evaluations.recordAnswer(randomUUID(), 'serving', answer('x')));
      expect(TriadError.isInstance(error) && error.code).toBe('validation_failed');
      expect(error.message).toMatch(/no such item/);
    });

    it('refuses a run without examples and one for a model that is not registered', async () => {
      const { lead, as, model } = await leadStore();
      const empty = await thrownBy(() => as.evaluations.create(newRun(model.id, lead.id, 'x@y'), []));
      expect(empty.message).toMatch(/eval split has no examples/);
      const unknown = await thrownBy(() => as.evaluations.create(newRun(randomUUID(), lead.id, 'x@y'), ITEMS));
      expect(TriadError.isInstance(unknown) && unknown.code).toBe('validation_failed');
      expect(await as.evaluations.list({ candidateModelId: model.id, limit: 10 })).toEqual([]);
    });

    it("replaces an operator's verdict, keeps the judge model's apart, and gives the gate the newest completed run", async () => {
      const { lead, as, model } = await leadStore();
      const version = `${model.name}@${model.version}`;
      const older = await as.evaluations.create(newRun(model.id, lead.id, version), ITEMS);
      const [item] = await as.evaluations.items(older.id);
      expect(await as.evaluations.judge(item!.id, 'serving', { userId: lead.id })).toMatchObject({ verdict: 'serving', judgedBy: lead.id, judgeVerdict: null });
      const again = await as.evaluations.judge(item!.id, 'candidate', { userId: lead.id });
      expect(again).toMatchObject({ verdict: 'candidate', judgedBy: lead.id });
      expect(again.judgedAt).toBeInstanceOf(Date);
      expect(await as.evaluations.judge(item!.id, 'tie', 'model')).toMatchObject({ verdict: 'candidate', judgeVerdict: 'tie' });
      expect((await as.evaluations.get(older.id))!.judged).toBe(1);
      await expect(as.evaluations.judge(item!.id, 'a' as 'tie', { userId: lead.id })).rejects.toThrow(/verdict must be candidate, serving or tie/);

      expect(await as.evaluations.latestCompleted(model.id, 'company')).toBeUndefined();
      const report = { runId: older.id, overall: { judged: 1, wins: 1 } };
      await as.evaluations.update(older.id, { status: 'completed', report, finishedAt: new Date('2026-12-01T10:00:00.000Z') });
      const newer = await as.evaluations.create(newRun(model.id, lead.id, version), ITEMS);
      await as.evaluations.update(newer.id, { status: 'completed', report: { runId: newer.id }, finishedAt: new Date('2026-12-01T11:00:00.000Z') });
      const cancelled = await as.evaluations.create(newRun(model.id, lead.id, version), ITEMS);
      await as.evaluations.update(cancelled.id, { status: 'cancelled', failureReason: 'cancelled by Lena', finishedAt: new Date('2026-12-01T12:00:00.000Z') });

      const latest = await as.evaluations.latestCompleted(model.id, 'company');
      expect(latest).toMatchObject({ id: newer.id, status: 'completed', report: { runId: newer.id } });
      expect(await as.evaluations.latestCompleted(model.id, 'base')).toBeUndefined();
      expect((await as.evaluations.get(older.id))!.report).toEqual(report);
      expect((await as.evaluations.get(cancelled.id))!.failureReason).toBe('cancelled by Lena');
      expect((await as.evaluations.list({ candidateModelId: model.id, limit: 10 })).map((r) => r.id)).toEqual([cancelled.id, newer.id, older.id]);
      expect((await as.evaluations.list({ candidateModelId: model.id, limit: 1 })).map((r) => r.id)).toEqual([cancelled.id]);
      await expect(as.evaluations.update(randomUUID(), { status: 'failed' })).rejects.toThrow(/no such run/);
    });
  });
}
