import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { makeEntry } from '../store/support';
import { shuffled, simulateVotes } from '../leaderboard/simulated-votes';

const ROOT = join(import.meta.dirname, '../..');

/** Runs `triad` as a user would, in a child process. */
function triad(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/triad.mjs'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Each run starts Node and tsx, which takes seconds on a busy machine. */
const SLOW = { timeout: 180_000 };

const TRUTH = { 'company@acme-v2': 1120, 'base@qwen': 1000, 'abstraction@v1': 880 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'triad-leaderboard-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function voteFile(name: string, lines: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

function linesOf(votes: ReturnType<typeof simulateVotes>, company?: string) {
  return votes.map((v) => ({ a: v.models[0], b: v.models[1], winner: v.verdict === 'tie' ? 'tie' : v.winner === v.models[0] ? 'a' : 'b', ...(company ? { company } : {}) }));
}

describe('triad leaderboard', () => {
  it('rates the models of a votes file as JSON, the same for the same votes in any order', SLOW, async () => {
    const votes = simulateVotes(TRUTH, 900, { seed: 3, tieShare: 0.1 });
    const [first, again] = await Promise.all([
      triad(['leaderboard', '--votes', await voteFile('votes.jsonl', linesOf(votes)), '--json', '--seed', '7']),
      triad(['leaderboard', '--votes', await voteFile('shuffled.jsonl', linesOf(shuffled(votes, 9))), '--json', '--seed', '7']),
    ]);
    expect(first.code, first.stderr).toBe(0);
    const board = JSON.parse(first.stdout) as Array<{ model: string; rating: number; ci: [number, number]; votes: number; rank: number }>;
    expect(board.map((entry) => [entry.model, entry.rank])).toEqual([
      ['company@acme-v2', 1],
      ['base@qwen', 2],
      ['abstraction@v1', 3],
    ]);
    for (const entry of board) {
      expect(Object.keys(entry).sort()).toEqual(['ci', 'model', 'rank', 'rating', 'votes']);
      expect(entry.ci[0]).toBeLessThan(entry.rating);
      expect(entry.ci[1]).toBeGreaterThan(entry.rating);
      expect(Math.abs(entry.rating - TRUTH[entry.model as keyof typeof TRUTH])).toBeLessThan(40);
    }
    expect(board.reduce((sum, e) => sum + e.votes, 0)).toBe(1800);
    expect(again.stdout).toBe(first.stdout);
    expect(first.stderr).toMatch(/900 of 900 votes rated, 200 resamples, seed 7/);
  });

  it("prints a table, and one company's votes with --company", SLOW, async () => {
    const path = await voteFile('companies.jsonl', [
      ...linesOf(simulateVotes({ 'company@v1': 1200, 'base@v1': 800 }, 40, { seed: 1 }), 'acme'),
      ...linesOf(simulateVotes({ 'company@v1': 800, 'base@v1': 1200 }, 10, { seed: 2 }), 'beta'),
    ]);
    const acme = await triad(['leaderboard', '--votes', path, '--company', 'acme']);
    expect(acme.code, acme.stderr).toBe(0);
    const rows = acme.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^rank\s+model\s+rating\s+95% CI\s+votes$/);
    expect(rows.slice(1).map((row) => row.trim().split(/\s+/)[1])).toEqual(['company@v1', 'base@v1']);
    expect(rows[1]).toMatch(/\s40$/);
    const beta = await triad(['leaderboard', '--votes', path, '--company', 'beta']);
    expect(beta.stdout.trim().split('\n').slice(1).map((row) => row.trim().split(/\s+/).slice(1, 2)[0])).toEqual(['base@v1', 'company@v1']);
    expect(beta.stdout).toMatch(/10\s+preliminary/);
  });

  it('fails with exit code 2 naming the bad line, the bad option or the empty file', SLOW, async () => {
    const path = await voteFile('bad.jsonl', [{ a: 'x@1', b: 'y@1', winner: 'a' }, '', { a: 'x@1', b: 'y@1', winner: 'left' }]);
    const bad = await triad(['leaderboard', '--votes', path]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path}:3: winner: must be "a", "b", "tie" or "both_bad"`);
    expect(bad.stdout).toBe('');

    const same = await triad(['leaderboard', '--votes', await voteFile('same.jsonl', [{ a: 'x@1', b: 'x@1', winner: 'tie' }])]);
    expect([same.code, same.stderr]).toEqual([2, expect.stringContaining('same.jsonl:1: b: a and b name the same model')]);
    const notJson = await triad(['leaderboard', '--votes', await voteFile('broken.jsonl', ['{"a": "x@1",'])]);
    expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringContaining('broken.jsonl:1: not valid JSON')]);
    const empty = await triad(['leaderboard', '--votes', await voteFile('empty.jsonl', [''])]);
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining('empty.jsonl: no votes in it')]);
    const few = await triad(['leaderboard', '--votes', path, '--resamples', '50']);
    expect([few.code, few.stderr]).toEqual([2, expect.stringContaining('--resamples must be a whole number ≥ 200')]);
    const missing = await triad(['leaderboard', '--votes', join(dir, 'nope.jsonl')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('nope.jsonl: no such file')]);
  });

  it("rates the store's Compare votes in the app's data folder, and says when there are none", SLOW, async () => {
    const dataDir = join(dir, 'data');
    const store = await openStore({ backend: 'pglite', dataDir: join(dataDir, 'db') });
    try {
      const user = await store.directory.createUser({ displayName: 'Voter', role: 'admin' });
      for (let k = 0; k < 6; k++) {
        const base = makeEntry({ userId: user.id, tier: 'base', modelId: 'qwen2.5-0.5b', modelVersion: null });
        const company = makeEntry({ userId: user.id, tier: 'company', modelId: 'acme-space', modelVersion: 'acme-v2' });
        await store.requests.recordMany([base, company]);
        const verdict = k < 5 ? 'winner' : 'tie';
        await store.preferences.save({ userId: user.id, prompt: `Q${k}`, requestIds: [base.id, company.id], verdict, winnerRequestId: verdict === 'winner' ? company.id : null });
      }
    } finally {
      await store.close();
    }
    const rated = await triad(['--data-dir', dataDir, 'leaderboard', '--json']);
    expect(rated.code, rated.stderr).toBe(0);
    expect((JSON.parse(rated.stdout) as Array<{ model: string; votes: number; rank: number }>).map((e) => [e.model, e.votes])).toEqual([
      ['company@acme-v2', 6],
      ['base@qwen2.5-0.5b', 6],
    ]);
    expect(rated.stderr).toMatch(/preliminary rest on fewer than 20 votes/);

    const none = await triad(['--data-dir', dataDir, 'leaderboard', '--company', 'nobody', '--json']);
    expect([none.code, none.stdout.trim()]).toEqual([0, '[]']);
    expect(none.stderr).toContain("No Compare votes yet for company 'nobody'");
  });
});
