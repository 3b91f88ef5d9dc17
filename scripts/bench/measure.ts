/** Latency samples and the numbers the benchmark reports from them. */
export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  perSecond: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Runs `task` `total` times with `concurrency` in flight, after `warmup` untimed runs, and returns the
 * latency of each run in milliseconds with the throughput.
 */
export async function runLoad(task: () => Promise<void>, options: { total: number; concurrency: number; warmup: number }): Promise<LatencyStats> {
  for (let i = 0; i < options.warmup; i++) await task();
  const samples: number[] = [];
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < options.total) {
      started++;
      const t0 = performance.now();
      await task();
      samples.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = performance.now() - begin;
  samples.sort((a, b) => a - b);
  return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: (samples.length / elapsed) * 1000 };
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
