import { describe, expect, it } from 'vitest';
import { buildLeaderboard, buildLeaderboardInSlices } from '../../src-main/leaderboard/leaderboard';
import { votesOfCompany } from '../../src-main/leaderboard/rated-vote';
import { shuffled, simulateVotes, times, vote } from './simulated-votes';

const TRUTH = { 'base@qwen-0.5b': 1150, 'company@acme-v2': 1075, 'company@acme-v1': 1000, 'abstraction@v1': 925, 'base@tiny': 850 };

function ratingOf(board: ReturnType<typeof buildLeaderboard>, model: string): number {
  return board.entries.find((entry) => entry.model === model)!.rating;
}

describe('Bradley–Terry leaderboard', () => {
  it('recovers the strengths votes were drawn from, best first, each within its interval', () => {
    const board = buildLeaderboard(simulateVotes(TRUTH, 4000, { seed: 7 }));
    expect(board.entries.map((entry) => entry.model)).toEqual(Object.keys(TRUTH));
    for (const [model, truth] of Object.entries(TRUTH)) {
      const entry = board.entries.find((e) => e.model === model)!;
      expect(Math.abs(entry.rating - truth), model).toBeLessThan(25);
      expect(entry.ci[0]).toBeLessThan(truth);
      expect(entry.ci[1]).toBeGreaterThan(truth);
    }
    // Centred: the mean rating is the 1000 anchor.
    expect(board.entries.reduce((sum, e) => sum + e.rating, 0) / board.entries.length).toBeCloseTo(1000, 6);
    expect(board.entries.reduce((sum, e) => sum + e.votes, 0)).toBe(2 * 4000);
  });

  it('has 95% intervals that cover the true rating about 95% of the time', () => {
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const board = buildLeaderboard(simulateVotes(TRUTH, 400, { seed: 100 + seed }), { seed });
      for (const entry of board.entries) {
        total++;
        const truth = TRUTH[entry.model as keyof typeof TRUTH];
        if (entry.ci[0] <= truth && truth <= entry.ci[1]) covered++;
      }
    }
    // 40 intervals: 95% coverage gives 38 on average; fewer than 33 would mean the intervals are too narrow.
    expect(covered / total).toBeGreaterThanOrEqual(0.82);
    expect(covered).toBeLessThan(total + 1);
  });

  it('narrows the intervals as votes accumulate', () => {
    const few = buildLeaderboard(simulateVotes(TRUTH, 300, { seed: 3 }));
    const many = buildLeaderboard(simulateVotes(TRUTH, 3000, { seed: 3 }));
    const width = (board: typeof few) => board.entries.reduce((sum, e) => sum + e.ci[1] - e.ci[0], 0);
    expect(width(many)).toBeLessThan(width(few) / 2);
  });

  it('counts a tie as half a win each way', () => {
    const withWins = [...times(3, () => vote('x@1', 'y@1', 'a')), vote('x@1', 'y@1', 'b')];
    const withTies = [...times(2, () => vote('x@1', 'y@1', 'a')), ...times(2, () => vote('x@1', 'y@1', 'tie'))];
    const a = buildLeaderboard(withWins, { resamples: 0 });
    const b = buildLeaderboard(withTies, { resamples: 0 });
    expect(ratingOf(b, 'x@1')).toBeCloseTo(ratingOf(a, 'x@1'), 9);
    expect(b.entries[0]).toMatchObject({ model: 'x@1', wins: 3, losses: 1, votes: 4 });
    expect(b.winMatrix.cells[0]![1]).toEqual({ wins: 3, battles: 4, share: 0.75 });

    const allTies = buildLeaderboard(times(10, () => vote('x@1', 'y@1', 'tie')), { resamples: 0 });
    expect(ratingOf(allTies, 'x@1')).toBeCloseTo(1000, 9);
    expect(ratingOf(allTies, 'y@1')).toBeCloseTo(1000, 9);
  });

  it('counts "all bad" as a tie by default, and can leave it out', () => {
    const votes = [...times(4, () => vote('x@1', 'y@1', 'a')), ...times(4, () => vote('x@1', 'y@1', 'both_bad'))];
    const asTie = buildLeaderboard(votes, { resamples: 0 });
    const left = buildLeaderboard(votes, { resamples: 0, bothBad: 'omit' });
    expect(asTie.entries[0]).toMatchObject({ model: 'x@1', wins: 6, losses: 2, votes: 8 });
    expect(left.entries[0]).toMatchObject({ model: 'x@1', wins: 4, losses: 0, votes: 4 });
    expect(left.ratedVotes).toBe(4);
    expect(left.notice).toMatch(/4 "all bad" votes are left out/);
    expect(ratingOf(left, 'x@1')).toBeGreaterThan(ratingOf(asTie, 'x@1'));
  });

  it('with three answers, lets the winner beat both others and leaves the losers uncompared', () => {
    const board = buildLeaderboard([{ models: ['a@1', 'b@1', 'c@1'], verdict: 'winner', winner: 'b@1', company: null, at: null }], { resamples: 0 });
    const cell = (row: string, column: string) => board.winMatrix.cells[board.winMatrix.models.indexOf(row)]![board.winMatrix.models.indexOf(column)]!;
    expect(cell('b@1', 'a@1')).toEqual({ wins: 1, battles: 1, share: 1 });
    expect(cell('b@1', 'c@1')).toEqual({ wins: 1, battles: 1, share: 1 });
    expect(cell('a@1', 'c@1')).toEqual({ wins: 0, battles: 0, share: null });
    expect(board.entries.map((e) => e.votes)).toEqual([1, 1, 1]);
  });

  it('gives the same numbers for the same votes in any order', () => {
    const votes = simulateVotes(TRUTH, 600, { seed: 11, tieShare: 0.2 });
    const board = buildLeaderboard(votes);
    expect(buildLeaderboard(shuffled(votes, 1))).toEqual(board);
    expect(buildLeaderboard(shuffled(votes, 2).map((v) => ({ ...v, models: [...v.models].reverse() })))).toEqual(board);
  });

  it('is deterministic for a seed, and the seed moves only the intervals', () => {
    const votes = simulateVotes(TRUTH, 300, { seed: 5 });
    const one = buildLeaderboard(votes, { seed: 42 });
    expect(buildLeaderboard(votes, { seed: 42 })).toEqual(one);
    const other = buildLeaderboard(votes, { seed: 43 });
    expect(other.entries.map((e) => e.rating)).toEqual(one.entries.map((e) => e.rating));
    expect(other.entries.map((e) => e.ci)).not.toEqual(one.entries.map((e) => e.ci));
    expect(other.method).toMatchObject({ seed: 43, resamples: 200 });
  });

  it('ranks from interval overlap: models whose intervals overlap share a rank', () => {
    const truth = { 'top@1': 1300, 'mid@1': 1000, 'mid@2': 995, 'low@1': 700 };
    const board = buildLeaderboard(simulateVotes(truth, 2000, { seed: 9 }));
    const rank = Object.fromEntries(board.entries.map((e) => [e.model, e.rank]));
    expect(rank).toEqual({ 'top@1': 1, 'mid@1': 2, 'mid@2': 2, 'low@1': 4 });
    for (const entry of board.entries) {
      expect(entry.rank).toBe(1 + board.entries.filter((other) => other.ci[0] > entry.ci[1]).length);
    }
  });

  it('marks models with fewer votes than the threshold as preliminary', () => {
    const votes = [...times(30, () => vote('x@1', 'y@1', 'a')), ...times(5, () => vote('x@1', 'z@1', 'tie'))];
    const board = buildLeaderboard(votes);
    expect(Object.fromEntries(board.entries.map((e) => [e.model, [e.votes, e.preliminary]]))).toEqual({
      'x@1': [35, false],
      'y@1': [30, false],
      'z@1': [5, true],
    });
    expect(board.notice).toMatch(/fewer than 20 votes/);
    expect(buildLeaderboard(votes, { preliminaryBelow: 5 }).entries.every((e) => !e.preliminary)).toBe(true);
  });

  it('keeps a model that never lost, or never won, finite and in order', () => {
    const votes = [
      ...times(10, () => vote('winner@1', 'mid@1', 'a')),
      ...times(6, () => vote('mid@1', 'loser@1', 'a')),
      ...times(4, () => vote('loser@1', 'mid@1', 'a')),
      ...times(5, () => vote('winner@1', 'never@1', 'a')),
    ];
    const board = buildLeaderboard(votes);
    expect(board.entries[0]).toMatchObject({ model: 'winner@1', rank: 1, losses: 0 });
    // Beaten five times only by the strongest, "never" may stand above "loser", who lost to a weaker one.
    expect(board.entries.find((e) => e.model === 'never@1')).toMatchObject({ wins: 0, losses: 5 });
    for (const entry of board.entries) {
      expect(Number.isFinite(entry.rating)).toBe(true);
      expect(entry.ci.every(Number.isFinite)).toBe(true);
    }
  });

  it('rates two models that met once, and says when there is nothing to rate', () => {
    const one = buildLeaderboard([vote('x@1', 'y@1', 'a')]);
    // Resampling one vote always draws it again: the intervals have no width, hence "preliminary".
    expect(one.entries.map((e) => [e.model, e.votes, e.preliminary, e.ci[1] - e.ci[0]])).toEqual([
      ['x@1', 1, true, 0],
      ['y@1', 1, true, 0],
    ]);
    expect(one.entries[0]!.rating).toBeGreaterThan(one.entries[1]!.rating);

    const none = buildLeaderboard([]);
    expect(none).toMatchObject({ entries: [], totalVotes: 0, ratedVotes: 0, notice: 'No Compare votes yet: vote in Compare to rank the tiers.' });
    expect(buildLeaderboard([], { company: 'acme' }).notice).toMatch(/for company 'acme'/);
    expect(buildLeaderboard([vote('x@1', 'y@1', 'both_bad')], { bothBad: 'omit' }).notice).toMatch(/None of the 1 votes can be rated/);
    expect(buildLeaderboard([], { unrated: 2 }).notice).toMatch(/2 compared answers that are no longer in the log/);
  });

  it('rates each company on its own votes', () => {
    const acme = simulateVotes({ 'company@v1': 1100, 'base@v1': 900 }, 300, { seed: 1, company: 'acme' });
    const beta = simulateVotes({ 'company@v1': 850, 'base@v1': 1150 }, 300, { seed: 2, company: 'beta' });
    const all = [...acme, ...beta];
    const order = (company: string | null) => buildLeaderboard(votesOfCompany(all, company), { company }).entries.map((e) => [e.model, e.votes]);
    expect(order('acme')).toEqual([['company@v1', 300], ['base@v1', 300]]);
    expect(order('beta')).toEqual([['base@v1', 300], ['company@v1', 300]]);
    expect(buildLeaderboard(votesOfCompany(all, null)).entries.map((e) => e.votes)).toEqual([600, 600]);
    expect(buildLeaderboard(votesOfCompany(all, 'acme'), { company: 'acme' }).company).toBe('acme');
  });

  it('lets timers run while a large leaderboard is computed in slices, with the same numbers', async () => {
    const votes = simulateVotes(TRUTH, 5000, { seed: 21 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let ticksWhenDone = 0;
    const sliced = await buildLeaderboardInSlices(votes).finally(() => {
      ticksWhenDone = ticks;
      clearInterval(timer);
    });
    expect(ticksWhenDone).toBeGreaterThan(0);
    expect(sliced).toEqual(buildLeaderboard(votes));
  });

  it('refuses too few resamples, naming the option', () => {
    expect(() => buildLeaderboard([], { resamples: 50 })).toThrow(/resamples must be 0 or a whole number from 200/);
    expect(() => buildLeaderboard([], { seed: 1.5 })).toThrow(/seed must be a whole number/);
  });

  it('plots the ratings at the end of each day, each point fitted on the votes before it', () => {
    const day = (d: number, hour = 12) => new Date(Date.UTC(2026, 10, d, hour));
    const votes = [
      ...times(3, () => vote('x@1', 'y@1', 'a', day(1))),
      ...times(6, () => vote('x@1', 'y@1', 'b', day(3))),
      vote('x@1', 'z@1', 'tie', day(3, 23)),
    ];
    const { history } = buildLeaderboard(shuffled(votes, 4), { resamples: 0 });
    expect(history.step).toBe('day');
    expect(history.points.map((p) => [p.at, p.votes, Object.keys(p.ratings).sort()])).toEqual([
      ['2026-11-02T00:00:00.000Z', 3, ['x@1', 'y@1']],
      ['2026-11-04T00:00:00.000Z', 10, ['x@1', 'y@1', 'z@1']],
    ]);
    expect(history.points[0]!.ratings['x@1']).toBeGreaterThan(history.points[0]!.ratings['y@1']!);
    expect(history.points[1]!.ratings['x@1']).toBeLessThan(history.points[1]!.ratings['y@1']!);
  });

  it('steps by week over a long span, at most 100 points', () => {
    const votes = simulateVotes(TRUTH, 1500, { seed: 2 }).map((v, k) => ({ ...v, at: new Date(Date.UTC(2024, 0, 1) + k * 86_400_000) }));
    const { history } = buildLeaderboard(votes, { resamples: 0 });
    expect(history.step).toBe('week');
    expect(history.points.length).toBe(100);
    expect(history.points.at(-1)!.votes).toBe(1500);
    expect(new Date(history.points[0]!.at).getUTCDay()).toBe(1); // weeks end on Monday 00:00 UTC
  });
});
