import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createAppStores } from '../../src-renderer/app/app-stores';
import { StoresProvider } from '../../src-renderer/app/stores-context';
import { TrainingView } from '../../src-renderer/features/training/training-view';
import type { SettingsView } from '../../src-shared/ipc-contract';
import type { DatasetVersionView } from '../../src-shared/dataset-contract';
import type { TrainingFlavor, TrainingRunDetail, TrainingRunView } from '../../src-shared/training-contract';
import { costSoFarUsd, createTrainingStore, DEFAULT_BASE_MODEL, elapsedMs, maxCostUsd } from '../../src-renderer/features/training/training-store';
import { FakeTriadClient, settle } from './support/fake-triad-client';

const FLAVORS: TrainingFlavor[] = [
  { name: 'cpu-basic', prettyName: 'CPU Basic', accelerator: null, usdPerHour: 0.01 },
  { name: 'a10g-small', prettyName: 'Nvidia A10G - small', accelerator: '1× A10G 24 GB', usdPerHour: 1 },
];
const RUN_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER_RUN_ID = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const USER = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

function runView(overrides: Partial<TrainingRunView> = {}): TrainingRunView {
  return {
    id: RUN_ID, jobId: 'f'.repeat(24), namespace: 'acme-ml', datasetRepo: 'acme-ml/company-sft', datasetRevision: 'a'.repeat(40), baseModel: DEFAULT_BASE_MODEL,
    kind: 'sft', tier: 'company', params: { tier: 'company' }, flavor: 'a10g-small', priceUsdPerHour: 1, timeoutSeconds: 3600, outputRepo: 'acme-ml/triad-company-sft-aaaaaaaa',
    stage: 'SCHEDULING', stageHistory: [{ stage: 'launching', at: '2031-01-01T10:00:00.000Z', message: null }, { stage: 'SCHEDULING', at: '2031-01-01T10:00:01.000Z', message: null }],
    progress: [], lastLogLines: [], failureReason: null, model: null, createdBy: USER, createdAt: '2031-01-01T10:00:00.000Z', startedAt: null, finishedAt: null,
    ...overrides,
  };
}

function version(overrides: Partial<DatasetVersionView>): DatasetVersionView {
  return {
    id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', kind: 'sft', tier: 'company', company: 'acme', status: 'pushed', train: 12, eval: 2, anonymiserVersion: '1',
    repo: 'acme-ml/company-sft', commitSha: 'a'.repeat(40), pushError: null, createdBy: USER, createdAt: '2031-01-01T09:00:00.000Z', pushedAt: '2031-01-01T09:01:00.000Z',
    ...overrides,
  };
}

function backend(runs: TrainingRunView[] = []) {
  return new FakeTriadClient()
    .handle('training.hardware', () => FLAVORS)
    .handle('training.list', () => runs)
    .handle('datasets.list', () => [
      version({ id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', status: 'built', repo: null, commitSha: null }),
      version({ tier: 'abstraction', kind: 'dpo', repo: 'acme-ml/abstraction-dpo', commitSha: 'b'.repeat(40) }),
      version({}),
    ]);
}

describe('the training store', () => {
  it('starts the form on the newest pushed dataset version (its tier and kind), the default model and A10G', async () => {
    const client = backend([runView()]);
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: true });
    const { form, datasets, runs } = training.getState();
    expect(form).toMatchObject({ dataset: `acme-ml/abstraction-dpo@${'b'.repeat(40)}`, tier: 'abstraction', kind: 'dpo', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', flavor: 'a10g-small', timeout: '2h' });
    expect(form.params).toMatchObject({ epochs: '1', maxSteps: '-1', learningRate: '', batchSize: '4', gradAccum: '4', maxLength: '2048', beta: '0.1', lora: true, gguf: true });
    // A built version that was never pushed has no commit to train on.
    expect(datasets.map((d) => d.version)).toEqual([`acme-ml/abstraction-dpo@${'b'.repeat(40)}`, `acme-ml/company-sft@${'a'.repeat(40)}`]);
    expect(runs.map((r) => r.id)).toEqual([RUN_ID]);

    training.getState().pickDataset(`acme-ml/company-sft@${'a'.repeat(40)}`);
    expect(training.getState().form).toMatchObject({ tier: 'company', kind: 'sft' });
  });

  it('reads neither prices nor datasets for an analyst, who may not train', async () => {
    const client = backend([runView()]);
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: false });
    expect(client.calls.map((c) => c.channel)).toEqual(['training.list']);
    expect(training.getState().runs).toHaveLength(1);
  });

  it('estimates the most a launch can cost, and what a run has cost so far', () => {
    expect(maxCostUsd(FLAVORS[1], '90m')).toBeCloseTo(1.5);
    expect(maxCostUsd(FLAVORS[1], '2h')).toBeCloseTo(2);
    expect(maxCostUsd(FLAVORS[1], 'soon')).toBeNull();
    expect(maxCostUsd(undefined, '2h')).toBeNull();
    const started = runView({ startedAt: '2031-01-01T10:00:00.000Z', priceUsdPerHour: 3.6 });
    const now = Date.parse('2031-01-01T10:10:00.000Z');
    expect(elapsedMs(started, now)).toBe(600_000);
    expect(costSoFarUsd(started, now)).toBeCloseTo(0.6);
    // An ended run costs what it ran, however late it is read.
    const ended = { ...started, finishedAt: '2031-01-01T10:05:00.000Z' };
    expect(costSoFarUsd(ended, now + 3_600_000)).toBeCloseTo(0.3);
    expect(costSoFarUsd(runView(), now)).toBe(0);
    expect(costSoFarUsd(runView({ priceUsdPerHour: null }), now)).toBeNull();
  });

  it('launches with the typed hyper-parameters as numbers and the timeout in seconds, then opens the run', async () => {
    const client = backend().handle('training.launch', () => runView()).handle('training.get', () => ({ ...runView(), metrics: [] }));
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: true });
    training.getState().setForm({ timeout: '90m', kind: 'sft' });
    training.getState().setParams({ maxSteps: '100', learningRate: '1e-4', lora: false });
    await training.getState().launch();
    expect(client.callsTo('training.launch')).toEqual([
      {
        dataset: `acme-ml/abstraction-dpo@${'b'.repeat(40)}`, tier: 'abstraction', baseModel: DEFAULT_BASE_MODEL, kind: 'sft', flavor: 'a10g-small', timeoutSeconds: 5400,
        params: { lora: false, gguf: true, epochs: 1, maxSteps: 100, learningRate: 1e-4, batchSize: 4, gradAccum: 4, maxLength: 2048, beta: 0.1, loraR: 16, loraAlpha: 32 },
      },
    ]);
    expect(training.getState()).toMatchObject({ launching: false, launchError: null, selectedRunId: RUN_ID });
    expect(training.getState().detail?.id).toBe(RUN_ID);
    expect(training.getState().runs.map((r) => r.id)).toEqual([RUN_ID]);
  });

  it('leaves the learning rate to the script when blank, and refuses a bad timeout or number before calling', async () => {
    const client = backend().handle('training.launch', () => runView()).handle('training.get', () => ({ ...runView(), metrics: [] }));
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: true });
    training.getState().setForm({ timeout: 'two hours' });
    await training.getState().launch();
    expect(training.getState().launchError).toBe("timeout: must be a duration like 90m, 2h or 3600 (seconds), got 'two hours'");
    training.getState().setForm({ timeout: '2h' });
    training.getState().setParams({ batchSize: 'eight' });
    await training.getState().launch();
    expect(training.getState().launchError).toBe("batchSize: must be a number, got 'eight'");
    expect(client.callsTo('training.launch')).toEqual([]);

    training.getState().setParams({ batchSize: '8' });
    await training.getState().launch();
    expect(training.getState().launchError).toBeNull();
    const sent = client.callsTo('training.launch')[0] as { params: Record<string, unknown>; timeoutSeconds: number };
    expect(sent.params).not.toHaveProperty('learningRate');
    expect(sent).toMatchObject({ timeoutSeconds: 7200, params: { batchSize: 8 } });
  });

  it('shows the main process’s refusal of a launch', async () => {
    const client = backend().refuse('training.launch', { code: 'validation_failed', message: 'training.launch: dataset: must name a version, owner/name@commit (the commit a push recorded)' });
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: true });
    training.getState().setForm({ dataset: 'acme-ml/company-sft' });
    await training.getState().launch();
    expect(training.getState()).toMatchObject({ launching: false, launchError: 'training.launch: dataset: must name a version, owner/name@commit (the commit a push recorded)', selectedRunId: null });
  });

  it('follows changes live: new runs on top, the open run updated with its samples kept, and an older view never wins', async () => {
    const detail: TrainingRunDetail = { ...runView(), metrics: [{ at: '2031-01-01T10:00:05.000Z', cpuPercent: 40, gpuPercent: 85, gpuMemoryUsedBytes: 1 }] };
    const client = backend([runView({ id: OTHER_RUN_ID, stage: 'registered' })]).handle('training.get', () => detail);
    const training = createTrainingStore(client);
    const stop = training.getState().follow();
    await training.getState().load({ canTrain: true });
    client.emit('training.changed', runView());
    expect(training.getState().runs.map((r) => r.id)).toEqual([RUN_ID, OTHER_RUN_ID]);
    await training.getState().select(RUN_ID);

    const running = runView({
      stage: 'RUNNING',
      startedAt: '2031-01-01T10:00:02.000Z',
      stageHistory: [...runView().stageHistory, { stage: 'RUNNING', at: '2031-01-01T10:00:02.000Z', message: null }],
      progress: [{ step: 5, maxSteps: 20, loss: 2.4, evalLoss: null, learningRate: 2e-5, at: '2031-01-01T10:00:03.000Z' }],
      lastLogLines: ['<img src=x onerror=alert(1)>'],
    });
    client.emit('training.changed', running);
    expect(training.getState().detail).toMatchObject({ stage: 'RUNNING', progress: running.progress, metrics: detail.metrics, lastLogLines: ['<img src=x onerror=alert(1)>'] });
    // An answer that left the main process before that event (the launch's, a list read) does not undo it.
    client.emit('training.changed', runView());
    expect(training.getState().runs[0]!.stage).toBe('RUNNING');
    expect(training.getState().detail!.stage).toBe('RUNNING');

    stop();
    client.emit('training.changed', { ...running, stage: 'registered', stageHistory: [...running.stageHistory, { stage: 'registered', at: '2031-01-01T10:01:00.000Z', message: null }] });
    expect(training.getState().runs[0]!.stage).toBe('RUNNING');
  });

  it('shows the run chosen last even when an earlier choice answers later', async () => {
    let releaseFirst: () => void = () => undefined;
    const client = backend([runView(), runView({ id: OTHER_RUN_ID })]).handle('training.get', async ({ runId }) => {
      if (runId === RUN_ID) await new Promise<void>((resolve) => (releaseFirst = resolve));
      return { ...runView({ id: runId }), metrics: [] };
    });
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: true });
    const first = training.getState().select(RUN_ID);
    await settle();
    await training.getState().select(OTHER_RUN_ID);
    releaseFirst();
    await first;
    expect(training.getState()).toMatchObject({ selectedRunId: OTHER_RUN_ID, detail: { id: OTHER_RUN_ID } });
  });

  it('says why a cancel was refused, and forgets everything for another operator', async () => {
    const client = backend([runView()])
      .handle('training.get', () => ({ ...runView(), metrics: [] }))
      .refuse('training.cancel', { code: 'upstream_error', message: 'cancelling training run x: the Hub failed (500)' });
    const training = createTrainingStore(client);
    await training.getState().load({ canTrain: true });
    await training.getState().select(RUN_ID);
    await training.getState().cancel();
    expect(training.getState()).toMatchObject({ cancelling: false, cancelError: 'cancelling training run x: the Hub failed (500)' });
    training.getState().reset();
    expect(training.getState()).toMatchObject({ runs: [], datasets: [], selectedRunId: null, detail: null, cancelError: null });
  });
});

describe('the Training page', () => {
  /** The page as first drawn for an operator of this role, with the training slice in the given state. */
  function renderPage(role: 'analyst' | 'ml_lead', training: Partial<ReturnType<ReturnType<typeof createTrainingStore>['getState']>> = {}) {
    const stores = createAppStores(backend());
    stores.settings.setState({ view: { user: { id: USER, displayName: 'Someone', role } } as SettingsView });
    stores.training.setState(training);
    // Server rendering draws a store's initial state: make the state set here the initial one.
    for (const store of [stores.settings, stores.training] as const) store.getInitialState = store.getState as never;
    return renderToStaticMarkup(createElement(StoresProvider, { stores, children: createElement(TrainingView) }));
  }

  it('hides the launch form from analysts and says why, and shows it to ML leads', () => {
    const analystPage = renderPage('analyst');
    expect(analystPage).toContain('Only ML leads and admins launch training runs');
    expect(analystPage).not.toContain('aria-label="Launch a training run"');
    const leadPage = renderPage('ml_lead');
    expect(leadPage).toContain('aria-label="Launch a training run"');
    expect(leadPage).not.toContain('Only ML leads and admins');
  });

  it('shows a job’s log lines and failure reason as text, never as HTML', () => {
    const failed = runView({ stage: 'ERROR', lastLogLines: ['<img src=x onerror=alert(1)>'], failureReason: 'the job failed: <script>alert(2)</script>' });
    const html = renderPage('ml_lead', { runs: [failed], selectedRunId: RUN_ID, detail: { ...failed, metrics: [] } });
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('the job failed: &lt;script&gt;alert(2)&lt;/script&gt;');
    // An ended run has nothing to cancel.
    expect(html).not.toContain('Cancel run');
  });
});
