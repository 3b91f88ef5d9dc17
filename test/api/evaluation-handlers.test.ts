import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvaluationItemViewSchema,
  EvaluationReportSchema,
  EvaluationRunDetailSchema,
  EvaluationRunViewSchema,
  EVALUATION_EVENTS,
  type EvaluationRunView,
} from '../../src-shared/evaluation-contract';
import type { RegisteredModel } from '../../src-main/store/repositories';
import { eventually, seedCandidate, sftRows, startEvaluationApp, startEvaluationWorld, type EvaluationWorld } from '../evaluation/evaluation-fixture';
import type { TestApp } from '../support/test-app';
import { apiChannels, type ApiChannels } from './support';

/**
 * The evaluation channels over the real app services against the Hub stand-in and two Space stand-ins: start,
 * the blind detail, events as the answers stream and counts change, judging to a stored report, refusals, cancel.
 */
let world: EvaluationWorld;
let app: TestApp;
let channels: ApiChannels;
let model: RegisteredModel;
const changes: EvaluationRunView[] = [];
const answers: Array<{ runId: string; itemId: string; side: 'a' | 'b'; textDelta: string }> = [];

beforeAll(async () => {
  world = await startEvaluationWorld();
  app = await startEvaluationApp(world);
  channels = await apiChannels(app, (event, payload) => {
    if (event === 'evaluation.changed') changes.push(EvaluationRunViewSchema.parse(payload));
    if (event === 'evaluation.answer') answers.push(EVALUATION_EVENTS['evaluation.answer'].parse(payload));
  });
  model = await seedCandidate(app, world, { evalJsonl: sftRows(['One?', 'Two?']) });
}, 60_000);
afterAll(async () => {
  channels?.close();
  await app?.close();
  await world?.close();
});

describe('evaluation channels', () => {
  it('starts a run, announces its answers blind and its counts, and completes it once both pairs are judged', async () => {
    const started = EvaluationRunViewSchema.parse(await channels.call('evaluation.start', { modelId: model.id }));
    expect(started).toMatchObject({ status: 'generating', candidateSource: 'staging', itemCount: 2, answered: 0, report: null });
    const judging = await eventually(() => channels.call<EvaluationRunView & { items: unknown[] }>('evaluation.get', { runId: started.id }), (r) => r.status === 'judging');
    const detail = EvaluationRunDetailSchema.parse(judging);
    expect(detail.items).toHaveLength(2);
    // Nothing in the detail says which answer is the candidate's: the fields are the blind ones only.
    for (const item of judging.items as unknown as Array<Record<string, unknown>>) {
      expect(Object.keys(item).sort()).toEqual(['a', 'b', 'companySlug', 'id', 'judgeVerdict', 'messages', 'position', 'verdict']);
    }
    for (const item of detail.items) {
      const a = answers.filter((d) => d.itemId === item.id && d.side === 'a').map((d) => d.textDelta).join('');
      const b = answers.filter((d) => d.itemId === item.id && d.side === 'b').map((d) => d.textDelta).join('');
      expect([a, b]).toEqual([item.a!.text, item.b!.text]);
    }
    expect(changes.filter((c) => c.id === started.id).map((c) => c.answered)).toEqual(expect.arrayContaining([0, 1, 2]));

    const judged = EvaluationItemViewSchema.parse(await channels.call('evaluation.judge', { runId: started.id, itemId: detail.items[0]!.id, verdict: 'a' }));
    expect(judged.verdict).toBe('a');
    const partial = EvaluationReportSchema.parse(await channels.call('evaluation.report', { runId: started.id }));
    expect(partial.overall.judged).toBe(1);
    await channels.call('evaluation.judge', { runId: started.id, itemId: detail.items[1]!.id, verdict: 'tie' });
    const completed = changes.filter((c) => c.id === started.id).at(-1)!;
    expect(completed).toMatchObject({ status: 'completed', judged: 2 });
    expect(completed.report).toMatchObject({ runId: started.id, overall: { judged: 2, ties: 1 } });
    const listed = await channels.call<EvaluationRunView[]>('evaluation.list', { modelId: model.id });
    expect(listed.map((r) => [r.id, r.status])).toContainEqual([started.id, 'completed']);
  });

  it('refuses bad input and operators who may not evaluate, naming what was wrong', async () => {
    expect((await channels.refusal('evaluation.start', { modelId: model.id }, 'analyst')).code).toBe('forbidden');
    expect((await channels.refusal('evaluation.start', { modelId: 'not-a-uuid' })).message).toMatch(/modelId/);
    expect((await channels.refusal('evaluation.start', { modelId: model.id, limit: 0 })).message).toMatch(/limit/);
    expect((await channels.refusal('evaluation.get', { runId: randomUUID() })).message).toMatch(/no such run/);
    const run = (await channels.call<EvaluationRunView[]>('evaluation.list', {}))[0]!;
    const item = (await channels.call<{ items: Array<{ id: string }> }>('evaluation.get', { runId: run.id })).items[0]!;
    expect((await channels.refusal('evaluation.judge', { runId: run.id, itemId: item.id, verdict: 'candidate' })).message).toMatch(/verdict/);
    expect((await channels.refusal('evaluation.judge', { runId: run.id, itemId: item.id, verdict: 'a' }, 'analyst')).code).toBe('forbidden');
  });

  it('cancels a run that is still answering', async () => {
    world.live.reply({ kind: 'hang' });
    const started = EvaluationRunViewSchema.parse(await channels.call('evaluation.start', { modelId: model.id }));
    const cancelled = EvaluationRunViewSchema.parse(await channels.call('evaluation.cancel', { runId: started.id }));
    expect(cancelled).toMatchObject({ status: 'cancelled', answered: 0 });
    expect(changes.filter((c) => c.id === started.id).at(-1)!.status).toBe('cancelled');
    world.live.reply({ kind: 'stream', chunks: ['Serving', ' says', ' hello'] });
  });
});
