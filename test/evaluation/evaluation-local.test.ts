import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/test-app';
import { seedCandidate, sftRows, startEvaluationApp, startEvaluationWorld, type EvaluationWorld } from './evaluation-fixture';

/**
 * A candidate evaluated locally: its GGUF (the tiny test model, pushed to the Hub stand-in's model repo) is
 * downloaded once into the cache and answers through node-llama-cpp, beside the tier's live Space.
 */
describe('an evaluation with a local candidate', () => {
  let world: EvaluationWorld;
  let app: TestApp;

  beforeAll(async () => {
    world = await startEvaluationWorld();
    app = await startEvaluationApp(world);
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
  });

  it("downloads the candidate's GGUF once and answers every prompt with it", async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(['Hello there?', 'How are you?']), gguf: true });
    const downloads: number[] = [];
    const stop = app.evaluations.onDownload((d) => downloads.push(d.downloadedBytes));
    const run = await app.evaluations.start({ modelId: model.id, candidate: 'local', limit: 2 }, app.localOperator);
    await app.evaluations.settled(run.id);
    stop();
    const items = await app.store.evaluations.items(run.id);
    expect((await app.evaluations.get(run.id)).status).toBe('judging');
    for (const item of items) {
      expect(item.candidate).toMatchObject({ error: null });
      expect(item.candidate!.text.length).toBeGreaterThan(0);
      expect(item.candidate!.timeToFirstTokenMs).not.toBeNull();
      expect(item.serving!.text).toBe('Serving says hello');
    }
    const gguf = `model/${model.name}@${model.version}:model-q8_0.gguf`;
    expect(world.files.downloads.filter((d) => d === gguf)).toHaveLength(1);
    expect(downloads.at(-1)).toBeGreaterThan(1_000_000);

    // A second run uses the cached file.
    const again = await app.evaluations.start({ modelId: model.id, candidate: 'local', limit: 1 }, app.localOperator);
    await app.evaluations.settled(again.id);
    expect(world.files.downloads.filter((d) => d === gguf)).toHaveLength(1);
  });

  it('refuses a local evaluation of a version without a GGUF, pointing at staging', async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(['Hi?']) });
    await expect(app.evaluations.start({ modelId: model.id, candidate: 'local' }, app.localOperator)).rejects.toThrow(/no GGUF file for it .*use --candidate staging/);
  });
});
