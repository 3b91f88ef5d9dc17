import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createAppStores } from '../../src-renderer/app/app-stores';
import { StoresProvider } from '../../src-renderer/app/stores-context';
import { DeploymentsView } from '../../src-renderer/features/deployments/deployments-view';
import {
  canRollBackTo,
  createDeploymentsStore,
  deployFormProblem,
  filterDeployments,
  laterDeployment,
  shortVersion,
  stepDurationMs,
  timelinePoints,
  type DeploymentsState,
} from '../../src-renderer/features/deployments/deployments-store';
import type { DeployableModel, DeployDashboard, DeploymentView, DeployStepView, GateVerdict, RequestStats } from '../../src-shared/deploy-contract';
import type { SettingsView } from '../../src-shared/ipc-contract';
import { FakeTriadClient, settle } from './support/fake-triad-client';

const USER = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const MODEL_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const MODEL_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const STEP_NAMES = ['check', 'gate', 'create_space', 'commit', 'variables', 'secrets', 'hardware', 'restart', 'build', 'health_check', 'activate'];

const thresholds = { minWinRate: 0.5, minIntervalLow: 0.4, minJudged: 20 };
const noEvaluation: GateVerdict = {
  status: 'missing', message: 'acme-ml/triad-base-sft@bbbbbbb has no completed evaluation against the serving version of the base tier', advice: 'evaluate it first, or give an override reason (recorded)',
  evaluationRunId: null, winRate: null, intervalLow: null, intervalHigh: null, judged: null, thresholds,
};
const passedGate: GateVerdict = {
  status: 'passed', message: 'evaluation 3f2a1c0d…: win rate 62% (95% CI 48–75%) over 40 verdicts, needs ≥ 50% and a lower bound ≥ 40%: passed', advice: null,
  evaluationRunId: '3f2a1c0d-0000-4000-8000-000000000000', winRate: 0.62, intervalLow: 0.48, intervalHigh: 0.75, judged: 40, thresholds,
};
const models: DeployableModel[] = [
  { id: MODEL_B, name: 'acme-ml/triad-base-sft', version: 'b'.repeat(40), tier: 'base', ggufFile: 'm.gguf', createdAt: '2031-01-02T10:00:00.000Z', gate: { base: noEvaluation, company: noEvaluation, abstraction: noEvaluation } },
  { id: MODEL_A, name: 'acme-ml/triad-company-sft', version: 'a'.repeat(40), tier: 'company', ggufFile: null, createdAt: '2031-01-01T10:00:00.000Z', gate: { base: noEvaluation, company: passedGate, abstraction: noEvaluation } },
];

const dashboard: DeployDashboard = {
  tiers: [
    { tier: 'base', live: null, staging: null },
    {
      tier: 'company',
      live: { spaceName: 'acme-ml/triad-company', endpoint: 'https://acme-ml-triad-company.hf.space', modelVersion: `acme-ml/triad-company-sft@${'a'.repeat(40)}`, stage: 'RUNNING', stageDetail: null, hardware: 'cpu-upgrade', usdPerHour: 0.03, sleepTimeSeconds: 3600, breaker: { state: 'open', nextProbeAt: '2031-01-01T10:05:00.000Z' } },
      staging: null,
    },
    { tier: 'abstraction', live: null, staging: null },
  ],
  hardware: [
    { name: 'cpu-basic', prettyName: 'CPU basic', usdPerHour: 0 },
    { name: 'cpu-upgrade', prettyName: 'CPU upgrade', usdPerHour: 0.03 },
  ],
  hardwareError: null,
  provider: 'huggingface',
};

const requestStats: RequestStats = {
  since: '2031-01-01T00:00:00.000Z',
  truncated: false,
  versions: [{ tier: 'company', modelVersion: `acme-ml/triad-company-sft@${'a'.repeat(40)}`, provider: 'huggingface', requests: 12, errors: 2, p50LatencyMs: 420, p95LatencyMs: 1800 }],
  feedback: [{ tier: 'company', modelVersion: `acme-ml/triad-company-sft@${'a'.repeat(40)}`, thumbsUp: 5, thumbsDown: 1, ratings: 2, meanRating: 4.5, compareWins: 3, compareLosses: 1, compareTies: 1 }],
  feedbackError: null,
};

function steps(done: number, last: DeployStepView['status'] = 'running'): DeployStepView[] {
  return STEP_NAMES.map((name, i) => ({
    name,
    status: i < done ? 'done' : i === done ? last : 'pending',
    startedAt: i <= done ? '2031-01-01T10:00:00.000Z' : null,
    finishedAt: i < done ? '2031-01-01T10:00:02.500Z' : null,
    message: null,
    log: [],
    gate: null,
  }));
}

let nextId = 0;
function deployment(overrides: Partial<DeploymentView> = {}): DeploymentView {
  nextId += 1;
  return {
    id: `dddddddd-dddd-4ddd-8ddd-${String(nextId).padStart(12, '0')}`,
    tier: 'company', target: 'live', kind: 'deploy', status: 'succeeded', spaceRepo: 'acme-ml/triad-company', modelId: MODEL_A,
    modelVersion: `acme-ml/triad-company-sft@${'a'.repeat(40)}`, previousDeploymentId: null, steps: steps(11), hardware: 'cpu-basic', sleepTimeSeconds: null,
    overrideReason: null, summary: null, createdBy: USER, createdAt: `2031-01-01T10:${String(nextId).padStart(2, '0')}:00.000Z`, finishedAt: null,
    ...overrides,
  };
}

function backend(history: DeploymentView[] = []) {
  return new FakeTriadClient()
    .handle('deploy.dashboard', () => dashboard)
    .handle('deploy.models', () => models)
    .handle('deploy.history', () => history)
    .handle('deploy.requestStats', () => requestStats);
}

describe('the deployments store', () => {
  it('reads the dashboard, the history and, for those who may deploy, the versions, and starts the form on the newest one and its tier', async () => {
    const client = backend([deployment()]);
    const store = createDeploymentsStore(client);
    await store.getState().load({ canDeploy: true });
    expect(store.getState()).toMatchObject({ dashboard, models, requestStats, dashboardError: null, historyError: null, requestStatsError: null });
    expect(store.getState().form).toMatchObject({ modelId: MODEL_B, tier: 'base', staging: true, hardware: 'cpu-basic' });
    expect(store.getState().deployments).toHaveLength(1);

    const analystClient = backend();
    await createDeploymentsStore(analystClient).getState().load({ canDeploy: false });
    expect(analystClient.callsTo('deploy.models')).toEqual([]);
    expect(analystClient.callsTo('deploy.dashboard')).toHaveLength(1);
  });

  it('refuses to promote to live without an override reason before anything is sent, and says why', async () => {
    const client = backend();
    const store = createDeploymentsStore(client);
    await store.getState().load({ canDeploy: true });
    store.getState().setForm({ staging: false, overrideReason: '   ' });
    await store.getState().start();
    expect(store.getState().startError).toBe(
      'An override reason is required to promote to the live base tier: acme-ml/triad-base-sft@bbbbbbb has no completed evaluation against the serving version of the base tier. Say why it should serve, evaluate it, or deploy to staging first.',
    );
    expect(client.callsTo('deploy.start')).toEqual([]);
    // Editing the form clears the message.
    store.getState().setForm({ overrideReason: 'first version' });
    expect(store.getState().startError).toBeNull();
  });

  it('sends the deploy as the form says (no sleep time on free CPU), then watches the deployment it started', async () => {
    const started = deployment({ status: 'running', steps: steps(0) });
    const client = backend().handle('deploy.start', () => ({ deploymentId: started.id }));
    const store = createDeploymentsStore(client);
    await store.getState().load({ canDeploy: true });
    store.getState().setForm({ modelId: MODEL_A, sleepTimeSeconds: '3600' });
    expect(store.getState().form.tier).toBe('company');
    await store.getState().start();
    expect(client.callsTo('deploy.start')).toEqual([{ tier: 'company', model: MODEL_A, staging: true, hardware: 'cpu-basic' }]);
    expect(store.getState()).toMatchObject({ watchingId: started.id, starting: false, startError: null });

    store.getState().setForm({ staging: false, hardware: 'cpu-upgrade', overrideReason: '  hotfix for the pricing answers ' });
    await store.getState().start();
    expect(client.callsTo('deploy.start').at(-1)).toEqual({ tier: 'company', model: MODEL_A, staging: false, hardware: 'cpu-upgrade', sleepTimeSeconds: 3600, overrideReason: 'hotfix for the pricing answers' });
    // The reason belongs to that deploy: the next one needs its own.
    expect(store.getState().form.overrideReason).toBe('');

    // A version whose evaluation passes the gate for the tier goes to live without a reason.
    store.getState().setForm({ hardware: 'cpu-basic', sleepTimeSeconds: '' });
    await store.getState().start();
    expect(store.getState().startError).toBeNull();
    expect(client.callsTo('deploy.start').at(-1)).toEqual({ tier: 'company', model: MODEL_A, staging: false, hardware: 'cpu-basic' });
    // The same version for a tier it was not evaluated for needs one.
    store.getState().setForm({ tier: 'abstraction' });
    await store.getState().start();
    expect(store.getState().startError).toMatch(/^An override reason is required to promote to the live abstraction tier/);
  });

  it('shows the main process’s refusal as it was worded', async () => {
    const client = backend().refuse('deploy.start', { code: 'forbidden', message: 'deploying to the base tier: Ari is an analyst; only ML leads and admins deploy' });
    const store = createDeploymentsStore(client);
    await store.getState().load({ canDeploy: true });
    await store.getState().start();
    expect(store.getState()).toMatchObject({ starting: false, watchingId: null, startError: expect.stringContaining('only ML leads and admins deploy') });
  });

  it('follows deploy.changed: new deployments come first, a stale history read never undoes a later step, and an ended deploy reads the Spaces again', async () => {
    const running = deployment({ status: 'running', steps: steps(3) });
    let releaseHistory!: () => void;
    const client = backend()
      .handle('deploy.history', () => new Promise<DeploymentView[]>((resolve) => (releaseHistory = () => resolve([{ ...running, steps: steps(1) }]))));
    const store = createDeploymentsStore(client);
    const stop = store.getState().follow();
    const loading = store.getState().load({ canDeploy: false });
    await settle();
    client.emit('deploy.changed', running);
    releaseHistory();
    await loading;
    expect(store.getState().deployments.map((d) => d.steps.filter((s) => s.status === 'done').length)).toEqual([3]);

    const dashboardReads = client.callsTo('deploy.dashboard').length;
    client.emit('deploy.changed', { ...running, steps: steps(5) });
    await settle();
    expect(client.callsTo('deploy.dashboard')).toHaveLength(dashboardReads);
    const newer = deployment({ status: 'running', tier: 'base', steps: steps(0) });
    client.emit('deploy.changed', newer);
    expect(store.getState().deployments.map((d) => d.id)).toEqual([newer.id, running.id]);

    client.emit('deploy.changed', { ...running, status: 'succeeded', steps: steps(11) });
    await settle();
    expect(client.callsTo('deploy.dashboard')).toHaveLength(dashboardReads + 1);
    expect(client.callsTo('deploy.requestStats')).toHaveLength(2);
    expect(store.getState().deployments[1]!.status).toBe('succeeded');
    // A late running view of a finished deploy is older, whatever its steps say.
    client.emit('deploy.changed', { ...running, steps: steps(6) });
    expect(store.getState().deployments[1]!.status).toBe('succeeded');
    stop();
  });

  it('rolls back to the chosen deployment of its tier and target, and shows a refusal', async () => {
    const earlier = deployment({ target: 'staging' });
    const back = deployment({ kind: 'rollback', status: 'running', steps: steps(0) });
    const client = backend([earlier]).handle('deploy.rollback', () => ({ deploymentId: back.id }));
    const store = createDeploymentsStore(client);
    await store.getState().rollbackTo(earlier);
    expect(client.callsTo('deploy.rollback')).toEqual([{ tier: 'company', to: earlier.id, staging: true }]);
    expect(store.getState().watchingId).toBe(back.id);

    client.refuse('deploy.rollback', { code: 'validation_failed', message: 'rolling back the company tier: x is not a successful deployment of this tier' });
    await store.getState().rollbackTo(earlier);
    expect(store.getState()).toMatchObject({ rollingBack: false, rollbackError: expect.stringContaining('is not a successful deployment of this tier') });
  });

  it('forgets everything it read when another operator signs in', async () => {
    const store = createDeploymentsStore(backend([deployment()]));
    await store.getState().load({ canDeploy: true });
    store.getState().reset();
    expect(store.getState()).toMatchObject({ dashboard: null, models: [], deployments: [], watchingId: null, form: { modelId: '' } });
  });
});

describe('deployment helpers', () => {
  it('offers "roll back to this" on earlier successful deployments of a tier and target, not on what serves now nor on failures', () => {
    const first = deployment({ modelVersion: `acme-ml/x@${'1'.repeat(40)}` });
    const failed = deployment({ status: 'failed' });
    const stagingOnly = deployment({ target: 'staging' });
    const current = deployment({ modelVersion: `acme-ml/x@${'2'.repeat(40)}` });
    const history = [current, stagingOnly, failed, first];
    expect(history.map((d) => canRollBackTo(d, history))).toEqual([false, false, false, true]);
    expect(canRollBackTo(deployment({ tier: null }), history)).toBe(false);
  });

  it('filters the history by tier, status and kind', () => {
    const a = deployment({ tier: 'base', status: 'failed' });
    const b = deployment({ tier: 'company', kind: 'rollback' });
    const c = deployment({ tier: 'company', status: 'rolled_back' });
    expect(filterDeployments([a, b, c], { tier: 'company', status: 'all', kind: 'all' })).toEqual([b, c]);
    expect(filterDeployments([a, b, c], { tier: 'all', status: 'rolled_back', kind: 'all' })).toEqual([c]);
    expect(filterDeployments([a, b, c], { tier: 'all', status: 'all', kind: 'rollback' })).toEqual([b]);
    expect(filterDeployments([a, b, c], { tier: 'base', status: 'succeeded', kind: 'all' })).toEqual([]);
  });

  it('measures steps, keeps the later view, names versions short, and places deployments on a timeline per tier', () => {
    expect(stepDurationMs({ startedAt: '2031-01-01T10:00:00.000Z', finishedAt: '2031-01-01T10:00:02.500Z' }, 0)).toBe(2500);
    expect(stepDurationMs({ startedAt: '2031-01-01T10:00:00.000Z', finishedAt: null }, Date.parse('2031-01-01T10:00:04.000Z'))).toBe(4000);
    expect(stepDurationMs({ startedAt: null, finishedAt: null }, 0)).toBeNull();

    const early = deployment({ status: 'running', steps: steps(2) });
    expect(laterDeployment(early, { ...early, steps: steps(1) })).toBe(early);
    const ahead = { ...early, steps: steps(4) };
    expect(laterDeployment(early, ahead)).toBe(ahead);

    expect(shortVersion(`acme-ml/x@${'0123456789'.repeat(4)}`)).toBe('acme-ml/x@0123456');
    expect(shortVersion(null)).toBe('unknown version');

    const base = deployment({ tier: 'base', createdAt: '2031-01-01T12:00:00.000Z' });
    const abstraction = deployment({ tier: 'abstraction', kind: 'rollback', createdAt: '2031-01-01T11:00:00.000Z' });
    expect(timelinePoints([base, abstraction, deployment({ tier: null })]).map((p) => [p.tier, p.row, p.kind])).toEqual([['abstraction', 2, 'rollback'], ['base', 0, 'deploy']]);
  });

  it('checks the form: a version picked, a reason for live, a sleep time of at least a minute on paid hardware', () => {
    const form = { modelId: MODEL_A, tier: 'company' as const, staging: true, hardware: 'cpu-upgrade', sleepTimeSeconds: '', overrideReason: '' };
    expect(deployFormProblem(form)).toBeNull();
    expect(deployFormProblem({ ...form, modelId: '' })).toBe('Pick a registered model version.');
    expect(deployFormProblem({ ...form, sleepTimeSeconds: '30' })).toMatch(/^Sleep time: must be .* at least 60, got '30'/);
    expect(deployFormProblem({ ...form, staging: false, overrideReason: 'ok' })).toBeNull();
    expect(deployFormProblem({ ...form, staging: false }, noEvaluation)).toMatch(/^An override reason is required to promote to the live company tier: .* has no completed evaluation/);
    expect(deployFormProblem({ ...form, staging: false }, passedGate)).toBeNull();
  });
});

describe('the Deployments page', () => {
  function renderPage(role: 'analyst' | 'ml_lead', state: Partial<DeploymentsState> = {}) {
    const stores = createAppStores(backend());
    stores.settings.setState({ view: { user: { id: USER, displayName: 'Someone', role } } as SettingsView });
    stores.deployments.setState({ dashboard, models, requestStats, ...state });
    // Server rendering draws a store's initial state: make the state set here the initial one.
    for (const store of [stores.settings, stores.deployments] as const) store.getInitialState = store.getState as never;
    return renderToStaticMarkup(createElement(StoresProvider, { stores, children: createElement(DeploymentsView) }));
  }

  it('hides the deploy form and rollback from analysts and says why; ML leads get them', () => {
    const current = deployment({ modelVersion: `acme-ml/x@${'2'.repeat(40)}` });
    const earlier = deployment({ overrideReason: 'first version' });
    const analystPage = renderPage('analyst', { deployments: [current, earlier] });
    expect(analystPage).toContain('Only ML leads and admins deploy and roll back');
    expect(analystPage).not.toContain('aria-label="Deploy a model version"');
    expect(analystPage).not.toContain('Roll back to this');
    expect(analystPage).toContain('first version');

    const leadPage = renderPage('ml_lead', { deployments: [current, earlier], form: { modelId: MODEL_A, tier: 'base', staging: false, hardware: 'cpu-basic', sleepTimeSeconds: '', overrideReason: '' } });
    expect(leadPage).toContain('aria-label="Deploy a model version"');
    // Not evaluated for the base tier: the gate says so, and the reason is asked for.
    expect(leadPage).toMatch(/data-gate="missing"><span class="deploy-badge deploy-badge-warn">no evaluation<\/span><span class="deploy-gate-message">acme-ml\/triad-base-sft@bbbbbbb has no completed evaluation/);
    expect(leadPage).toContain('Override reason (required to promote to live)');
    expect(leadPage).toContain('CPU upgrade (cpu-upgrade) · $0.03/h');
    expect(leadPage).toContain('This version has no GGUF file: CPU hardware cannot serve it');
    expect(leadPage.match(/Roll back to this/g)).toHaveLength(1);
    expect(leadPage).not.toContain('Only ML leads and admins');

    // Evaluated for the company tier and passing: the verdict with its numbers and interval plot, no reason asked.
    const passingPage = renderPage('ml_lead', { form: { modelId: MODEL_A, tier: 'company', staging: false, hardware: 'cpu-basic', sleepTimeSeconds: '', overrideReason: '' } });
    expect(passingPage).toContain('gate passed</span><span class="deploy-gate-message">evaluation 3f2a1c0d…: win rate 62% (95% CI 48–75%) over 40 verdicts, needs ≥ 50% and a lower bound ≥ 40%: passed');
    expect(passingPage).toContain('aria-label="win rate 62%, 95% interval 48–75%; needs 50% and a lower bound of 40%"');
    expect(passingPage).not.toContain('aria-label="Override reason"');
    expect(renderPage('ml_lead', { form: { modelId: MODEL_A, tier: 'company', staging: true, hardware: 'cpu-basic', sleepTimeSeconds: '', overrideReason: '' } })).not.toContain('data-testid="gate-verdict"');
  });

  it('draws each tier’s Space: stage, hardware with its price, sleep time, version, breaker', () => {
    const html = renderPage('analyst');
    expect(html).toContain('acme-ml/triad-company');
    expect(html).toMatch(/data-testid="space-stage">RUNNING</);
    expect(html).toContain('cpu-upgrade · $0.03/h');
    expect(html).toContain('1 h');
    expect(html).toContain('acme-ml/triad-company-sft@aaaaaaa');
    expect(html).toContain('open: calls refused after repeated failures');
    expect(html.match(/data-testid="no-live-space"/g)).toHaveLength(2);
    expect(html).not.toContain('provider-notice');
    // The request log's last day per version: a table and a latency plot.
    const statsRow = html.slice(html.indexOf('data-testid="version-stats-row"'));
    expect(statsRow).toMatch(/^data-testid="version-stats-row"><td>Company<\/td><td[^>]*>acme-ml\/triad-company-sft@aaaaaaa<\/td><td>Hugging Face Space<\/td><td>12<\/td><td>2<\/td><td>420 ms<\/td><td>1.8 s<\/td>/);
    // And what operators said of it: thumbs, stars, Compare outcomes.
    const feedbackRow = html.slice(html.indexOf('data-testid="version-feedback-row"'));
    expect(feedbackRow).toMatch(/^data-testid="version-feedback-row"><td>Company<\/td><td[^>]*>acme-ml\/triad-company-sft@aaaaaaa<\/td><td>5<\/td><td>1<\/td><td>4.5 ★ \(2\)<\/td><td>3<\/td><td>1<\/td><td>1<\/td>/);
    expect(html).toContain('data-testid="feedback-chart"');
    const local = createAppStores(backend());
    local.deployments.setState({ dashboard: { ...dashboard, provider: 'local' } });
    local.deployments.getInitialState = local.deployments.getState as never;
    expect(renderToStaticMarkup(createElement(StoresProvider, { stores: local, children: createElement(DeploymentsView) }))).toContain('The tiers answer from Local model now');
  });

  it('shows a deploy’s steps with durations, and its log lines and messages as text, never as HTML', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const watched = deployment({
      status: 'failed',
      steps: steps(8, 'failed').map((s) => (s.name === 'build' ? { ...s, message: 'the Space stopped at BUILD_ERROR: <script>alert(2)</script>', log: ['— BUILDING', hostile] } : s)),
      summary: 'the Space stopped at BUILD_ERROR. Nothing on the Space was changed.',
    });
    const html = renderPage('ml_lead', { deployments: [watched], watchingId: watched.id });
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('BUILD_ERROR: &lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('aria-label="Deploy progress"');
    expect(html.match(/data-status="done"/g)).toHaveLength(8);
    expect(html).toContain('2.5 s');
  });

  it('shows in the gate step the evaluation it read, with its numbers and interval plot', () => {
    const watched = deployment({ steps: steps(11).map((s) => (s.name === 'gate' ? { ...s, message: passedGate.message, gate: passedGate } : s)) });
    const html = renderPage('analyst', { deployments: [watched], watchingId: watched.id });
    const gateStep = html.slice(html.indexOf('data-step="gate"'), html.indexOf('data-step="create_space"'));
    expect(gateStep).toContain('data-evaluation-run="3f2a1c0d-0000-4000-8000-000000000000"');
    expect(gateStep).toContain('gate passed');
    expect(gateStep).toContain('data-testid="gate-plot"');
    expect(gateStep).not.toContain('To promote it');
  });

  it('shows a deploy still running when the page opens, started elsewhere; none when nothing runs', () => {
    const running = deployment({ status: 'running', steps: steps(4), tier: 'abstraction' });
    const html = renderPage('analyst', { deployments: [running, deployment()] });
    expect(html).toContain('aria-label="Deploy progress"');
    expect(html).toMatch(/Deploy of acme-ml\/triad-company-sft@aaaaaaa to Abstraction live/);
    expect(renderPage('analyst', { deployments: [deployment()] })).not.toContain('aria-label="Deploy progress"');
  });
});
