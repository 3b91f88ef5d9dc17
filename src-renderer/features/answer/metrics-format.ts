import type { RouteAttempt } from '../../../src-shared/routing';
import type { FinishReason } from '../../../src-shared/stream-parts';
import { PROVIDER_LABELS, TIER_LABELS } from '../../common/tier-labels';
import type { AnswerState } from './answer-state';

const integer = new Intl.NumberFormat('en-US');

/** `850 ms`, `1.4 s`, `12 s`, `2 min 5 s`: precise where it matters, short where it does not. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1_000)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** `12 in · 48 out`, with `≈` when the provider did not count and the numbers are estimates. */
export function formatTokens(tokensIn: number | null, tokensOut: number | null, estimated: boolean): string {
  const n = (value: number | null) => (value === null ? '–' : `${estimated ? '≈' : ''}${integer.format(value)}`);
  return `${n(tokensIn)} in · ${n(tokensOut)} out`;
}

const FINISH_LABELS: Record<FinishReason, string> = {
  stop: 'complete',
  length: 'cut at the token limit',
  'content-filter': 'stopped by the content filter',
  aborted: 'stopped by you',
};

/** Why generation ended, in words. */
export function formatFinishReason(reason: FinishReason | null): string {
  return reason ? FINISH_LABELS[reason] : '–';
}

/**
 * The route an answer took, when it was more than one plain try: `Space acme/triad-company (failed, 3 tries)
 * → local qwen (served)`. Null for the ordinary case of one target answering at the first try.
 */
export function formatRoute(attempts: readonly RouteAttempt[]): string | null {
  if (attempts.length === 0) return null;
  if (attempts.length === 1 && attempts[0]!.outcome === 'served' && attempts[0]!.tries <= 1) return null;
  return attempts.map((a) => `${a.target} (${a.outcome}${a.tries > 1 ? `, ${a.tries} tries` : ''})`).join(' → ');
}

/** One labelled fact of the metadata line. */
export interface MetadataItem {
  label: string;
  value: string;
}

/**
 * The facts the metadata line under an answer shows: where it ran, on which model, how fast and how long.
 * Items appear as soon as they are known: routing while streaming, timings and tokens once finished.
 */
export function describeAnswerMetadata(answer: AnswerState): MetadataItem[] {
  const items: MetadataItem[] = [];
  if (answer.routing) {
    const { tier, provider, modelId, modelVersion } = answer.routing;
    items.push({ label: 'Tier', value: TIER_LABELS[tier] });
    items.push({ label: 'Provider', value: PROVIDER_LABELS[provider] });
    items.push({ label: 'Model', value: modelVersion && modelVersion !== modelId ? `${modelId} (${modelVersion})` : modelId });
  }
  if (answer.metrics) {
    const m = answer.metrics;
    items.push({ label: 'First token', value: formatDuration(m.ttftMs) });
    items.push({ label: 'Latency', value: formatDuration(m.latencyMs) });
    items.push({ label: 'Tokens', value: formatTokens(m.tokensIn, m.tokensOut, m.tokensEstimated) });
    items.push({ label: 'Finish', value: formatFinishReason(m.finishReason) });
    if (m.cacheHit) items.push({ label: 'Cache', value: 'answered from the response cache' });
    const route = formatRoute(m.attempts);
    if (route) items.push({ label: 'Route', value: route });
  }
  return items;
}
