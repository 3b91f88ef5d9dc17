import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { DatasetSeed } from './seed';

/** `triad dataset …` as a user runs it: a child process on a data folder of its own, pushing to the Hub stand-in. */

const ROOT = join(import.meta.dirname, '../..');
const SLOW = { timeout: 180_000 };
let dir: string;
let hub: HubStandIn;

function triad(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/triad.mjs'), '--data-dir', join(dir, 'data'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN, TRIAD_CACHE_DIR: join(dir, 'cache'), ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'triad-dataset-cli-'));
  hub = await startHubStandIn();
  const store = await openStore({ backend: 'pglite', dataDir: join(dir, 'data', 'db') });
  try {
    await store.directory.createCompany({ slug: 'cli-co', name: 'Command Line Company' });
    const reviewer = await store.directory.createUser({ displayName: 'Rae Viewer', role: 'ml_lead' });
    const seed = new DatasetSeed(store, reviewer.id);
    for (const topic of ['refunds', 'shipping', 'warranty', 'sizes', 'gift cards', 'vouchers', 'pickup', 'recycling', 'repairs', 'rentals']) {
      await seed.label(await seed.answer('company', 'cli-co', `How do ${topic} work for Command Line Company customers?`, `Here is how ${topic} work.`), 'accepted');
    }
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('triad dataset', () => {
  it('builds a Company SFT dataset into --out and pushes it, data on stdout and progress on stderr', SLOW, async () => {
    const out = join(dir, 'out');
    const run = await triad(['dataset', 'build', '--tier', 'company', '--company', 'cli-co', '--kind', 'sft', '--out', out, '--push', 'cli-sft', '--seed', '3']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as { id: string; train: number; eval: number; repo: string; commit: string };
    const head = hub.repos.get('datasets/triad-ml/cli-sft')!.commits.at(-1)!;
    expect(result).toMatchObject({ train: 9, eval: 1, repo: 'triad-ml/cli-sft', commit: head.oid });
    expect(run.stderr).toContain(`built dataset ${result.id}: 9 train, 1 eval, written to ${out}`);
    expect(run.stderr).toContain(`pushed to triad-ml/cli-sft as commit ${head.oid}`);
    expect(run.stderr).toMatch(/push: 85% committing 3 files/);
    const train = await readFile(join(out, 'train.jsonl'), 'utf8');
    expect(train.trim().split('\n')).toHaveLength(9);
    expect(head.files.get('train.jsonl')!.content.toString()).toBe(train);
    expect(await readFile(join(out, 'README.md'), 'utf8')).toMatch(/^---\nlicense: other\n/);

    const listed = await triad(['dataset', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout.trim().split('\n')[0]!)).toMatchObject({ id: result.id, status: 'pushed', repo: 'triad-ml/cli-sft', commit: head.oid, train: 9, eval: 1 });
  });

  it('fails a push with a clear message and exit code 1, and `triad dataset push` retries it', SLOW, async () => {
    const failed = await triad(['dataset', 'build', '--tier', 'company', '--company', 'cli-co', '--kind', 'sft', '--push', 'retried'], { HF_TOKEN: 'hf_revoked_token_value' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/triad: pushing the dataset to retried: checking the token: the Hub refused the Hugging Face token \(401\)/);
    expect(failed.stderr).not.toContain('hf_revoked_token_value');
    const id = /built dataset ([0-9a-f-]{36})/.exec(failed.stderr)![1]!;

    const retried = await triad(['dataset', 'push', id, 'retried']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout)).toEqual({ id, repo: 'triad-ml/retried', commit: hub.repos.get('datasets/triad-ml/retried')!.commits.at(-1)!.oid });
  });

  it('refuses bad input with exit code 2 naming what was wrong', SLOW, async () => {
    const [noCompany, badRepo, empty, help] = await Promise.all([
      triad(['dataset', 'build', '--tier', 'company', '--kind', 'sft']),
      triad(['dataset', 'build', '--tier', 'base', '--kind', 'sft', '--push', 'a/b/c']),
      triad(['dataset', 'build', '--tier', 'abstraction', '--kind', 'dpo']),
      triad(['dataset', 'push', '--help']),
    ]);
    expect([noCompany.code, noCompany.stderr.trim()]).toEqual([2, 'triad: --company: a Company dataset needs a company']);
    expect(badRepo.code).toBe(2);
    expect(badRepo.stderr).toContain("--push: 'a/b/c' must be a Hub repo name");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('triad: no DPO dataset of the abstraction tier is left after filtering: 0 answered request(s) and 0 Compare vote(s) read');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: triad dataset push [options] <id> <repo>');
  });
});
