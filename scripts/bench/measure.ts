import { readFileSync } from 'node:fs';

/** Latency samples and the numbers the benchmark reports from them. */
export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  perSecond: number;
  /** CPU time of the main thread per run, µs (NaN where Linux's schedstat is not available). */
  mainThreadCpuUs: number;
  /** CPU time of the whole process (every thread, PGlite's worker included) per run, µs. */
  processCpuUs: number;
}

/**
 * CPU time the calling thread has run, in ns, from Linux's schedstat (Node 20 has no per-thread CPU clock).
 * Unlike wall-clock throughput, it does not grow when other processes share the cores.
 */
function threadCpuNs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/** Starts counting CPU; the returned function gives µs per run for `runs` runs. */
function cpuMeter(): (runs: number) => { mainThreadCpuUs: number; processCpuUs: number } {
  const thread = threadCpuNs();
  const process0 = process.cpuUsage();
  return (runs) => {
    const used = process.cpuUsage(process0);
    return { mainThreadCpuUs: (threadCpuNs() - thread) / 1000 / runs, processCpuUs: (used.user + used.system) / runs };
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Runs `task` `total` times with `concurrency` in flight, after `warmup` untimed runs, and returns the
 * latency of each run in milliseconds with the throughput. `settle`, when given, runs after the last task
 * and inside the CPU count but outside latency and throughput: for the facade, delivering the log rows the
 * answers left behind, whose main-thread work belongs to those answers. It also runs after the warm-up, so
 * the warm-up's rows are not counted.
 */
export async function runLoad(task: () => Promise<void>, options: { total: number; concurrency: number; warmup: number; settle?: () => Promise<void> }): Promise<LatencyStats> {
  for (let i = 0; i < options.warmup; i++) await task();
  await options.settle?.();
  const samples: number[] = [];
  let started = 0;
  const cpu = cpuMeter();
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
  await options.settle?.();
  const used = cpu(samples.length);
  samples.sort((a, b) => a - b);
  return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: (samples.length / elapsed) * 1000, ...used };
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');

/**
 * Open-loop load: starts `task` at a steady `perSecond` (as real users do, whatever the previous answers are
 * doing), with at most `maxInFlight` at once, for `total` runs. Latency is measured from the scheduled start,
 * so time spent waiting for a free slot counts.
 */
export async function runSteadyRate(task: () => Promise<void>, options: { total: number; perSecond: number; maxInFlight: number; settle?: () => Promise<void> }): Promise<LatencyStats & { maxObservedInFlight: number }> {
  const samples: number[] = [];
  const interval = 1000 / options.perSecond;
  const cpu = cpuMeter();
  const begin = performance.now();
  let inFlight = 0;
  let maxObservedInFlight = 0;
  const slots: Array<() => void> = [];
  const runs: Promise<void>[] = [];
  for (let i = 0; i < options.total; i++) {
    const scheduled = begin + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    runs.push(
      (async () => {
        while (inFlight >= options.maxInFlight) await new Promise<void>((resolve) => slots.push(resolve));
        inFlight++;
        maxObservedInFlight = Math.max(maxObservedInFlight, inFlight);
        try {
          await task();
        } finally {
          inFlight--;
          slots.shift()?.();
        }
        samples.push(performance.now() - scheduled);
      })(),
    );
  }
  await Promise.all(runs);
  const elapsed = performance.now() - begin;
  await options.settle?.();
  const used = cpu(samples.length);
  samples.sort((a, b) => a - b);
  return { count: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: (samples.length / elapsed) * 1000, maxObservedInFlight, ...used };
}

/** The machine's CPU time so far, in ticks, and how much of it was stolen (see {@link stealShareSince}). */
export function readCpuTicks(): { steal: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { steal: fields[7] ?? 0, total };
  } catch {
    return undefined;
  }
}

/**
 * Steal time: the share of the machine's CPU time since `since` that the hypervisor gave to other guests, from
 * /proc/stat; 'n/a' where there is none. On a shared VM it says how much of a slow row is the host's doing.
 */
export function stealShareSince(since: ReturnType<typeof readCpuTicks>): string {
  const now = readCpuTicks();
  if (!since || !now || now.total === since.total) return 'n/a';
  return `${((100 * (now.steal - since.steal)) / (now.total - since.total)).toFixed(0)}%`;
}
