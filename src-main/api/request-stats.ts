import type { RequestStats, VersionRequestStats } from '../../src-shared/deploy-contract';
import type { RequestLogEntry } from '../store/repositories';

/** How many of the newest requests the dashboard reads: a day of one team's use, without paging the whole log. */
export const REQUEST_STATS_READ_LIMIT = 5_000;
const DAY_MS = 24 * 3600_000;

const versionOf = (entry: RequestLogEntry) => entry.modelVersion ?? entry.modelId ?? 'unknown model';

/** The value below which `share` of the sorted values fall (nearest rank). */
function percentile(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

/** The last 24 hours of requests per tier and model version: count, errors, p50 / p95 latency of the answered ones. */
export function requestStats(entries: readonly RequestLogEntry[], now: number, readLimit = REQUEST_STATS_READ_LIMIT): RequestStats {
  const since = now - DAY_MS;
  const groups = new Map<string, { entry: RequestLogEntry; requests: number; errors: number; latencies: number[] }>();
  for (const entry of entries) {
    // Refused requests never reached a model: they say nothing about a version.
    if (entry.createdAt.getTime() < since || entry.tier === null || entry.status === 'rejected') continue;
    const version = versionOf(entry);
    const key = `${entry.tier}\u0000${entry.provider ?? ''}\u0000${version}`;
    const group = groups.get(key) ?? { entry, requests: 0, errors: 0, latencies: [] };
    group.requests += 1;
    if (entry.status === 'error') group.errors += 1;
    if (entry.status === 'ok') group.latencies.push(entry.latencyMs);
    groups.set(key, group);
  }
  const versions = [...groups.values()].map(({ entry, requests, errors, latencies }): VersionRequestStats => {
    const sorted = latencies.sort((a, b) => a - b);
    return { tier: entry.tier!, modelVersion: versionOf(entry), provider: entry.provider, requests, errors, p50LatencyMs: percentile(sorted, 0.5), p95LatencyMs: percentile(sorted, 0.95) };
  });
  versions.sort((a, b) => a.tier.localeCompare(b.tier) || b.requests - a.requests);
  const oldest = entries.at(-1);
  return { since: new Date(since).toISOString(), versions, truncated: entries.length >= readLimit && oldest !== undefined && oldest.createdAt.getTime() >= since };
}
