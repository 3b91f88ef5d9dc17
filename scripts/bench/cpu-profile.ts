/**
 * CPU profiling for the benchmarks, through the inspector (the same profile `node --cpu-prof` writes), so a
 * profile covers only the measured phase and not start-up or the other tables.
 */
import { writeFile } from 'node:fs/promises';
import { Session, type Profiler } from 'node:inspector/promises';

/** Runs `work` under the CPU profiler and writes the profile to `file` (open it in Chrome DevTools). */
export async function profileCpu<T>(file: string, work: () => Promise<T>): Promise<{ result: T; profile: Profiler.Profile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await writeFile(file, JSON.stringify(profile));
  return { result, profile };
}

/** The `count` frames with the most self time, as markdown table rows with their share of the samples. */
export function topSelfTime(profile: Profiler.Profile, count: number): string[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = nodes.get(samples[i]!)!.callFrame;
    const where = frame.url ? ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    const delta = deltas[i] ?? 0;
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    total += delta;
  }
  const rows = [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, count);
  return ['| self time | frame |', '| ---: | --- |', ...rows.map(([key, time]) => `| ${((100 * time) / total).toFixed(1)}% | \`${key}\` |`)];
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(src-main|src-shared|scripts)\//, '$1/');
}
