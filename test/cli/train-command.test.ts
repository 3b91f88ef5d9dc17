import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubJobs, trainingScript, type HubJobs } from '../support/hub/jobs-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';

const ROOT = join(import.meta.dirname, '../..');
const TOKEN = 'hf_cli_training_token_42';
/** Each run starts Node, tsx and the embedded store, which takes seconds on a busy machine. */
const SLOW = { timeout: 180_000 };

describe('triad train and triad runs', () => {
  let dataDir: string;
  let hub: HubServer;
  let jobs: HubJobs;

  /** Runs `triad` as an ML lead would, against the Hub stand-in, on its own data folder. */
  function triad(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin/triad.mjs'), '--data-dir', dataDir, ...args],
        { cwd: ROOT, env: { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, NO_COLOR: '1' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  const LAUNCH = ['train', '--dataset', 'acme-ml/company-sft@0123456789abcdef', '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--kind', 'sft', '--flavor', 'a10g-small', '--tier', 'company'];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'triad-train-cli-'));
    hub = await startHubServer((shared) => [(jobs = createHubJobs(shared.accounts, shared.rateLimit))]);
  });
  afterAll(async () => {
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('explains every option, and refuses bad input with exit code 2 naming it', SLOW, async () => {
    // Only the last one opens the data folder (one process at a time), so these run side by side.
    const [help, missing, timeout, dataset] = await Promise.all([
      triad(['train', '--help']),
      triad(['train', '--dataset', 'acme-ml/ds@abc', '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--flavor', 'a10g-small', '--tier', 'company']),
      triad([...LAUNCH, '--timeout', '5s']),
      triad([...LAUNCH.slice(0, 2), 'not-a-repo', ...LAUNCH.slice(3)]),
    ]);
    expect(help.code).toBe(0);
    for (const flag of ['--dataset', '--base-model', '--kind', '--flavor', '--tier', '--timeout', '--wait']) expect(help.stdout).toContain(flag);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/--kind <kind>' not specified/) });
    expect(timeout).toMatchObject({ code: 2, stderr: expect.stringMatching(/--timeout must be a duration of at least a minute/) });
    expect(dataset).toMatchObject({ code: 2, stderr: expect.stringMatching(/dataset: must be owner\/name@revision/) });
    expect(jobs.created).toEqual([]);
  });

  it('follows a run to its registered model with --wait, and lists it in triad runs', SLOW, async () => {
    const launched = await triad([...LAUNCH, '--wait', '--json']);
    expect(launched.stderr).toMatch(/launched [0-9a-f-]{36}: job [0-9a-f]{24} on a10g-small \(\$1\.00\/h\)/);
    expect(launched.stderr).toMatch(/registered acme-ml\/triad-company-sft-01234567@[0-9a-f]{40}/);
    expect(launched.code).toBe(0);
    const run = JSON.parse(launched.stdout) as { id: string; stage: string; progress: unknown[]; costUsd: number };
    expect(run).toMatchObject({ stage: 'registered', progress: expect.any(Array) });
    expect(run.costUsd).toBeGreaterThan(0);
    expect(launched.stdout).not.toContain(TOKEN);

    const listed = await triad(['runs', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ id: string; stage: string }>)[0]).toMatchObject({ id: run.id, stage: 'registered' });
  });

  it('exits 1 with the reason when the job fails', SLOW, async () => {
    jobs.scriptJobs((body) => ({ ...trainingScript(body), lines: [{ atMs: 0, line: 'ValueError: dataset has no train split' }], end: 'ERROR', message: 'Job failed with exit code: 1' }));
    const failed = await triad([...LAUNCH, '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/ended ERROR: the job failed: Job failed with exit code: 1; last lines: ValueError: dataset has no train split/);
  });
});
