import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../src-shared/evaluation-contract';
import type { RegisteredModel } from '../../src-main/store/repositories';
import { HUB_TOKEN, seedCandidate, sftRows, startEvaluationApp, startEvaluationWorld, type EvaluationWorld } from '../evaluation/evaluation-fixture';

const ROOT = join(import.meta.dirname, '../..');
/** Each run starts Node, tsx and the embedded store, which takes seconds on a busy machine. */
const SLOW = { timeout: 180_000 };

describe('triad eval', () => {
  let dataDir: string;
  let cacheDir: string;
  let world: EvaluationWorld;
  let model: RegisteredModel;

  /** Runs `triad` as an ML lead would, with `input` piped to its stdin. */
  function triad(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/triad.mjs'), '--data-dir', dataDir, ...args], {
        cwd: ROOT,
        env: { ...process.env, HF_ENDPOINT: world.hub.url, HF_TOKEN: HUB_TOKEN, TRIAD_CACHE_DIR: cacheDir, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(input);
    });
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'triad-eval-cli-'));
    cacheDir = await mkdtemp(join(tmpdir(), 'triad-eval-cli-cache-'));
    world = await startEvaluationWorld();
    // The app seeds the data folder (a candidate, the company tier's live and staging Spaces), then closes it for the CLI.
    const app = await startEvaluationApp(world, { dataDir });
    model = await seedCandidate(app, world, { evalJsonl: sftRows(['What is our refund window?', 'Who approves travel?']) });
    await app.close();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('explains its commands and refuses bad input with exit code 2 naming it', SLOW, async () => {
    const [help, limit, unknown] = await Promise.all([
      triad(['eval', 'run', '--help']),
      triad(['eval', 'run', '--model', 'x@y', '--limit', '0']),
      triad(['eval', 'report', 'not-a-run']),
    ]);
    expect(help.code).toBe(0);
    for (const flag of ['--model', '--candidate', '--limit']) expect(help.stdout).toContain(flag);
    expect(limit).toMatchObject({ code: 2, stderr: expect.stringMatching(/--limit must be a whole number from 1 to 1000, got '0'/) });
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/RUN must be an evaluation run id/) });
    const missing = await triad(['eval', 'run', '--model', 'acme-ml/nothing@abc']);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/--model acme-ml\/nothing@abc: no registered model version is called that/) });
  });

  it('runs an evaluation to its answers, judges it blind from piped lines, and reports it', SLOW, async () => {
    const version = `${model.name}@${model.version}`;
    const ran = await triad(['eval', 'run', '--model', version]);
    expect(ran.stderr).toContain(`evaluating ${version} against acme-ml/triad-company@${'b'.repeat(40)} on 2 eval examples`);
    expect(ran.code).toBe(0);
    const runId = ran.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ran.stderr).toContain(`judge them with: triad eval judge ${runId}`);

    // A wrong line is named and asked again; then a and t judge the two pairs.
    const judged = await triad(['eval', 'judge', runId], 'maybe\na\nt\n');
    expect(judged.code).toBe(0);
    expect(judged.stderr).toContain("'maybe' is not a verdict");
    expect(judged.stdout).toContain('user: What is our refund window?');
    expect(judged.stdout).toMatch(/\[a\] (Candidate answers at length|Serving says hello)/);
    expect(judged.stdout).toMatch(/overall: win rate \d+% \(95% interval \d+%–\d+%\), \d wins \/ \d losses \/ 1 ties of 2 judged/);

    const report = await triad(['eval', 'report', runId, '--json']);
    expect(report.code).toBe(0);
    const parsed = JSON.parse(report.stdout) as EvaluationReport;
    expect(parsed).toMatchObject({ runId, candidateModelId: model.id, tier: 'company', overall: { judged: 2, ties: 1 } });
    expect(parsed.overall.wins + parsed.overall.losses).toBe(1);

    const listed = await triad(['eval', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as Array<{ id: string; status: string }>)[0]).toMatchObject({ id: runId, status: 'completed' });
    expect(listed.stdout).not.toContain(HUB_TOKEN);
  });

  it('stops judging at the end of its input, keeping what was judged', SLOW, async () => {
    const ran = await triad(['eval', 'run', '--model', model.id, '--limit', '2']);
    const runId = ran.stdout.trim();
    const partly = await triad(['eval', 'judge', runId], 'b\n');
    expect(partly.code).toBe(0);
    expect(partly.stderr).toMatch(/stopped at the end of the input: 1 judged, 1 left/);
    const text = await triad(['eval', 'report', runId]);
    expect(text.stdout).toMatch(/of 1 judged/);
    expect(text.stderr).toMatch(/the run is judging: the report counts the 1 verdict\(s\) so far/);
  });
});
