import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJudgeVerdict } from '../../src-main/evaluation/judge-model';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server';
import type { TestApp } from '../support/test-app';
import { seedCandidate, sftRows, startEvaluationApp, startEvaluationWorld, type EvaluationWorld } from './evaluation-fixture';

/**
 * The optional judge model (setting evaluation.judge): an OpenAI-compatible stand-in judges every answered pair in
 * the blind order, through the facade's OpenAI provider; its verdicts are reported beside the operator's.
 */
describe('an evaluation with a judge model', () => {
  let world: EvaluationWorld;
  let judge: OpenAiCompatibleServer;
  let app: TestApp;

  beforeAll(async () => {
    world = await startEvaluationWorld();
    judge = await startOpenAiCompatibleServer();
    app = await startEvaluationApp(world, { env: { OPENAI_API_KEY: 'sk-judge-test-key' } });
    await app.settings.set('openai', { baseUrl: `${judge.url}/v1`, model: 'judge-1', fastModel: 'judge-1' });
  });
  afterAll(async () => {
    await app?.close();
    await judge?.close();
    await world?.close();
  });

  it('is off by default: no judge verdicts, none in the report', async () => {
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(['One?']) });
    const run = await app.evaluations.start({ modelId: model.id }, app.localOperator);
    await app.evaluations.settled(run.id);
    expect(run.judgeModel).toBeNull();
    expect(judge.requests).toHaveLength(0);
    expect((await app.evaluations.report(run.id)).judgeModel).toBeNull();
  });

  it('judges each answered pair blind, and the report gives its tally and its agreement with the operator', async () => {
    await app.settings.set('evaluation.judge', { provider: 'openai' });
    // The judge prefers answer A, except on the third prompt, where it says nothing usable.
    judge.reply({
      kind: 'decide',
      decide: () => {
        const prompt = (judge.requests.at(-1)!.body.messages as Array<{ content: string }>).at(-1)!.content;
        return { kind: 'stream', chunks: [prompt.includes('Three?') ? 'I cannot say.' : 'A'] };
      },
    });
    const model = await seedCandidate(app, world, { evalJsonl: sftRows(['One?', 'Two?', 'Three?']) });
    const run = await app.evaluations.start({ modelId: model.id }, app.localOperator);
    expect(run.judgeModel).toBe('openai:judge-1');
    await app.evaluations.settled(run.id);

    expect(judge.requests).toHaveLength(3);
    const asked = judge.requests[0]!.body.messages as Array<{ role: string; content: string }>;
    expect(asked[1]!.content).toContain('Answer A:');
    expect(asked[1]!.content).toContain('A reference answer (for you only): Reference 1');
    expect(judge.requests[0]!.headers.authorization).toBe('Bearer sk-judge-test-key');

    const detail = await app.evaluations.detail(run.id);
    expect(detail.items.map((i) => i.judgeVerdict)).toEqual(['a', 'a', null]);
    // The operator agrees on the first pair, not on the second, and ties the third.
    await app.evaluations.judge(run.id, detail.items[0]!.id, 'a', app.localOperator);
    await app.evaluations.judge(run.id, detail.items[1]!.id, 'b', app.localOperator);
    await app.evaluations.judge(run.id, detail.items[2]!.id, 'tie', app.localOperator);
    const report = await app.evaluations.report(run.id);
    expect((await app.evaluations.get(run.id)).status).toBe('completed');
    expect(report.judgeModel).toMatchObject({ model: 'openai:judge-1', overall: { judged: 2 }, agreementWithOperator: 0.5 });
    // The operator's verdicts are what the report (and so the deploy gate) counts.
    expect(report.overall.judged).toBe(3);
    expect(report.overall.ties).toBe(1);
  });

  it("reads a judge's verdict from its reply", () => {
    expect(parseJudgeVerdict('A')).toBe('a');
    expect(parseJudgeVerdict(' b.')).toBe('b');
    expect(parseJudgeVerdict('TIE')).toBe('tie');
    expect(parseJudgeVerdict('Answer B is better')).toBe('b');
    expect(parseJudgeVerdict('Both are fine')).toBeNull();
  });
});
