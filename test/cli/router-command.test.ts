import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_OPERATOR_ID, SAMPLE_COMPANY } from '../../src-main/config/embedded-defaults';
import { openStore } from '../../src-main/store/open-store';
import type { RouterStatus, TierRouterView } from '../../src-shared/router-contract';
import { storeSyntheticVotes } from '../router/support';

const ROOT = join(import.meta.dirname, '../..');
/** Each run starts Node, tsx and the embedded store, which takes seconds on a busy machine. */
const SLOW = { timeout: 180_000 };
const company = SAMPLE_COMPANY.slug;

let dataDir: string;

/** Runs `triad` as an ML lead would, on its own data folder. */
function triad(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/triad.mjs'), '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Votes recorded into the data folder's store while no `triad` runs on it (one process at a time). */
async function addVotes(votes: number, seed: number): Promise<void> {
  const store = await openStore({ backend: 'pglite', dataDir: join(dataDir, 'db') });
  try {
    await storeSyntheticVotes(store, { userId: LOCAL_OPERATOR_ID, company, votes, seed });
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'triad-router-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('triad router', () => {
  it('explains itself, and refuses a share out of range with exit code 2 before opening the data', SLOW, async () => {
    const [help, trainHelp, share] = await Promise.all([triad(['router', '--help']), triad(['router', 'train', '--help']), triad(['router', 'train', '--company', company, '--max-share', '30'])]);
    expect(help.code).toBe(0);
    for (const verb of ['train', 'status', 'evaluate']) expect(help.stdout).toContain(verb);
    expect(trainHelp.stdout).toContain('--max-share');
    expect(share).toMatchObject({ code: 2, stderr: expect.stringContaining("--max-share must be a share between 0 and 1 (0.3 for 30%), got '30'") });
  });

  it('refuses too few votes naming the number needed, then trains, shows and evaluates the router', { timeout: 420_000 }, async () => {
    // The first run makes the embedded store with its local operator and demo companies.
    const empty = await triad(['router', 'status', '--json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect((JSON.parse(empty.stdout) as RouterStatus).companies.find((c) => c.slug === company)).toMatchObject({ router: null });

    await addVotes(30, 41);
    const tooFew = await triad(['router', 'train', '--company', company]);
    expect(tooFew).toMatchObject({ code: 2, stderr: expect.stringContaining(`needs at least 40 votes between company and base for ${company}, has 30`) });

    await addVotes(110, 42);
    const trained = await triad(['router', 'train', '--company', company, '--max-share', '0.4', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/trained on 140 votes and 0 thumbs: at most 40% to the company tier, threshold 0\.\d{3}/);
    const router = JSON.parse(trained.stdout) as TierRouterView;
    expect(router).toMatchObject({ company, targetShare: 0.4, voteCounts: { votes: 140 } });
    expect(router).not.toHaveProperty('model');

    const [status, table] = [await triad(['router', 'status', '--json']), await triad(['router', 'status'], { TRIAD_ROUTER_LEARNED: 'true' })];
    expect((JSON.parse(status.stdout) as RouterStatus).companies.find((c) => c.slug === company)!.router).toEqual(router);
    expect(table.stdout.split('\n')[0]).toBe('learned routing is on (router.learned, environment; TRIAD_ROUTER_LEARNED overrides)');
    expect(table.stdout).toMatch(new RegExp(`^${company}\\s+40%\\s+0\\.\\d{3}\\s+140\\s+\\d{4}-`, 'm'));

    const evaluated = await triad(['router', 'evaluate', '--company', company, '--max-share', '0.4']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const lines = evaluated.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^held out \d+ of 140 votes \(seed 1\), AUC 0\.\d\d$/);
    expect(lines[1]).toMatch(/^\s*target\s+to company\s+agrees\s+random\s+threshold$/);
    expect(lines.filter((l) => l.endsWith('← chosen'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^\s*rules\s+100%\s+\d+%$/);
  });
});
