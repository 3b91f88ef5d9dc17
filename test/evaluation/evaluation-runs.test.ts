import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import type { EvaluationAnswerDelta } from '../../src-main/evaluation/evaluation-runs';
import type { EvaluationRun, UserAccess } from '../../src-main/store/repositories';
import { makeEntry, thrownBy } from '../store/support';
import type { TestApp } from '../support/test-app';
import { eventually, seedCandidate, SERVING_VERSION, sftRows, startEvaluationApp, startEvaluationWorld, type EvaluationWorld } from './evaluation-fixture';

/**
 * Evaluation runs through the real composition root: the eval split read from the Hub stand-in's resolve route by
 * `@huggingface/hub`, the serving side the tier's live Space and the candidate its staging Space (two
 * OpenAI-compatible stand-ins) through the facade's Hugging Face provider, recorded in PGlite.
 */
const PROMPTS = ['What is our refund window?', 'Who approves travel?', 'Summarise the Q3 numbers.'];

describe('evaluation runs', () => {
  let world: EvaluationWorld;
  let app: TestApp;
  let lead: UserAccess;
  let analyst: UserAccess;

  beforeAll(async () => {
    world = await startEvaluationWorld();
    app = await startEvaluationApp(world);
    lead = app.localOperator;
    const created = await app.store.directory.createUser({ displayName: 'Ari (analyst)', role: 'analyst' });
    analyst = (await app.store.directory.getUserAccess(created.id))!;
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
  });
  afterEach(() => {
    world.live.reply({ kind: 'stream', chunks: ['Serving', ' says', ' hello'] });
    world.staging.reply({ kind: 'stream', chunks: ['Candidate', ' answers', ' at', ' length'] });
  });

  const promptsSentTo = (space: { requests: Array<{ body: Record<string, unknown> }> }, from = 0) =>
    space.requests.slice(from).map((r) => (r.body.messages as Array<{ content: string }>).at(-1)!.content);

  it('replays the eval split on both sides at once, streams blind answers, and completes with a report once every pair is judged', async () => {
    const company = `evalco-${randomUUID().slice(0, 6)}`;
    await app.store.directory.createCompany({ slug: company, name: 'Eval Co' });
    const logged = makeEntry({ userId: lead.id, companySlug: company, tier: 'company', requestedTier: 'company' });
    await app.store.requests.record(logged);
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS, [[logged.id], [], []]) });
    const [liveBefore, stagingBefore] = [world.live.requests.length, world.staging.requests.length];
    const deltas: EvaluationAnswerDelta[] = [];
    const changes: EvaluationRun[] = [];
    const stopAnswers = app.evaluations.onAnswer((d) => deltas.push(d));
    const stopChanges = app.evaluations.onChange((r) => changes.push(r));

    const run = await app.evaluations.start({ modelId: model.id, candidate: 'staging' }, lead);
    expect(run).toMatchObject({ status: 'generating', tier: 'company', itemCount: 3, candidateVersion: `${model.name}@${model.version}`, servingVersion: SERVING_VERSION, datasetVersion: model.datasetVersion });
    await app.evaluations.settled(run.id);
    stopAnswers();
    stopChanges();

    // Each side got each prompt once, without the reference answer.
    expect(promptsSentTo(world.live, liveBefore).sort()).toEqual([...PROMPTS].sort());
    expect(promptsSentTo(world.staging, stagingBefore).sort()).toEqual([...PROMPTS].sort());
    expect(world.staging.requests.at(-1)!.body.messages).toHaveLength(1);

    const detail = await app.evaluations.detail(run.id);
    expect(detail).toMatchObject({ status: 'judging', answered: 3, judged: 0 });
    expect(detail.items.map((i) => i.companySlug)).toEqual([company, null, null]);
    const stored = await app.store.evaluations.items(run.id);
    for (const [i, item] of detail.items.entries()) {
      const candidateLetter = stored[i]!.candidateFirst ? 'a' : 'b';
      const servingLetter = candidateLetter === 'a' ? 'b' : 'a';
      // Blind: the renderer sees letters; the letter of each side is the one drawn for the item.
      expect(item[candidateLetter]).toMatchObject({ text: 'Candidate answers at length', error: null });
      expect(item[servingLetter]).toMatchObject({ text: 'Serving says hello', error: null });
      expect(item.a!.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
      expect(item.a!.latencyMs).toBeGreaterThanOrEqual(item.a!.timeToFirstTokenMs!);
      const streamedA = deltas.filter((d) => d.itemId === item.id && d.side === 'a').map((d) => d.textDelta).join('');
      expect(streamedA).toBe(item.a!.text);
    }
    expect(changes.map((c) => c.answered)).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    expect(changes.at(-1)!.status).toBe('judging');

    // The operator prefers answer `a` every time: a win where the candidate was `a`, a loss elsewhere.
    const candidateWasA = stored.map((i) => i.candidateFirst);
    for (const item of detail.items.slice(0, 2)) await app.evaluations.judge(run.id, item.id, 'a', lead);
    expect((await app.evaluations.get(run.id)).status).toBe('judging');
    expect(await app.store.evaluations.latestCompleted(model.id, 'company')).toBeUndefined();
    const last = await app.evaluations.judge(run.id, detail.items[2]!.id, 'tie', lead);
    expect(last.verdict).toBe('tie');

    const completed = await app.evaluations.get(run.id);
    expect(completed).toMatchObject({ status: 'completed', judged: 3 });
    const wins = candidateWasA.slice(0, 2).filter(Boolean).length;
    const report = await app.evaluations.report(run.id);
    expect(report.overall).toMatchObject({ judged: 3, wins, losses: 2 - wins, ties: 1, winRate: (wins + 0.5) / 3 });
    expect(report.overall.interval!.low).toBeLessThan(report.overall.winRate!);
    expect(report.overall.interval!.high).toBeGreaterThan(report.overall.winRate!);
    expect(report.perCompany.map((c) => [c.companySlug, c.judged])).toEqual([[null, 2], [company, 1]]);
    expect(report.candidate).toMatchObject({ modelVersion: `${model.name}@${model.version}`, meanAnswerChars: 'Candidate answers at length'.length, errors: 0 });
    expect(report.serving).toMatchObject({ modelVersion: SERVING_VERSION, meanAnswerChars: 'Serving says hello'.length, errors: 0 });
    expect(report.serving.p95LatencyMs).toBeGreaterThanOrEqual(report.serving.p50LatencyMs!);
    expect(report.unanswered).toBe(0);
    // What the deploy gate reads.
    expect((await app.store.evaluations.latestCompleted(model.id, 'company'))!.report).toMatchObject({ runId: run.id, overall: { judged: 3, wins } });

    // Judging again replaces the verdict, and the stored report follows.
    const flipped = candidateWasA[0] ? 'b' : 'a';
    await app.evaluations.judge(run.id, detail.items[0]!.id, flipped, lead);
    expect((await app.store.evaluations.items(run.id))[0]!.verdict).toBe('serving');
    const after = (await app.store.evaluations.latestCompleted(model.id, 'company'))!.report as { overall: { wins: number; losses: number; judged: number } };
    expect(after.overall).toMatchObject({ judged: 3, wins: wins - (candidateWasA[0] ? 1 : 0), losses: 2 - wins + (candidateWasA[0] ? 1 : 0) });
  });

  it('refuses, recording nothing, an analyst, a staging Space serving another version, an empty split and a 401 on the split', async () => {
    const runsBefore = (await app.store.evaluations.list({ limit: 100 })).length;
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS) });

    const byAnalyst = await thrownBy(() => app.evaluations.start({ modelId: model.id }, analyst));
    expect(TriadError.isInstance(byAnalyst) && byAnalyst.code).toBe('forbidden');
    expect(byAnalyst.message).toMatch(/only ML leads and admins evaluate models/);

    const other = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS), stagingServes: `acme-ml/older@${'9'.repeat(40)}` });
    const notStaged = await thrownBy(() => app.evaluations.start({ modelId: other.id }, lead));
    expect(notStaged.message).toContain(`serves acme-ml/older@${'9'.repeat(40)}, not this one; deploy it to staging first: triad deploy --tier company --model ${other.name}@${other.version} --staging`);

    const empty = await seedCandidate(app, world, { evalJsonl: '\n' });
    const noExamples = await thrownBy(() => app.evaluations.start({ modelId: empty.id }, lead));
    expect(TriadError.isInstance(noExamples) && noExamples.code).toBe('validation_failed');
    expect(noExamples.message).toMatch(/eval split has no examples/);

    const refused = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS) });
    world.files.failNext(401);
    const unauthorised = await thrownBy(() => app.evaluations.start({ modelId: refused.id }, lead));
    expect(TriadError.isInstance(unauthorised) && unauthorised.code).toBe('upstream_auth_failed');
    expect(unauthorised.message).toMatch(/reading the eval split of acme-ml\/company-sft@[0-9a-f]{40}: the Hub refused the Hugging Face token/);
    expect(unauthorised.message).not.toContain('hf_evaluation_token');

    const broken = await seedCandidate(app, world, { evalJsonl: '{"messages": [{"role": "user", "content": "ok"}], "source": "accepted", "request_ids": []}\n{"text": "no"}' });
    expect((await thrownBy(() => app.evaluations.start({ modelId: broken.id }, lead))).message).toMatch(/eval\.jsonl line 2: neither an SFT row/);

    expect((await app.store.evaluations.list({ limit: 100 })).length).toBe(runsBefore);
    // The trained model is unknown to nobody else: a typo'd id is named.
    expect((await thrownBy(() => app.evaluations.start({ modelId: randomUUID() }, lead))).message).toMatch(/is not registered/);
  });

  it("waits as the Hub's 429 says (Retry-After), then reads the split", async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS.slice(0, 1)) });
    world.files.failNext(429, { 'retry-after': '1', ratelimit: '"api";r=0;t=1' });
    const started = Date.now();
    const run = await app.evaluations.start({ modelId: model.id }, lead);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(run.itemCount).toBe(1);
    expect(app.logText()).toMatch(/"status":429.*waiting for the Hub/);
    await app.evaluations.settled(run.id);
  });

  it('records a side that fails on its item, leaves it out of the report, and completes on the others', async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS) });
    world.live.reply({
      kind: 'decide',
      decide: () =>
        promptsSentTo(world.live).at(-1) === PROMPTS[1]
          ? { kind: 'status', status: 500, body: { error: 'CUDA error: out of memory' } }
          : { kind: 'stream', chunks: ['Serving', ' says', ' hello'] },
    });
    const run = await app.evaluations.start({ modelId: model.id }, lead);
    await app.evaluations.settled(run.id);
    const detail = await app.evaluations.detail(run.id);
    expect(detail).toMatchObject({ status: 'judging', answered: 3 });
    const failed = detail.items[1]!;
    const failedSide = [failed.a, failed.b].find((a) => a!.error !== null)!;
    expect(failedSide.error).toMatch(/500/);
    // The other side's answer is kept.
    expect([failed.a, failed.b].find((a) => a!.error === null)!.text).toBe('Candidate answers at length');

    const refusal = await thrownBy(() => app.evaluations.judge(run.id, failed.id, 'a', lead));
    expect(refusal.message).toMatch(/item 2 .*cannot be judged/);
    await app.evaluations.judge(run.id, detail.items[0]!.id, 'b', lead);
    await app.evaluations.judge(run.id, detail.items[2]!.id, 'b', lead);
    const report = await app.evaluations.report(run.id);
    expect((await app.evaluations.get(run.id)).status).toBe('completed');
    expect(report).toMatchObject({ unanswered: 1, overall: { judged: 2 }, serving: { errors: 1 }, candidate: { errors: 0 } });
  });

  it('fails a run whose every item a side could not answer, saying why', async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS.slice(0, 2)) });
    world.staging.reply({ kind: 'status', status: 503, body: { error: 'Space is sleeping' } });
    const run = await app.evaluations.start({ modelId: model.id }, lead);
    await app.evaluations.settled(run.id);
    const failed = await app.evaluations.get(run.id);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/no item was answered by both sides: .*503/);
  });

  it('cancels a run mid-answer: both sides stop, and it cannot be judged any more', async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(PROMPTS) });
    world.live.reply({ kind: 'stream', chunks: ['Serving', ' says', ' hello'] }, { kind: 'hang' });
    const run = await app.evaluations.start({ modelId: model.id }, lead);
    await eventually(() => app.evaluations.get(run.id), (r) => r.answered === 1);
    const cancelled = await app.evaluations.cancel(run.id, lead);
    expect(cancelled).toMatchObject({ status: 'cancelled', failureReason: `cancelled by ${lead.displayName}`, answered: 1 });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    const item = (await app.evaluations.detail(run.id)).items[0]!;
    expect((await thrownBy(() => app.evaluations.judge(run.id, item.id, 'a', lead))).message).toMatch(/the run is cancelled/);
    expect((await thrownBy(() => app.evaluations.cancel(run.id, lead))).message).toMatch(/already cancelled/);
    expect((await app.evaluations.get(run.id)).answered).toBe(1);
  });
});
