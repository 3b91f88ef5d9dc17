import { describe, expect, it } from 'vitest';
import { drawBlindOrder } from '../../src-main/evaluation/answer-pair';
import { parseEvalSplit } from '../../src-main/evaluation/eval-split';
import { percentile, tally, wilsonInterval } from '../../src-main/evaluation/evaluation-report';
import { fromBlindVerdict, toBlindVerdict } from '../../src-main/evaluation/evaluation-views';

describe('the evaluation report', () => {
  it('gives the Wilson 95% interval, inside [0, 1] even at a perfect score', () => {
    // Reference values (Wilson score interval, z = 1.96): 8 of 10 → [0.490, 0.943]; 5 of 5 → [0.566, 1].
    const eight = wilsonInterval(8, 10)!;
    expect(eight.low).toBeCloseTo(0.4902, 3);
    expect(eight.high).toBeCloseTo(0.9433, 3);
    const perfect = wilsonInterval(5, 5)!;
    expect(perfect.low).toBeCloseTo(0.5655, 3);
    expect(perfect.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
    // More verdicts, a narrower interval around the same rate.
    const many = wilsonInterval(80, 100)!;
    expect(many.high - many.low).toBeLessThan(eight.high - eight.low);
  });

  it('counts verdicts from the candidate side, a tie as half a win', () => {
    expect(tally(['candidate', 'candidate', 'serving', 'tie'])).toMatchObject({ judged: 4, wins: 2, losses: 1, ties: 1, winRate: 2.5 / 4 });
    expect(tally([])).toEqual({ judged: 0, wins: 0, losses: 0, ties: 0, winRate: null, interval: null });
  });

  it('reads p50 and p95 by nearest rank', () => {
    const latencies = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(percentile(latencies, 0.5)).toBe(100);
    expect(percentile(latencies, 0.95)).toBe(190);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('blind order', () => {
  it('is drawn per item from the seed: the same seed the same order, and both orders occur', () => {
    const order = drawBlindOrder(42, 200);
    expect(drawBlindOrder(42, 200)).toEqual(order);
    expect(drawBlindOrder(43, 200)).not.toEqual(order);
    const candidateFirst = order.filter(Boolean).length;
    expect(candidateFirst).toBeGreaterThan(70);
    expect(candidateFirst).toBeLessThan(130);
  });

  it('maps a letter back to the side it stood for, and back again', () => {
    for (const candidateFirst of [true, false]) {
      const item = { candidateFirst };
      for (const letter of ['a', 'b', 'tie'] as const) expect(toBlindVerdict(item, fromBlindVerdict(item, letter))).toBe(letter);
    }
    expect(fromBlindVerdict({ candidateFirst: true }, 'a')).toBe('candidate');
    expect(fromBlindVerdict({ candidateFirst: false }, 'a')).toBe('serving');
  });
});

describe('the eval split', () => {
  it('takes an SFT row up to its last assistant turn and a DPO row as its prompt, the rest as references', () => {
    const text = [
      JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello.' }], source: 'accepted', request_ids: ['r1'] }),
      '',
      JSON.stringify({ prompt: 'Which is better?', chosen: 'This one.', rejected: 'That one.', source: 'vote', request_ids: ['r2', 'r3'] }),
    ].join('\n');
    expect(parseEvalSplit(text, 'acme/ds@1')).toEqual([
      { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }], reference: 'Hello.', requestIds: ['r1'] },
      { messages: [{ role: 'user', content: 'Which is better?' }], reference: 'This one.', requestIds: ['r2', 'r3'] },
    ]);
    expect(() => parseEvalSplit('{"messages": []', 'acme/ds@1')).toThrow(/acme\/ds@1 eval\.jsonl line 1: not JSON/);
    expect(() => parseEvalSplit('{"messages": [{"role": "assistant", "content": "x"}], "source": "a", "request_ids": []}', 'acme/ds@1')).toThrow(/line 1: the example has no user turn/);
  });
});
