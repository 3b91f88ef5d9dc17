import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createAppStores } from '../../src-renderer/app/app-stores';
import { StoresProvider } from '../../src-renderer/app/stores-context';
import { evaluationKeyAction } from '../../src-renderer/features/evaluation/evaluation-keys';
import { judgingProgress, sideView } from '../../src-renderer/features/evaluation/evaluation-items';
import { createEvaluationStore, type EvaluationState } from '../../src-renderer/features/evaluation/evaluation-store';
import { EvaluationView } from '../../src-renderer/features/evaluation/evaluation-view';
import { JudgingView } from '../../src-renderer/features/evaluation/judging-view';
import type { DeployableModel } from '../../src-shared/deploy-contract';
import type { EvaluationAnswer, EvaluationItemView, EvaluationReport, EvaluationRunDetail, EvaluationRunView } from '../../src-shared/evaluation-contract';
import type { SettingsView } from '../../src-shared/ipc-contract';
import { FakeTriadClient, settle } from './support/fake-triad-client';

const RUN_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const MODEL_ID = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const OTHER_MODEL_ID = 'bbbbbbbb-bbbb-4bbb-8bbb-000000000000';
const USER = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const itemId = (n: number) => `dddddddd-dddd-4ddd-8ddd-${String(n).padStart(12, '0')}`;
const CANDIDATE = `acme-ml/triad-company-sft@${'c'.repeat(40)}`;
const SERVING = `acme-ml/triad-company-sft@${'5'.repeat(40)}`;

/** Registered versions as `deploy.models` lists them: the fields the Evaluation page reads. */
const MODELS = [
  { id: MODEL_ID, name: 'acme-ml/triad-company-sft', version: 'c'.repeat(40), tier: 'company', ggufFile: null, createdAt: '2031-01-01T09:00:00.000Z' },
  { id: OTHER_MODEL_ID, name: 'acme-ml/triad-base-sft', version: '1'.repeat(40), tier: 'base', ggufFile: 'triad-base-sft-q8_0.gguf', createdAt: '2031-01-01T08:00:00.000Z' },
] as DeployableModel[];

const answer = (text: string, overrides: Partial<EvaluationAnswer> = {}): EvaluationAnswer => ({ text, error: null, timeToFirstTokenMs: 120, latencyMs: 900, ...overrides });

function item(n: number, overrides: Partial<EvaluationItemView> = {}): EvaluationItemView {
  return {
    id: itemId(n), position: n, companySlug: 'acme', messages: [{ role: 'user', content: `question ${n}` }],
    a: answer(`first answer ${n}`), b: answer(`second answer ${n}`), verdict: null, judgeVerdict: null,
    ...overrides,
  };
}

function runView(overrides: Partial<EvaluationRunView> = {}): EvaluationRunView {
  return {
    id: RUN_ID, candidateModelId: MODEL_ID, candidateVersion: CANDIDATE, candidateSource: 'staging', tier: 'company', servingVersion: SERVING,
    datasetVersion: `acme-ml/company-sft@${'a'.repeat(40)}`, status: 'judging', itemCount: 3, answered: 3, judged: 0, failureReason: null, report: null,
    createdBy: USER, createdAt: '2031-01-01T10:00:00.000Z', finishedAt: null,
    ...overrides,
  };
}

const detailOf = (items: EvaluationItemView[], overrides: Partial<EvaluationRunView> = {}): EvaluationRunDetail => ({ ...runView({ itemCount: items.length, ...overrides }), items });

function report(overrides: Partial<EvaluationReport> = {}): EvaluationReport {
  const tally = { judged: 3, wins: 2, losses: 0, ties: 1, winRate: 5 / 6, interval: { low: 0.44, high: 0.97 } };
  const side = (modelVersion: string) => ({ modelVersion, meanAnswerChars: 40, p50TimeToFirstTokenMs: 120, p50LatencyMs: 900, p95LatencyMs: 1500, errors: 0 });
  return {
    runId: RUN_ID, candidateModelId: MODEL_ID, tier: 'company', candidate: side(CANDIDATE), serving: side(SERVING), overall: tally,
    perCompany: [{ ...tally, companySlug: 'acme' }], judgeModel: null, unanswered: 0, computedAt: '2031-01-01T10:05:00.000Z',
    ...overrides,
  };
}

/** A backend holding one run; `evaluation.judge` records the verdict on the run's items as the main process would. */
function backend(detail: EvaluationRunDetail) {
  let current = detail;
  const client = new FakeTriadClient()
    .handle('deploy.models', () => MODELS)
    .handle('evaluation.list', () => [Object.fromEntries(Object.entries(current).filter(([key]) => key !== 'items')) as EvaluationRunView])
    .handle('evaluation.get', () => current)
    .handle('evaluation.report', () => report())
    .handle('evaluation.judge', ({ itemId: id, verdict }) => {
      current = { ...current, items: current.items.map((i) => (i.id === id ? { ...i, verdict } : i)) };
      return current.items.find((i) => i.id === id)!;
    });
  return { client, setDetail: (next: EvaluationRunDetail) => (current = next) };
}

async function openRun(detail: EvaluationRunDetail) {
  const { client, setDetail } = backend(detail);
  const evaluation = createEvaluationStore(client);
  const stop = evaluation.getState().follow();
  await evaluation.getState().load({ canEvaluate: true });
  await evaluation.getState().select(RUN_ID);
  return { client, evaluation, stop, setDetail };
}

describe('the evaluation store', () => {
  it('starts the form on the newest registered version, from its staging Space, and reads nothing to pick for an analyst', async () => {
    const { client } = backend(detailOf([item(0)]));
    const evaluation = createEvaluationStore(client);
    await evaluation.getState().load({ canEvaluate: true });
    expect(evaluation.getState().form).toEqual({ modelId: MODEL_ID, candidate: 'staging', limit: '20' });
    expect(evaluation.getState().runs.map((r) => r.id)).toEqual([RUN_ID]);

    const analyst = backend(detailOf([item(0)])).client;
    await createEvaluationStore(analyst).getState().load({ canEvaluate: false });
    expect(analyst.calls.map((c) => c.channel)).toEqual(['evaluation.list']);
  });

  it('starts with the chosen version, source and limit, opens the run, and shows a refusal as text', async () => {
    const { client } = backend(detailOf([item(0)]));
    client.handle('evaluation.start', () => runView({ status: 'generating', answered: 0 }));
    const evaluation = createEvaluationStore(client);
    await evaluation.getState().load({ canEvaluate: true });
    evaluation.getState().setForm({ modelId: OTHER_MODEL_ID, candidate: 'local', limit: 'ten' });
    await evaluation.getState().start();
    expect(evaluation.getState().startError).toBe("eval examples: must be a whole number from 1 to 1000, got 'ten'");
    expect(client.callsTo('evaluation.start')).toEqual([]);

    evaluation.getState().setForm({ limit: '4' });
    await evaluation.getState().start();
    expect(client.callsTo('evaluation.start')).toEqual([{ modelId: OTHER_MODEL_ID, candidate: 'local', limit: 4 }]);
    expect(evaluation.getState()).toMatchObject({ starting: false, startError: null, selectedRunId: RUN_ID, detail: { id: RUN_ID } });

    client.refuse('evaluation.start', { code: 'validation_failed', message: 'the eval split of acme-ml/company-sft@aaaaaaa has no examples' });
    await evaluation.getState().start();
    expect(evaluation.getState()).toMatchObject({ starting: false, startError: 'the eval split of acme-ml/company-sft@aaaaaaa has no examples' });
  });

  it('opens on the first prompt left to judge, sends each verdict for the prompt shown, and moves on to the next one left', async () => {
    const { client, evaluation } = await openRun(detailOf([item(0, { verdict: 'b' }), item(1), item(2)]));
    expect(evaluation.getState().cursor).toBe(1);

    await evaluation.getState().judge('a');
    expect(client.callsTo('evaluation.judge')).toEqual([{ runId: RUN_ID, itemId: itemId(1), verdict: 'a' }]);
    expect(evaluation.getState().cursor).toBe(2);
    await evaluation.getState().judge('tie');
    expect(client.callsTo('evaluation.judge').at(-1)).toEqual({ runId: RUN_ID, itemId: itemId(2), verdict: 'tie' });
    expect(evaluation.getState().detail!.items.map((i) => i.verdict)).toEqual(['b', 'a', 'tie']);
    expect(judgingProgress(evaluation.getState().detail!.items)).toEqual({ judged: 3, of: 3 });
    // Every prompt judged: the view stays, and going back replaces a verdict there.
    expect(evaluation.getState().cursor).toBe(2);
    evaluation.getState().move(-2);
    await evaluation.getState().judge('b');
    expect(client.callsTo('evaluation.judge').at(-1)).toEqual({ runId: RUN_ID, itemId: itemId(0), verdict: 'b' });
    // A verdict recorded (the main process announces the new count): the report so far is read again.
    expect(client.callsTo('evaluation.report')).toEqual([]);
    client.emit('evaluation.changed', runView({ judged: 3 }));
    await settle();
    expect(client.callsTo('evaluation.report')).toEqual([{ runId: RUN_ID }]);
    expect(evaluation.getState().report?.overall.winRate).toBeCloseTo(5 / 6);
  });

  it('moves on to a prompt still being answered when none answered is left, so the operator watches it arrive', async () => {
    const { evaluation } = await openRun(detailOf([item(0), item(1, { a: answer('', { error: 'timed out' }) }), item(2, { a: null }), item(3, { verdict: 'a' })], { status: 'generating', answered: 3 }));
    await evaluation.getState().judge('b');
    // Not the failed prompt, nor the judged one: the one still writing.
    expect(evaluation.getState().cursor).toBe(2);
  });

  it('refuses to judge a prompt still being answered or with a failed side, without calling', async () => {
    const { client, evaluation } = await openRun(detailOf([item(0, { b: null }), item(1, { a: answer('', { error: 'the staging Space answered 503' }) })], { status: 'generating', answered: 1 }));
    expect(evaluation.getState().cursor).toBe(0);
    await evaluation.getState().judge('a');
    expect(evaluation.getState().judgeError).toBe('Both answers must finish before this prompt can be judged.');
    evaluation.getState().move(1);
    expect(evaluation.getState().judgeError).toBeNull();
    await evaluation.getState().judge('b');
    expect(evaluation.getState().judgeError).toBe('One side failed to answer this prompt: it cannot be judged and is left out of the report.');
    expect(client.callsTo('evaluation.judge')).toEqual([]);
    // A failed side never becomes judgeable, so it is not counted as left to judge.
    expect(judgingProgress(evaluation.getState().detail!.items)).toEqual({ judged: 0, of: 1 });
  });

  it('takes back a verdict the main process refused, and says which prompt and why', async () => {
    const { client, evaluation } = await openRun(detailOf([item(0), item(1)]));
    client.refuse('evaluation.judge', { code: 'forbidden', message: 'only ML leads and admins judge evaluations' });
    await evaluation.getState().judge('a');
    expect(evaluation.getState()).toMatchObject({ cursor: 0, judgeError: 'Verdict on prompt 1 not saved: only ML leads and admins judge evaluations' });
    expect(evaluation.getState().detail!.items[0]!.verdict).toBeNull();
  });

  it('accumulates streamed text on the side and item it belongs to, then shows the finished answer once read', async () => {
    const answering = detailOf([item(0, { a: null, b: null }), item(1, { a: null, b: null })], { status: 'generating', answered: 0 });
    const { client, evaluation, setDetail, stop } = await openRun(answering);
    client.emit('evaluation.answer', { runId: RUN_ID, itemId: itemId(0), side: 'a', textDelta: 'Hel' });
    client.emit('evaluation.answer', { runId: RUN_ID, itemId: itemId(0), side: 'b', textDelta: 'Bon' });
    client.emit('evaluation.answer', { runId: RUN_ID, itemId: itemId(0), side: 'a', textDelta: 'lo' });
    client.emit('evaluation.answer', { runId: RUN_ID, itemId: itemId(1), side: 'b', textDelta: 'other' });
    const streamed = evaluation.getState().streamed;
    expect(streamed[itemId(0)]).toEqual({ a: 'Hello', b: 'Bon' });
    expect(streamed[itemId(1)]).toEqual({ a: '', b: 'other' });
    const shown = evaluation.getState().detail!.items[0]!;
    expect(sideView(shown.a, streamed[shown.id]?.a)).toEqual({ state: 'answering', text: 'Hello' });

    // The first prompt is answered: the run's counts change, and its items are read again.
    setDetail(detailOf([item(0, { a: answer('Hello there'), b: answer('Bonjour') }), item(1, { a: null, b: null })], { status: 'generating', answered: 1 }));
    client.emit('evaluation.changed', runView({ status: 'generating', itemCount: 2, answered: 1 }));
    await settle();
    const done = evaluation.getState().detail!.items[0]!;
    expect(sideView(done.a, evaluation.getState().streamed[done.id]?.a)).toEqual({ state: 'done', text: 'Hello there' });
    expect(evaluation.getState().detail!.answered).toBe(1);
    // An older view of the run arriving late does not undo it.
    client.emit('evaluation.changed', runView({ status: 'generating', itemCount: 2, answered: 0 }));
    expect(evaluation.getState().runs[0]!.answered).toBe(1);

    stop();
    client.emit('evaluation.answer', { runId: RUN_ID, itemId: itemId(1), side: 'a', textDelta: 'ignored' });
    expect(evaluation.getState().streamed[itemId(1)]!.a).toBe('');
  });

  it('cancels the open run, and says why a cancel was refused', async () => {
    const { client, evaluation } = await openRun(detailOf([item(0, { b: null })], { status: 'generating', answered: 0 }));
    client.refuse('evaluation.cancel', { code: 'forbidden', message: 'cancelling evaluation run x: only ML leads and admins evaluate models' });
    await evaluation.getState().cancel();
    expect(evaluation.getState()).toMatchObject({ cancelling: false, cancelError: 'cancelling evaluation run x: only ML leads and admins evaluate models' });
    client.handle('evaluation.cancel', () => runView({ status: 'cancelled', itemCount: 1, answered: 0, failureReason: 'cancelled', finishedAt: '2031-01-01T10:01:00.000Z' }));
    await evaluation.getState().cancel();
    expect(client.callsTo('evaluation.cancel')).toEqual([{ runId: RUN_ID }, { runId: RUN_ID }]);
    expect(evaluation.getState()).toMatchObject({ cancelling: false, cancelError: null, detail: { status: 'cancelled', failureReason: 'cancelled' } });
    expect(evaluation.getState().runs[0]!.status).toBe('cancelled');
  });

  it('reads the items once per burst of finished answers, not once per answer, and ends on the latest', async () => {
    const items = (answered: number) => [0, 1, 2, 3].map((n) => (n < answered ? item(n) : item(n, { a: null, b: null })));
    const { client, evaluation } = await openRun(detailOf(items(0), { status: 'generating', answered: 0 }));
    const readsBefore = client.callsTo('evaluation.get').length;
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let answered = 0;
    client.handle('evaluation.get', async () => {
      const seen = answered;
      await slow;
      return detailOf(items(seen), { status: 'generating', answered: seen });
    });
    for (answered = 1; answered <= 3; answered++) {
      client.emit('evaluation.changed', runView({ status: 'generating', itemCount: 4, answered }));
    }
    answered = 3;
    release();
    await settle();
    await settle();
    // One read for the first answer, one for the two that finished while it ran.
    expect(client.callsTo('evaluation.get').length - readsBefore).toBe(2);
    expect(evaluation.getState().detail!.items.map((i) => i.a !== null)).toEqual([true, true, true, false]);
  });

  it('takes the stored report when the run completes, and forgets everything for another operator', async () => {
    const { client, evaluation } = await openRun(detailOf([item(0, { verdict: 'a' })]));
    client.emit('evaluation.changed', runView({ status: 'completed', itemCount: 1, judged: 1, report: report({ unanswered: 2 }), finishedAt: '2031-01-01T10:06:00.000Z' }));
    expect(evaluation.getState().report?.unanswered).toBe(2);
    expect(evaluation.getState().detail!.status).toBe('completed');
    await evaluation.getState().judge('b');
    expect(evaluation.getState().judgeError).toBe('This run is completed: it takes no more verdicts.');
    evaluation.getState().reset();
    expect(evaluation.getState()).toMatchObject({ runs: [], models: [], selectedRunId: null, detail: null, report: null, streamed: {} });
  });
});

describe('the judging keys', () => {
  const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey', boolean>> = {}, inField = false) =>
    evaluationKeyAction({ key, ctrlKey: false, altKey: false, metaKey: false, ...modifiers }, inField);

  it('maps a, b and t to the blind verdicts, j/k and the arrows to moving, and leaves every other key alone', () => {
    expect(press('a')).toEqual({ kind: 'verdict', verdict: 'a' });
    expect(press('b')).toEqual({ kind: 'verdict', verdict: 'b' });
    expect(press('t')).toEqual({ kind: 'verdict', verdict: 'tie' });
    for (const key of ['j', 'ArrowDown', 'ArrowRight']) expect(press(key)).toEqual({ kind: 'move', delta: 1 });
    for (const key of ['k', 'ArrowUp', 'ArrowLeft']) expect(press(key)).toEqual({ kind: 'move', delta: -1 });
    for (const key of ['x', 'Enter', ' ', '1']) expect(press(key)).toBeNull();
  });

  it('gives a key typed into a field, or with Ctrl, Alt or Meta, to the field and the browser', () => {
    expect(press('a', {}, true)).toBeNull();
    expect(press('b', { ctrlKey: true })).toBeNull();
    expect(press('t', { metaKey: true })).toBeNull();
    expect(press('j', { altKey: true })).toBeNull();
  });
});

describe('the Evaluation page', () => {
  function render(role: 'analyst' | 'ml_lead', evaluation: Partial<EvaluationState>, component: typeof EvaluationView | typeof JudgingView = EvaluationView) {
    const stores = createAppStores(new FakeTriadClient());
    stores.settings.setState({ view: { user: { id: USER, displayName: 'Someone', role } } as SettingsView });
    stores.evaluation.setState(evaluation);
    // Server rendering draws a store's initial state: make the state set here the initial one.
    for (const store of [stores.settings, stores.evaluation] as const) store.getInitialState = store.getState as never;
    return renderToStaticMarkup(createElement(StoresProvider, { stores, children: createElement(component) }));
  }

  const hostile = item(0, {
    messages: [{ role: 'user', content: '<script>alert(1)</script> prompt' }],
    a: answer('<img src=x onerror=alert(2)>'),
    b: answer('**bold** <b>b</b>'),
  });

  it('judges blind: the panes are A and B, and nothing in the markup names the candidate, the serving version or its source', () => {
    const detail = detailOf([hostile, item(1, { b: null })]);
    const html = render('ml_lead', { runs: [detail], selectedRunId: RUN_ID, detail, streamed: { [itemId(1)]: { a: '', b: 'so far' } } }, JudgingView);
    expect(html).toContain('Answer A');
    expect(html).toContain('Answer B');
    for (const hint of [/candidate/i, /serving/i, /staging/i, /local/i, /c{7}/, /5{7}/]) expect(html).not.toMatch(hint);
    // The only data attributes say what a pane is and whether it is still writing.
    const attributes = [...html.matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(new Set(attributes.filter((a) => a.startsWith('state=')))).toEqual(new Set(['state=done']));
    expect(attributes.filter((a) => !a.startsWith('testid=') && !a.startsWith('state='))).toEqual([]);
    expect(html).toContain('judged 0 of 2');
  });

  it('renders prompts and answers as text, never as HTML', () => {
    const detail = detailOf([hostile]);
    const html = render('ml_lead', { runs: [detail], selectedRunId: RUN_ID, detail }, JudgingView);
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; prompt');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('**bold** &lt;b&gt;b&lt;/b&gt;');
  });

  it('keeps the report so far from an operator still judging, whose next verdicts it would unblind, but not from an analyst', () => {
    const detail = detailOf([item(0, { verdict: 'a' }), item(1)], { judged: 1 });
    const state = { runs: [detail], selectedRunId: RUN_ID, detail, report: report() };
    const lead = render('ml_lead', state);
    expect(lead).toContain('aria-label="Blind judging"');
    expect(lead).not.toContain('aria-label="Evaluation report"');
    expect(lead).not.toContain('Candidate win rate');
    expect(lead).toContain('The report appears once every answered prompt is judged');
    const analyst = render('analyst', state);
    expect(analyst).toContain('Report so far');
    expect(analyst).toContain('Candidate win rate 83%');
  });

  it('shows analysts why they cannot start or judge, with the runs and the report but no judging view', () => {
    const detail = detailOf([item(0, { verdict: 'a' })], { status: 'completed', answered: 1, judged: 1, report: report() });
    const analyst = render('analyst', { runs: [detail], selectedRunId: RUN_ID, detail, report: report() });
    expect(analyst).toContain('Only ML leads and admins start and judge evaluations');
    expect(analyst).not.toContain('aria-label="Start an evaluation"');
    expect(analyst).not.toContain('aria-label="Blind judging"');
    expect(analyst).toContain('Candidate win rate 83% (44%–97%)');
    expect(analyst).toContain('1 of 1');
    const lead = render('ml_lead', { models: MODELS, form: { modelId: MODEL_ID, candidate: 'staging', limit: '20' } });
    expect(lead).toContain('aria-label="Start an evaluation"');
    expect(lead).not.toContain('Only ML leads and admins');
  });
});
