/**
 * `npx tsx scripts/bench/leaderboard-bench.ts`: how long the leaderboard takes to compute (issue 8 §2).
 *  1. buildLeaderboard alone (fit + 200 bootstrap resamples + ratings over time) on votes simulated from a
 *     known Bradley–Terry model, for several numbers of votes and models; median of 5 runs;
 *  2. the whole read the Leaderboard page makes: listVotes from PGlite, then the fit, on 10,000 stored votes.
 * Also how far the fitted ratings are from the true ones. Not a test: it asserts nothing, it measures.
 */
import { cpus, loadavg } from 'node:os';
import { buildLeaderboard } from '../../src-main/leaderboard/leaderboard';
import { leaderboardFromStore } from '../../src-main/leaderboard/store-leaderboard';
import { openStore } from '../../src-main/store/open-store';
import type { RequestLogEntry } from '../../src-main/store/repositories';
import { simulateVotes } from '../../test/leaderboard/simulated-votes';
import { makeEntry } from '../../test/store/support';

function truthOf(models: number): Record<string, number> {
  // Evenly spread from 1200 down to 800.
  return Object.fromEntries(Array.from({ length: models }, (_, i) => [`tier${i}@v${i}`, 1200 - (400 * i) / Math.max(models - 1, 1)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(work: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(1)} at start\n`);
console.log('| votes | models | fit + 200 resamples + history, median of 5 | largest |rating − truth| |');
console.log('| ---: | ---: | ---: | ---: |');
for (const [votes, models] of [
  [1_000, 5],
  [10_000, 5],
  [10_000, 10],
  [100_000, 10],
] as const) {
  const truth = truthOf(models);
  // No ties: ties drawn regardless of strength would pull the ratings together, and the truth column would measure that.
  const simulated = simulateVotes(truth, votes, { seed: votes + models });
  const runs: number[] = [];
  let worst = 0;
  for (let run = 0; run < 5; run++) {
    const { ms, value } = await timed(() => buildLeaderboard(simulated));
    runs.push(ms);
    worst = Math.max(...value.entries.map((e) => Math.abs(e.rating - truth[e.model]!)));
  }
  console.log(`| ${votes.toLocaleString('en')} | ${models} | ${median(runs).toFixed(0)} ms | ${worst.toFixed(1)} |`);
}

// The page's whole read on PGlite (in memory): 10,000 votes between two tiers' models, 20,000 logged requests.
const store = await openStore({ backend: 'pglite' });
const user = await store.directory.createUser({ displayName: 'Bench', role: 'admin' });
const stored = 10_000;
const pending: RequestLogEntry[] = [];
const votes: Array<{ ids: [string, string]; winner: number }> = [];
for (let k = 0; k < stored; k++) {
  const base = makeEntry({ userId: user.id, tier: 'base', modelVersion: 'qwen' });
  const company = makeEntry({ userId: user.id, tier: 'company', modelVersion: 'acme-v2' });
  pending.push(base, company);
  votes.push({ ids: [base.id, company.id], winner: k % 3 === 0 ? 0 : 1 });
}
for (let i = 0; i < pending.length; i += 1_000) await store.requests.recordMany(pending.slice(i, i + 1_000));
for (const vote of votes) {
  await store.preferences.save({ userId: user.id, prompt: 'Which?', requestIds: vote.ids, verdict: 'winner', winnerRequestId: vote.ids[vote.winner]! });
}
const reads: number[] = [];
const whole: number[] = [];
for (let run = 0; run < 5; run++) {
  reads.push((await timed(() => store.preferences.listVotes({}))).ms);
  whole.push((await timed(() => leaderboardFromStore(store.preferences))).ms);
}
await store.close();
console.log(`\nPGlite, ${stored.toLocaleString('en')} stored votes: listVotes ${median(reads).toFixed(0)} ms, listVotes + leaderboard ${median(whole).toFixed(0)} ms (median of 5)`);
console.log(`load average ${loadavg()[0]!.toFixed(1)} at the end`);
