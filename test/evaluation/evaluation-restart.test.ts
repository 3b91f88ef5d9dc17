import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/test-app';
import { eventually, seedCandidate, sftRows, startEvaluationApp, startEvaluationWorld, type EvaluationWorld } from './evaluation-fixture';

/**
 * An app closed mid-run, and a second app on the same data folder: the run carries on with the items still
 * unanswered, and no side answers an item twice.
 */
const PROMPTS = ['First question?', 'Second question?', 'Third question?', 'Fourth question?'];

describe('an evaluation across an app restart', () => {
  let world: EvaluationWorld;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    world = await startEvaluationWorld();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close().catch(() => undefined)));
    await world?.close();
  });

  const lastPrompt = (space: { requests: Array<{ body: Record<string, unknown> }> }) =>
    (space.requests.at(-1)!.body.messages as Array<{ content: string }>).at(-1)!.content;

  it('carries on with the unanswered items of a generating run, answering nothing twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'triad-eval-restart-'));
    const first = await startEvaluationApp(world, { dataDir });
    apps.push(first);
    const model = await seedCandidate(first, world, { evalJsonl: sftRows(PROMPTS) });
    // The live Space answers the first two prompts, then hangs on the third: the app is closed while it waits.
    world.live.reply({
      kind: 'decide',
      decide: () => (lastPrompt(world.live) === PROMPTS[2] && world.live.requests.length <= 3 ? { kind: 'hang' } : { kind: 'stream', chunks: ['Serving', ' answer'] }),
    });
    const run = await first.evaluations.start({ modelId: model.id }, first.localOperator);
    await eventually(() => first.evaluations.get(run.id), (r) => r.answered === 2);
    await eventually(async () => world.live.requests.length, (n) => n === 3);
    // The candidate's answer to the third prompt is recorded before the app closes; closing earlier would rightly
    // ask the candidate again, as its answer was never kept.
    await eventually(() => first.store.evaluations.items(run.id), (items) => items[2]?.candidate !== null && items[2]?.candidate !== undefined);
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await startEvaluationApp(world, { dataDir });
    apps.push(second);
    const resumed = await eventually(() => second.evaluations.get(run.id), (r) => r.status === 'judging');
    expect(resumed).toMatchObject({ answered: 4, itemCount: 4 });

    // Each prompt reached the candidate once; the serving side was asked the third prompt again (its first answer
    // never came), and nothing else twice.
    const prompts = (space: { requests: Array<{ body: Record<string, unknown> }> }) => space.requests.map((r) => (r.body.messages as Array<{ content: string }>).at(-1)!.content);
    expect(prompts(world.staging).sort()).toEqual([...PROMPTS].sort());
    expect(prompts(world.live)).toEqual([PROMPTS[0], PROMPTS[1], PROMPTS[2], PROMPTS[2], PROMPTS[3]]);
    const items = await second.store.evaluations.items(run.id);
    expect(items.map((i) => i.serving?.text)).toEqual(['Serving answer', 'Serving answer', 'Serving answer', 'Serving answer']);
    expect(items.every((i) => i.candidate?.error === null && i.serving?.error === null)).toBe(true);
  });
});
