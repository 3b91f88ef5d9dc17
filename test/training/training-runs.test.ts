import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubFetch } from '../../src-main/hub/hub-fetch';
import { openStore } from '../../src-main/store/open-store';
import type { TrainingRun, TriadStore, UserAccess } from '../../src-main/store/repositories';
import { runCostUsd, TrainingRuns } from '../../src-main/training/training-runs';
import type { TrainingLaunchInput } from '../../src-shared/training';
import { createHubJobs, timedOutScript, trainingScript, type HubJobs } from '../support/hub/jobs-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { thrownBy } from '../store/support';

/**
 * Training runs against the Hub stand-in's Jobs API through the real `@huggingface/hub` client, recorded in a
 * real PostgreSQL store: launch, follow to a registered model, failures, cancel, a log stream that ends early,
 * the Hub's rate limit, and an app that closes mid-run and picks the run up again.
 */
const TOKEN = 'hf_training_token_0123456789';
const quiet = { info: () => undefined, warn: () => undefined };
const LAUNCH: TrainingLaunchInput = {
  dataset: 'acme-ml/company-sft@0123456789abcdef0123456789abcdef01234567',
  tier: 'company',
  baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
  kind: 'sft',
  flavor: 'a10g-small',
  timeoutSeconds: 3600,
};

describe('training runs on Hugging Face Jobs', () => {
  let database: TestDatabase;
  let store: TriadStore;
  let hub: HubServer;
  let jobs: HubJobs;
  let lead: UserAccess;
  let analyst: UserAccess;
  const services: TrainingRuns[] = [];

  const service = (token: string | null = TOKEN) => {
    const runs = new TrainingRuns({
      runs: () => store.trainingRuns,
      getToken: async () => token ?? undefined,
      hubUrl: hub.url,
      fetch: createHubFetch({ sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))) }),
      logger: quiet,
      pollIntervalMs: 40,
    });
    services.push(runs);
    return runs;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ backend: 'postgres', connectionString: database.url });
    lead = await store.directory.createUser({ displayName: 'Lena (ML lead)', role: 'ml_lead' });
    analyst = await store.directory.createUser({ displayName: 'Ari (analyst)', role: 'analyst' });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });
  beforeEach(async () => {
    hub = await startHubServer((shared) => [(jobs = createHubJobs(shared.accounts, shared.rateLimit))]);
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
    await hub.close();
  });

  it('launches the reviewed script on the chosen hardware, follows it, and registers the model with where it came from', async () => {
    const training = service();
    const changes: TrainingRun[] = [];
    training.onChange((run) => changes.push(run));
    // Each stage lasts long enough for a poll to see it on a loaded machine (a stage between two polls is not seen).
    jobs.scriptJobs((body) => trainingScript(body, { schedulingMs: 600, runMs: 1_200 }));
    const launched = await training.launch(LAUNCH, lead);
    expect(launched).toMatchObject({ namespace: 'acme-ml', flavor: 'a10g-small', outputRepo: 'acme-ml/triad-company-sft-01234567', priceUsdPerHour: expect.closeTo(1.0, 2) });
    expect(launched.jobId).toMatch(/^[0-9a-f]{24}$/);

    // What the Hub received: the uv image, the script itself (so what ran is what was reviewed), the token as a secret.
    const body = jobs.created[0]!.body;
    expect(body).toMatchObject({ dockerImage: 'ghcr.io/astral-sh/uv:python3.12-bookworm', flavor: 'a10g-small', timeoutSeconds: 3600, labels: { triad_run_id: launched.id } });
    expect(body.secrets).toEqual({ HF_TOKEN: TOKEN });
    const script = Buffer.from((body.environment as Record<string, string>).TRIAD_TRAIN_SCRIPT!, 'base64').toString('utf8');
    expect(script).toContain('def validate_rows');
    expect(body.command).toEqual(expect.arrayContaining(['--kind', 'sft', '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--output-repo', 'acme-ml/triad-company-sft-01234567', '--lora', '--gguf']));

    const finished = await training.wait(launched.id);
    expect(finished.stage).toBe('registered');
    expect(finished.stageHistory.map((h) => h.stage)).toEqual(['launching', 'SCHEDULING', 'RUNNING', 'COMPLETED', 'registered']);
    expect(finished.progress.map((p) => p.loss)).toEqual([2.4, 2.1, 1.8, 1.5]);
    expect(finished.startedAt).toBeInstanceOf(Date);
    const [model] = (await store.registry.list()).filter((m) => m.trainingRunId === launched.id);
    expect(model).toMatchObject({
      name: 'acme-ml/triad-company-sft-01234567',
      tier: 'company',
      hfCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
      datasetVersion: 'acme-ml/company-sft@0123456789abcdef0123456789abcdef01234567',
      ggufFile: 'triad-company-sft-01234567-q8_0.gguf',
      metrics: { train_loss: 1.55, eval_loss: 1.62 },
    });
    expect(finished.modelId).toBe(model!.id);
    expect(changes.some((run) => run.progress.length > 0 && run.stage === 'RUNNING')).toBe(true);
  });

  it('refuses analysts, unknown hardware, bad input and a missing token, before anything is recorded or launched', async () => {
    const training = service();
    const before = (await store.trainingRuns.list(1000)).length;
    expect((await thrownBy(() => training.launch(LAUNCH, analyst))).message).toMatch(/Ari \(analyst\) is an analyst; only ML leads and admins/);
    expect((await thrownBy(() => training.launch({ ...LAUNCH, flavor: 'h900' }, lead))).message).toMatch(/no Jobs hardware 'h900' \(there is cpu-basic, t4-small, a10g-small, a100-large\)/);
    expect((await thrownBy(() => training.launch({ ...LAUNCH, dataset: 'no-revision-owner' }, lead))).message).toMatch(/dataset: must be owner\/name@revision/);
    expect((await thrownBy(() => service(null).launch(LAUNCH, lead))).message).toMatch(/need a token with write access: set it in Settings → API keys, or HF_TOKEN/);
    expect((await store.trainingRuns.list(1000)).length).toBe(before);
    expect(jobs.created).toEqual([]);
  });

  it('records a job that fails with its reason and last log lines, and registers nothing', async () => {
    jobs.scriptJobs((body) => ({ ...trainingScript(body), lines: [{ atMs: 0, line: 'loading model' }, { atMs: 5, line: 'torch.OutOfMemoryError: CUDA out of memory' }], end: 'ERROR', message: 'Job failed with exit code: 1' }));
    const training = service();
    const run = await training.wait((await training.launch(LAUNCH, lead)).id);
    expect(run.stage).toBe('ERROR');
    expect(run.failureReason).toMatch(/the job failed: Job failed with exit code: 1; last lines: loading model \| torch.OutOfMemoryError: CUDA out of memory/);
    expect(run.lastLogLines).toContain('torch.OutOfMemoryError: CUDA out of memory');
    expect(run.modelId).toBeNull();
    expect((await store.registry.list()).filter((m) => m.trainingRunId === run.id)).toEqual([]);
  });

  it('fails a run whose job completed without reporting a model, and one the Hub stopped at its timeout', async () => {
    jobs.scriptJobs((body) => ({ ...trainingScript(body), lines: [{ atMs: 0, line: 'done?' }] }));
    const training = service();
    const silent = await training.wait((await training.launch(LAUNCH, lead)).id);
    expect(silent).toMatchObject({ stage: 'failed', failureReason: expect.stringMatching(/completed but reported no pushed model; last lines: done\?/) });

    jobs.scriptJobs((body) => timedOutScript(body, 150));
    const stopped = await training.wait((await training.launch(LAUNCH, lead)).id);
    expect(stopped).toMatchObject({ stage: 'ERROR', failureReason: expect.stringMatching(/^the job failed: Job timeout/), modelId: null });
  });

  it('cancels a job itself when the Hub lets it run past its timeout', async () => {
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 60_000, steps: 1000, schedulingMs: 0 }));
    const run = await store.trainingRuns.create({
      namespace: 'acme-ml', datasetRepo: 'acme-ml/company-sft', datasetRevision: 'main', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', kind: 'sft',
      params: { tier: 'company' }, flavor: 'a10g-small', priceUsdPerHour: 1, timeoutSeconds: 1, outputRepo: 'acme-ml/overdue', scriptSha256: 'x', createdBy: lead.id,
    });
    const job = (await (await fetch(`${hub.url}/api/jobs/acme-ml`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dockerImage: 'ghcr.io/astral-sh/uv:python3.12-bookworm', flavor: 'a10g-small', labels: { triad_run_id: run.id } }),
    })).json()) as { id: string };
    await store.trainingRuns.update(run.id, { jobId: job.id, stage: 'SCHEDULING' });
    const training = new TrainingRuns({ runs: () => store.trainingRuns, getToken: async () => TOKEN, hubUrl: hub.url, fetch: createHubFetch(), logger: quiet, pollIntervalMs: 40, timeoutGraceMs: 0 });
    services.push(training);
    await training.resume();
    const overdue = await training.wait(run.id);
    expect(overdue).toMatchObject({ stage: 'failed', failureReason: expect.stringMatching(/timed out: still running 1 s after it started; the job was cancelled/) });
    expect(jobs.cancels).toEqual([job.id]);
  });

  it('cancels a running job and records it as cancelled', async () => {
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 10_000, steps: 100 }));
    const training = service();
    const run = await training.launch(LAUNCH, lead);
    await expect.poll(async () => (await store.trainingRuns.get(run.id))!.stage, { timeout: 5_000 }).toBe('RUNNING');
    await training.cancel(run.id);
    const cancelled = await training.wait(run.id);
    expect(cancelled).toMatchObject({ stage: 'CANCELED', failureReason: 'cancelled', modelId: null });
    expect(jobs.cancels).toEqual([run.jobId]);
    expect((await thrownBy(() => training.cancel(run.id))).message).toMatch(/already ended \(CANCELED\)/);
  });

  it('records the start of a job the Hub runs at once, so its cost and timeout count from then', async () => {
    jobs.scriptJobs((body) => trainingScript(body, { schedulingMs: 0 }));
    const training = service();
    const launched = await training.launch(LAUNCH, lead);
    expect(launched.stage).toBe('RUNNING');
    expect(launched.startedAt).toBeInstanceOf(Date);
    expect((await training.wait(launched.id)).stage).toBe('registered');
  });

  it('counts the cost of a job that ran and ended between two looks at it', async () => {
    // Scheduled for 300 ms, running for 200: the first look sees SCHEDULING, the next (after 900 ms) COMPLETED.
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 200, schedulingMs: 300 }));
    const training = new TrainingRuns({ runs: () => store.trainingRuns, getToken: async () => TOKEN, hubUrl: hub.url, fetch: createHubFetch(), logger: quiet, pollIntervalMs: 900 });
    services.push(training);
    const run = await training.wait((await training.launch(LAUNCH, lead)).id);
    expect(run.stageHistory.map((h) => h.stage)).not.toContain('RUNNING');
    expect(run.startedAt).toBeInstanceOf(Date);
    expect(runCostUsd(run)).toBeGreaterThan(0);
  });

  it('reads the whole log when its stream ends early, without counting a progress point twice', async () => {
    jobs.endLogStreamsAfter(3, 2);
    const training = service();
    const run = await training.wait((await training.launch(LAUNCH, lead)).id);
    expect(run.stage).toBe('registered');
    expect(run.progress.map((p) => p.step)).toEqual([5, 10, 15, 20]);
  });

  it('waits as the Hub says when rate-limited, and through a 503', async () => {
    jobs.failNext('GET', /^\/api\/jobs\/acme-ml\/[0-9a-f]+$/, 429, 2);
    jobs.failNext('GET', /^\/api\/jobs\/acme-ml\/[0-9a-f]+$/, 503, 1);
    const training = service();
    const run = await training.wait((await training.launch(LAUNCH, lead)).id);
    expect(run.stage).toBe('registered');
  });

  it('picks a run up again after the app closed mid-run, and one whose launch it never saw answered', async () => {
    jobs.scriptJobs((body) => trainingScript(body, { runMs: 600, schedulingMs: 50 }));
    const first = service();
    const run = await first.launch(LAUNCH, lead);
    await first.close();
    const afterRestart = service();
    await afterRestart.resume();
    const resumed = await afterRestart.wait(run.id);
    expect(resumed.stage).toBe('registered');
    expect(resumed.progress.map((p) => p.step)).toEqual([5, 10, 15, 20]);
    expect((await store.registry.list()).filter((m) => m.trainingRunId === run.id)).toHaveLength(1);

    // A run recorded as launching, whose job the Hub has (the app died before it saw the answer): found by its label.
    const orphan = await store.trainingRuns.create({
      namespace: 'acme-ml', datasetRepo: 'acme-ml/company-sft', datasetRevision: 'main', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', kind: 'sft',
      params: { tier: 'company' }, flavor: 'a10g-small', priceUsdPerHour: 1, timeoutSeconds: 3600, outputRepo: 'acme-ml/orphan', scriptSha256: 'x', createdBy: lead.id,
    });
    await fetch(`${hub.url}/api/jobs/acme-ml`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dockerImage: 'ghcr.io/astral-sh/uv:python3.12-bookworm', flavor: 'a10g-small', command: ['uv', 'run', '--output-repo', 'acme-ml/orphan'], labels: { triad_run_id: orphan.id } }),
    });
    const lost = await store.trainingRuns.create({ ...orphan, id: undefined, outputRepo: 'acme-ml/lost' } as Parameters<TriadStore['trainingRuns']['create']>[0]);
    const third = service();
    await third.resume();
    expect((await third.wait(orphan.id)).stage).toBe('registered');
    expect(await third.wait(lost.id)).toMatchObject({ stage: 'failed', failureReason: expect.stringMatching(/closed while launching and the Hub has no job/) });
  });

  it('says clearly when the Hub refuses the token at launch, leaving a failed record and no job', async () => {
    hub.accounts.revoked.add(TOKEN);
    const training = service();
    const error = await thrownBy(() => training.launch(LAUNCH, lead));
    expect(error.message).toMatch(/the Hub refused the Hugging Face token \(revoked or mistyped\)/);
    expect(error.message).not.toContain(TOKEN);
  });
});
