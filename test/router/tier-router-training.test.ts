import { describe, expect, it } from 'vitest';
import { TriadError } from '../../src-shared/errors';
import { ROUTER_DEFAULTS } from '../../src-shared/router-contract';
import { calibrateThreshold } from '../../src-main/router/calibration';
import { routerExamples, THUMBS_WEIGHT } from '../../src-main/router/router-examples';
import { loadRouter, StoredRouterModelSchema } from '../../src-main/router/tier-router-model';
import { trainRouter } from '../../src-main/router/train-router';
import type { RouterTrainingSources, TierRouterRecord } from '../../src-main/store/repositories';
import { syntheticRouterSources } from '../../scripts/bench/router-synthetic-votes';

function refusalOf(run: () => unknown): TriadError {
  try {
    run();
  } catch (error) {
    if (TriadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

function asRecord(trained: ReturnType<typeof trainRouter>): TierRouterRecord {
  return { ...trained.record, id: '00000000-0000-4000-8000-000000000001', trainedBy: '00000000-0000-4000-8000-000000000002', trainedAt: new Date() };
}

describe('calibrating the threshold to a share', () => {
  it('sends at most the share of the scores to the strong tier, ties included', () => {
    const scores = [0.9, 0.8, 0.8, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
    for (const share of [0, 0.1, 0.2, 0.3, 0.45, 0.5, 1]) {
      const threshold = calibrateThreshold(scores, share);
      const sent = scores.filter((s) => s >= threshold).length;
      expect(sent, `share ${share}`).toBeLessThanOrEqual(Math.floor(share * scores.length));
    }
    // 0.3 allows three; the three tied at 0.8 cannot all go, so only 0.9 does.
    expect(scores.filter((s) => s >= calibrateThreshold(scores, 0.3))).toEqual([0.9]);
    expect(scores.filter((s) => s >= calibrateThreshold(scores, 0.4))).toEqual([0.9, 0.8, 0.8, 0.8]);
    expect(calibrateThreshold(scores, 1)).toBe(0);
  });
});

describe('labels from votes and thumbs', () => {
  it('counts a tie for the cheaper tier, leaves out both-bad and other tiers, and weighs thumbs lower', () => {
    const sources: RouterTrainingSources = {
      votes: [
        { id: 'v1', prompt: 'our contract?', verdict: 'winner', winnerRequestId: 'c1', createdAt: new Date(), answers: [{ requestId: 'b1', tier: 'base' }, { requestId: 'c1', tier: 'company' }] },
        { id: 'v2', prompt: 'a haiku', verdict: 'tie', winnerRequestId: null, createdAt: new Date(), answers: [{ requestId: 'c2', tier: 'company' }, { requestId: 'b2', tier: 'base' }] },
        { id: 'v3', prompt: 'x', verdict: 'both_bad', winnerRequestId: null, createdAt: new Date(), answers: [{ requestId: 'c3', tier: 'company' }, { requestId: 'b3', tier: 'base' }] },
        { id: 'v4', prompt: 'y', verdict: 'winner', winnerRequestId: 'a4', createdAt: new Date(), answers: [{ requestId: 'a4', tier: 'abstraction' }, { requestId: 'b4', tier: 'base' }] },
      ],
      thumbs: [
        { requestId: 'r1', tier: 'base', prompt: 'our lane?', thumbs: -1, createdAt: new Date() },
        { requestId: 'r2', tier: 'company', prompt: 'a poem', thumbs: -1, createdAt: new Date() },
        { requestId: 'r3', tier: 'abstraction', prompt: 'peers?', thumbs: 1, createdAt: new Date() },
      ],
    };
    const { examples, counts } = routerExamples(sources);
    expect(counts).toEqual({ votes: 2, strongWins: 1, weakWins: 0, ties: 1, bothBad: 1, otherVotes: 1, thumbs: 2 });
    expect(examples.map((e) => [e.prompt, e.strongWins, e.weight])).toEqual([
      ['our contract?', 1, 1],
      ['a haiku', 0, 1],
      ['our lane?', 1, THUMBS_WEIGHT],
      ['a poem', 0, THUMBS_WEIGHT],
    ]);
  });
});

describe('training a router', () => {
  it('refuses too few votes, saying how many it needs and has', () => {
    const error = refusalOf(() => trainRouter(syntheticRouterSources({ votes: 14, seed: 1, bothBadShare: 0.2 }), { company: 'acme' }));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^needs at least 40 votes between company and base for acme, has \d+ \(not counted: \d+ both bad\)$/);
  });

  it('refuses votes that all go one way', () => {
    const sources = syntheticRouterSources({ votes: 60, seed: 2 });
    for (const vote of sources.votes) {
      vote.verdict = 'winner';
      vote.winnerRequestId = vote.answers.find((a) => a.tier === 'company')!.requestId;
    }
    expect(refusalOf(() => trainRouter(sources, { company: 'acme' })).message).toBe(
      'the 60 votes between company and base for acme are nearly all one way (company won 60, base won or tied 0): a router needs at least 5 of each to learn which questions need the company tier',
    );
  });

  it('is deterministic: the same votes in another order give the same router', () => {
    const sources = syntheticRouterSources({ votes: 120, thumbs: 40, seed: 3 });
    const first = trainRouter(sources, { company: 'acme', maxShare: 0.3 });
    const reversed = trainRouter({ votes: [...sources.votes].reverse(), thumbs: [...sources.thumbs].reverse() }, { company: 'acme', maxShare: 0.3 });
    expect(reversed.record.threshold).toBeCloseTo(first.record.threshold, 9);
    expect(reversed.metrics).toEqual(first.metrics);
    const prompt = sources.votes[0]!.prompt;
    expect(reversed.scorer.score(prompt)).toBeCloseTo(first.scorer.score(prompt), 9);
  });

  it('learns which prompts need the company tier, and sends at most the chosen share there', () => {
    const sources = syntheticRouterSources({ votes: 800, thumbs: 200, seed: 4 });
    const trained = trainRouter(sources, { company: 'acme', maxShare: 0.3 });
    const mean = (family: string) => {
      const scores = sources.votes.filter((v) => v.family === family).map((v) => trained.scorer.score(v.prompt));
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    expect(mean('company')).toBeGreaterThan(mean('mixed'));
    expect(mean('mixed')).toBeGreaterThan(mean('general'));

    const prompts = [...new Set([...sources.votes.map((v) => v.prompt), ...sources.thumbs.map((t) => t.prompt!)])];
    const sent = prompts.filter((p) => trained.scorer.score(p) >= trained.record.threshold).length;
    expect(sent / prompts.length).toBeLessThanOrEqual(0.3);
    expect(sent / prompts.length).toBeGreaterThan(0.2);

    // Held out: better than chance at telling the two apart, and better than a random router at the same share.
    expect(trained.metrics.heldOutVotes).toBeGreaterThan(100);
    expect(trained.metrics.auc!).toBeGreaterThan(0.65);
    const atChosen = trained.metrics.points.find((p) => p.targetShare === 0.3)!;
    expect(atChosen.agreement).toBeGreaterThan(atChosen.randomAgreement);
    expect(trained.metrics.rules.strongShare).toBe(1);
    expect(trained.metrics.points.map((p) => p.targetShare)).toEqual([...ROUTER_DEFAULTS.evaluationShares]);
  });

  it('stores a model that loads and scores as the trained one; a damaged one is refused naming the router', () => {
    const trained = trainRouter(syntheticRouterSources({ votes: 100, seed: 5 }), { company: 'acme' });
    expect(StoredRouterModelSchema.safeParse(trained.record.model).success).toBe(true);
    const loaded = loadRouter(asRecord(trained));
    if ('error' in loaded) throw new Error(loaded.error);
    expect(loaded.score('What does our contract with Nordhafen say?')).toBe(trained.scorer.score('What does our contract with Nordhafen say?'));
    const damaged = loadRouter({ ...asRecord(trained), model: { ...trained.record.model, weights: 'none' } });
    expect(damaged).toEqual({ error: expect.stringMatching(/^router of 'acme' \(00000000-0000-4000-8000-000000000001\) cannot be read: /) });
  });
});
