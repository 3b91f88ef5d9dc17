import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingRunDetailSchema, TrainingRunViewSchema, type TrainingRunDetail, type TrainingRunView } from '../../src-shared/training-contract';
import { createHubJobs, trainingScript, type HubJobs } from '../support/hub/jobs-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { createTestApp, type TestApp } from '../support/test-app';
import { apiChannels, type ApiChannels } from './support';

/**
 * The training channels over the real app services (PGlite store, the app's own TrainingRuns) against the Hub
 * stand-in's Jobs API: hardware prices, launch to a registered model with every change announced, refusals, the
 * live hardware samples, and cancel.
 */
const TOKEN = 'hf_training_api_token_0123456789';
const DATASET = 'acme-ml/company-sft@0123456789abcdef0123456789abcdef01234567';
const LAUNCH = { dataset: DATASET, tier: 'company', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', kind: 'sft', flavor: 'a10g-small', timeoutSeconds: 3600 } as const;

let hub: HubServer;
let jobs: HubJobs;
let app: TestApp;
let channels: ApiChannels;
const announced: TrainingRunView[] = [];

beforeAll(async () => {
  hub = await startHubServer((shared) => [(jobs = createHubJobs(shared.accounts, shared.rateLimit))]);
  app = await createTestApp({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN } });
  channels = await apiChannels(app, (event, payload) => {
    if (event === 'training.changed') announced.push(TrainingRunViewSchema.parse(payload));
  });
}, 60_000);
afterAll(async () => {
  channels?.close();
  await app?.close();
  await hub?.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('training channels', () => {
  it('lists the Jobs hardware with hourly prices', async () => {
    const flavors = await channels.call<Array<{ name: string; usdPerHour: number; accelerator: string | null }>>('training.hardware', {});
    expect(flavors.map((f) => f.name)).toEqual(['cpu-basic', 't4-small', 'a10g-small', 'a100-large']);
    expect(flavors.find((f) => f.name === 'a10g-small')).toMatchObject({ usdPerHour: expect.closeTo(1.0, 2), accelerator: '1× A10G 24 GB' });
    expect(flavors.find((f) => f.name === 'cpu-basic')).toMatchObject({ usdPerHour: expect.closeTo(0.01, 2), accelerator: null });
  });

  it('launches a run, announces every change in order, and ends with the registered model', async () => {
    const launched = TrainingRunViewSchema.parse(await channels.call('training.launch', LAUNCH));
    expect(launched).toMatchObject({ datasetRepo: 'acme-ml/company-sft', tier: 'company', flavor: 'a10g-small', outputRepo: 'acme-ml/triad-company-sft-01234567', model: null });
    expect(launched.jobId).toMatch(/^[0-9a-f]{24}$/);
    expect(jobs.created.at(-1)!.body).toMatchObject({ flavor: 'a10g-small', timeoutSeconds: 3600 });

    const registered = await until(
      async () => announced.filter((view) => view.id === launched.id),
      (views) => views.some((v) => v.stage === 'registered' && v.lastLogLines.length > 0),
    );
    // Each announcement is at least as far along as the one before it.
    const histories = registered.map((v) => v.stageHistory.length);
    expect(histories).toEqual([...histories].sort((a, b) => a - b));
    const last = registered.at(-1)!;
    const model = (await app.store.registry.list()).find((m) => m.trainingRunId === launched.id)!;
    expect(last.model).toEqual({ id: model.id, name: 'acme-ml/triad-company-sft-01234567', version: model.version });
    expect(last.model!.version).toMatch(/^[0-9a-f]{40}$/);
    expect(last.progress.map((p) => p.loss)).toEqual([2.4, 2.1, 1.8, 1.5]);

    const detail = TrainingRunDetailSchema.parse(await channels.call('training.get', { runId: launched.id }));
    expect(detail).toMatchObject({ stage: 'registered', model: last.model, failureReason: null });
    expect(detail.stageHistory.map((h) => h.stage).at(-1)).toBe('registered');
    expect(detail.finishedAt).not.toBeNull();
    const list = await channels.call<TrainingRunView[]>('training.list', {});
    expect(list[0]).toMatchObject({ id: launched.id, stage: 'registered', model: last.model });
    expect(JSON.stringify(announced)).not.toContain(TOKEN);
  }, 60_000);

  it('refuses a dataset without its version, bad hardware, an analyst, and an unknown run, naming what was wrong', async () => {
    const before = jobs.created.length;
    expect(await channels.refusal('training.launch', { ...LAUNCH, dataset: 'acme-ml/company-sft' })).toMatchObject({
      code: 'validation_failed',
      message: 'training.launch: dataset: must name a version, owner/name@commit (the commit a push recorded)',
    });
    expect((await channels.refusal('training.launch', { ...LAUNCH, dataset: 'company-sft@abc' })).message).toBe('training.launch: dataset: must be owner/name@revision');
    expect((await channels.refusal('training.launch', { ...LAUNCH, params: { epochs: -1 } })).message).toMatch(/^training\.launch: params\.epochs: /);
    expect((await channels.refusal('training.launch', { ...LAUNCH, flavor: 'h900' })).message).toMatch(/no Jobs hardware 'h900' \(there is cpu-basic, t4-small, a10g-small, a100-large\)/);
    expect(await channels.refusal('training.launch', LAUNCH, 'analyst')).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Ari \(analyst\) is an analyst; only ML leads and admins/) });
    const unknown = randomUUID();
    expect((await channels.refusal('training.get', { runId: unknown })).message).toBe(`training run ${unknown}: no such run`);
    expect((await channels.refusal('training.cancel', { runId: 'not-a-uuid' })).message).toMatch(/^training\.cancel: runId: /);
    expect(jobs.created.length).toBe(before);
  });

  it('shows a running job’s GPU samples, refuses an analyst’s cancel, and cancels it for an ML lead', async () => {
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 120_000, steps: 200, schedulingMs: 300 }));
    const launched = await channels.call<TrainingRunView>('training.launch', LAUNCH);
    const running = await until(
      () => channels.call<TrainingRunDetail>('training.get', { runId: launched.id }),
      (detail) => detail.stage === 'RUNNING' && detail.metrics.length > 0,
    );
    expect(running.metrics[0]).toMatchObject({ gpuPercent: expect.any(Number), cpuPercent: expect.any(Number) });
    expect(running.metrics[0]!.gpuPercent).toBeGreaterThanOrEqual(80);
    expect(running.startedAt).not.toBeNull();

    expect(await channels.refusal('training.cancel', { runId: launched.id }, 'analyst')).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/only ML leads and admins stop training runs/) });
    expect(jobs.cancels).not.toContain(launched.jobId);
    await channels.call('training.cancel', { runId: launched.id });
    expect(jobs.cancels).toContain(launched.jobId);
    const cancelled = await until(
      () => channels.call<TrainingRunDetail>('training.get', { runId: launched.id }),
      (detail) => detail.stage === 'CANCELED',
    );
    expect(cancelled).toMatchObject({ failureReason: 'cancelled', model: null });
    expect(announced.filter((v) => v.id === launched.id).at(-1)!.stage).toBe('CANCELED');
    expect((await channels.refusal('training.cancel', { runId: launched.id })).message).toMatch(/it already ended \(CANCELED\)/);
  }, 60_000);
});
