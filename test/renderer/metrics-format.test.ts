import { describe, expect, it } from 'vitest';
import { describeAnswerMetadata, formatDuration, formatRoute, formatTokens } from '../../src-renderer/features/answer/metrics-format';
import { foldStreamParts, pendingAnswer } from '../../src-renderer/features/answer/answer-state';
import { answerParts, ids } from './support/fake-triad-client';

describe('formatting answer metrics', () => {
  it('formats durations for reading at a glance', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(42.4)).toBe('42 ms');
    expect(formatDuration(1_234)).toBe('1.2 s');
    expect(formatDuration(12_600)).toBe('13 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('formats token counts, marking estimates', () => {
    expect(formatTokens(1200, 48, false)).toBe('1,200 in · 48 out');
    expect(formatTokens(12, 48, true)).toBe('≈12 in · ≈48 out');
    expect(formatTokens(null, null, false)).toBe('– in · – out');
  });

  it('describes the route only when it was more than one plain try', () => {
    expect(formatRoute([{ target: 'local tiny', provider: 'local', outcome: 'served', reason: 'answered', tries: 1 }])).toBeNull();
    expect(
      formatRoute([
        { target: 'Space acme/triad-company', provider: 'huggingface', outcome: 'failed', reason: 'HTTP 503', tries: 3 },
        { target: 'local tiny', provider: 'local', outcome: 'served', reason: 'answered', tries: 1 },
      ]),
    ).toBe('Space acme/triad-company (failed, 3 tries) → local tiny (served)');
  });

  it('lists routing while streaming and every metric once finished', () => {
    const parts = answerParts(ids.request, ['a', 'b']);
    const streaming = foldStreamParts(pendingAnswer(), parts.slice(0, 2));
    expect(describeAnswerMetadata(streaming).map((i) => i.label)).toEqual(['Tier', 'Provider', 'Model']);
    const done = foldStreamParts(streaming, parts.slice(2));
    expect(Object.fromEntries(describeAnswerMetadata(done).map((i) => [i.label, i.value]))).toEqual({
      Tier: 'Company',
      Provider: 'Local model',
      Model: 'tiny.gguf (q4)',
      'First token': '42 ms',
      Latency: '1.2 s',
      Tokens: '10 in · 2 out',
      Finish: 'complete',
    });
  });
});
