/**
 * `npm run bench`: the gateway benchmark of the reliability issue. Prints a markdown report:
 *  1. facade overhead over direct calls to the same no-delay upstream with the same client, at 1, 64 and 256
 *     concurrent streams (added p50/p99 latency, requests/s);
 *  2. response-cache hit latency;
 *  3. request-log throughput into PGlite and PostgreSQL, and the facade's latency with and without a
 *     background logging load at that rate.
 * The upstream runs in its own process. Not a test: it asserts nothing, it measures. Each table is printed as
 * soon as it is measured, with the machine's load average beside it (on a shared machine that says which
 * rows other work may have distorted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createAppServices, type AppServices } from '../../src-main/app-services';
import { RequestLogWriter } from '../../src-main/logging/request-log-writer';
import { SpaceChatModel } from '../../src-main/llm/providers/huggingface/space-chat-model';
import { openSqlStore, openStore, type SqlStore } from '../../src-main/store/open-store';
import type { RequestLogEntry } from '../../src-main/store/repositories';
import { startPostgresServer } from '../../test/support/postgres-server';
import { ms, readCpuTicks, runLoad, runSteadyRate, stealShareSince, type LatencyStats } from './measure';
import { profileCpu, topSelfTime } from './cpu-profile';

const TOKEN = 'hf_benchmarkTokenABCDEFGHIJKLMNOP';
const quick = process.argv.includes('--quick');
/** `--profile FILE`: instead of the report, profile the facade at a closed loop of 64 and print its top frames. */
const profileIndex = process.argv.indexOf('--profile');
const profileFile = profileIndex > 0 ? process.argv[profileIndex + 1] : undefined;
/** `--cpu-only`: only the in-memory CPU table (seconds, not minutes; for comparing two builds on a busy machine). */
const cpuOnly = process.argv.includes('--cpu-only');
/** `--logging-only`: only the table of latency while logging 5,000 extra requests/s. */
const loggingOnly = process.argv.includes('--logging-only');
/** `--throughput-only`: only the table of request-log throughput. */
const throughputOnly = process.argv.includes('--throughput-only');

async function startUpstream(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/stub-upstream-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the stub upstream exited with ${code}`)));
  });
  return { url: line.trim(), process: child };
}

async function startFacade(upstreamUrl: string): Promise<AppServices> {
  const services = await createAppServices({
    store: { backend: 'pglite' },
    cacheDir: mkdtempSync(join(tmpdir(), 'triad-bench-')),
    env: { ...process.env, TRIAD_PROVIDER: 'huggingface', HF_TOKEN: TOKEN },
    logDestination: join(tmpdir(), 'triad-bench.log'),
    logLevel: 'warn',
  });
  const unlimited = { capacity: 10_000_000, refillPerMinute: 100_000_000 };
  await services.settings.set('limits', { perUser: unlimited, perTier: { base: unlimited, company: unlimited, abstraction: unlimited } });
  // One target, no fallback: the facade's own work is what is measured.
  await services.settings.set('routing', { strategies: { base: { mode: 'single', target: { provider: 'huggingface', space: 'tier' } } } });
  await services.store.spaces.upsert({ spaceName: 'bench/triad-base', spaceType: 'base', apiEndpoint: upstreamUrl, isActive: true, modelVersion: 'v1' });
  return services;
}

let ticksAtLastLine = readCpuTicks();
/** The load average as `uptime` prints it and the steal time since the last such line, under each table. */
function loadLine(): string {
  const steal = stealShareSince(ticksAtLastLine);
  ticksAtLastLine = readCpuTicks();
  return `load average (1, 5, 15 min) after this table: ${loadavg().map((l) => l.toFixed(2)).join(', ')}; CPU time stolen by the hypervisor meanwhile: ${steal}`;
}

/** Delivers the log rows the answers so far left behind: counted in the CPU per answer, not in its latency. */
function settleLog(services: AppServices): () => Promise<void> {
  return () => services.requestLog.flush();
}

function facadeTask(services: AppServices, cache: 'default' | 'bypass') {
  const messages = [{ role: 'user', content: 'Say hello to the team' }];
  return async () => {
    const input = { requestId: randomUUID(), messages, context: { userId: services.localOperator.id }, cache };
    for await (const part of services.facade.stream(input)) {
      if (part.type === 'error') throw new Error(`${part.error.code}: ${part.error.message}`);
    }
  };
}

function directTask(upstreamUrl: string) {
  const model = new SpaceChatModel({ spaceName: 'bench/triad-base', endpointUrl: upstreamUrl, modelVersion: 'v1', getToken: async () => TOKEN, idleTimeoutMs: 60_000 });
  const call = { messages: [{ role: 'user' as const, content: 'Say hello to the team' }], params: {} };
  return async () => {
    for await (const part of model.stream(call, new AbortController().signal)) void part;
  };
}

/**
 * The stub upstream's answer as SSE events, served by a replacement of the global fetch: no socket and no
 * other process, so the CPU a run uses is the client's and the facade's own, and nothing else on the
 * machine can add to it (on a shared machine, wall-clock throughput cannot say that).
 */
function inMemoryUpstream(): typeof fetch {
  const model = 'stub-model-2026-01-01';
  const event = (body: object) => new TextEncoder().encode(`data: ${JSON.stringify({ id: 'chatcmpl-stub', object: 'chat.completion.chunk', created: 0, model, ...body })}\n\n`);
  const events = [
    event({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
    ...['The', ' quick', ' brown', ' fox', ' jumps'].map((content) => event({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
    event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
    event({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } }),
    new TextEncoder().encode('data: [DONE]\n\n'),
  ];
  return async () =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (const chunk of events) controller.enqueue(chunk);
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
}

/**
 * Main-thread CPU per answer, direct and through the facade, with the upstream in memory. Direct and facade
 * runs alternate in rounds and each column is the median of its rounds (the added CPU is the median of the
 * rounds' differences): on this shared VM the speed drifts by 2× within minutes, and one long run of each
 * side measured the drift as much as the facade.
 */
async function inMemoryCpuRows(services: AppServices, upstreamUrl: string): Promise<string[]> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = inMemoryUpstream();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  try {
    const rows: string[] = [];
    for (const concurrency of [1, 64]) {
      const rounds = quick ? 3 : 9;
      const total = quick ? 1_000 : 2_000;
      const settle = settleLog(services);
      const direct = directTask(upstreamUrl);
      const facade = facadeTask(services, 'bypass');
      await runLoad(direct, { total: 0, concurrency, warmup: 500 });
      await runLoad(facade, { total: 0, concurrency, warmup: 500, settle });
      const d: LatencyStats[] = [];
      const f: LatencyStats[] = [];
      for (let round = 0; round < rounds; round++) {
        d.push(await runLoad(direct, { total, concurrency, warmup: 0 }));
        f.push(await runLoad(facade, { total, concurrency, warmup: 0, settle }));
      }
      const of = (runs: LatencyStats[], key: 'mainThreadCpuUs' | 'processCpuUs' | 'perSecond') => median(runs.map((run) => run[key]));
      const added = median(f.map((run, i) => run.mainThreadCpuUs - d[i]!.mainThreadCpuUs));
      const ratio = median(f.map((run, i) => run.perSecond / d[i]!.perSecond));
      rows.push(`| ${concurrency} | ${of(d, 'mainThreadCpuUs').toFixed(1)} | ${of(f, 'mainThreadCpuUs').toFixed(1)} | **${added.toFixed(1)}** | ${of(d, 'processCpuUs').toFixed(1)} | ${of(f, 'processCpuUs').toFixed(1)} | ${of(d, 'perSecond').toFixed(0)} | ${of(f, 'perSecond').toFixed(0)} | ${ratio.toFixed(2)} |`);
    }
    return rows;
  } finally {
    globalThis.fetch = realFetch;
  }
}

function syntheticEntry(userId: string): RequestLogEntry {
  const now = new Date();
  return {
    id: randomUUID(),
    conversationId: null,
    userId,
    companySlug: null,
    requestedTier: 'auto',
    tier: 'base',
    provider: 'huggingface',
    modelId: 'bench/triad-base',
    modelVersion: 'v1',
    routingReason: 'general question, no company context',
    status: 'ok',
    errorCode: null,
    errorMessage: null,
    finishReason: 'stop',
    ttftMs: 3.2,
    latencyMs: 4.1,
    tokensIn: 12,
    tokensOut: 5,
    createdAt: now,
    completedAt: now,
    prompt: { id: randomUUID(), content: 'Say hello to the team '.repeat(20) },
    answer: { id: randomUUID(), content: 'The quick brown fox jumps '.repeat(40) },
    routeAttempts: [{ target: 'Space bench/triad-base', provider: 'huggingface', outcome: 'served', reason: 'answered', tries: 1 }],
    cacheHit: false,
  };
}

/** Entries per second through the batched writer into a store, for a burst of `count`. */
async function loggingThroughput(label: string, store: Awaited<ReturnType<typeof openStore>>, count: number, hosted?: SqlStore['openRequestLog']): Promise<string> {
  const userId = (await store.directory.createUser({ displayName: 'Bench', role: 'analyst' })).id;
  const onMainThread = new RequestLogWriter({ target: store.requests, queueDir: mkdtempSync(join(tmpdir(), 'triad-bench-queue-')), logger: console });
  // The app's embedded store runs the writer in PGlite's worker thread; the main thread's writer is what a server has.
  const writer = hosted ? await hosted({ queueDir: mkdtempSync(join(tmpdir(), 'triad-bench-queue-')), logger: console, fallback: onMainThread }) : onMainThread;
  const entries = Array.from({ length: count }, () => syntheticEntry(userId));
  const t0 = performance.now();
  for (const entry of entries) void writer.record(entry);
  await writer.flush();
  // What the worker could not take in time went to the main thread's writer: it counts only once written too.
  await onMainThread.flush();
  const seconds = (performance.now() - t0) / 1000;
  await writer.close();
  await onMainThread.close();
  return `| ${label} | ${count.toLocaleString('en')} | ${(count / seconds).toFixed(0)} |`;
}

/** The request-log throughput table. */
async function throughputRows(): Promise<string[]> {
  const lines: string[] = [];
  lines.push('', '### Request-log throughput (batched writer, entries with a 340-character prompt and a 1,040-character answer)', '');
  lines.push('| store | entries | logged/s |', '| --- | ---: | ---: |');
  const count = quick ? 5_000 : 20_000;
  const pglite = await openStore({ backend: 'pglite' });
  lines.push(await loggingThroughput('PGlite (in memory), writer on the main thread', pglite, count));
  await pglite.close();
  const embedded = await openSqlStore({ backend: 'pglite' });
  lines.push(await loggingThroughput('PGlite (in memory), writer in its worker thread (the app)', embedded.store, count, embedded.openRequestLog));
  await embedded.store.close();
  const server = await startPostgresServer();
  const postgres = await openStore({ backend: 'postgres', connectionString: server.url });
  lines.push(await loggingThroughput('PostgreSQL 15 (local server)', postgres, count));
  await postgres.close();
  await server.stop();
  return lines;
}

/**
 * Records synthetic entries at `perSecond` into the app's own writer until stopped. Each tick writes what is
 * due since the start, so a tick that runs late (a busy main thread) catches up and the rate is kept.
 */
function backgroundLogging(services: AppServices, perSecond: number): { stop(): Promise<{ written: number; perSecond: number }> } {
  let written = 0;
  const start = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) * perSecond) / 1000);
    for (; written < due; written++) void services.requestLog.record(syntheticEntry(services.localOperator.id));
  }, 20);
  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - start) / 1000;
      await services.requestLog.flush();
      return { written, perSecond: written / seconds };
    },
  };
}

function row(label: string, concurrency: number, direct: LatencyStats, facade: LatencyStats): string {
  return `| ${label} | ${concurrency} | ${ms(direct.p50)} | ${ms(facade.p50)} | **${ms(facade.p50 - direct.p50)}** | ${ms(direct.p99)} | ${ms(facade.p99)} | **${ms(facade.p99 - direct.p99)}** | ${direct.perSecond.toFixed(0)} | ${facade.perSecond.toFixed(0)} | ${(facade.perSecond / direct.perSecond).toFixed(2)} |`;
}

function cpuRow(concurrency: number, direct: LatencyStats, facade: LatencyStats): string {
  const us = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
  return `| ${concurrency} | ${us(direct.mainThreadCpuUs)} | ${us(facade.mainThreadCpuUs)} | **${us(facade.mainThreadCpuUs - direct.mainThreadCpuUs)}** | ${us(direct.processCpuUs)} | ${us(facade.processCpuUs)} | ${us(facade.processCpuUs - direct.processCpuUs)} |`;
}

/** The facade's latency at a closed loop of 64 with and without 5,000 extra requests/s being logged. */
async function loggingLatencyRows(services: AppServices): Promise<string[]> {
  const lines: string[] = [];
  const viaFacade = facadeTask(services, 'bypass');
  const settle = settleLog(services);
  lines.push('### Facade latency while logging 5,000 extra requests/s (concurrency 64, ms)', '');
  lines.push('| background logging | p50 | p99 | req/s | entries logged | most entries in memory | spilled to disk |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const total = quick ? 500 : 5_000;
  const quiet = await watchingTheLog(services, () => runLoad(viaFacade, { total, concurrency: 64, warmup: 100, settle }));
  lines.push(`| none | ${ms(quiet.p50)} | ${ms(quiet.p99)} | ${quiet.perSecond.toFixed(0)} | ${quiet.count} | ${quiet.mostInMemory} | ${quiet.spilled} |`);
  const busyRun = () =>
    watchingTheLog(services, async () => {
      const load = backgroundLogging(services, 5_000);
      const stats = await runLoad(viaFacade, { total, concurrency: 64, warmup: 0 });
      return { ...stats, extra: await load.stop() };
    });
  // With --profile, the main thread is profiled while the log is busy, and its top frames follow the table.
  const profiled = profileFile ? await profileCpu(profileFile, busyRun) : undefined;
  const busy = profiled ? profiled.result : await busyRun();
  lines.push(`| 5,000/s | ${ms(busy.p50)} | ${ms(busy.p99)} | ${busy.perSecond.toFixed(0)} | ${busy.count + busy.extra.written} (${busy.extra.perSecond.toFixed(0)} extra/s) | ${busy.mostInMemory} | ${busy.spilled} |`);
  if (profiled) lines.push('', `Main thread while logging 5,000 extra requests/s (profile in ${profileFile}):`, '', ...topSelfTime(profiled.profile, 25));
  return lines;
}

/** The benchmark's report: every table of docs/benchmarks.md's gateway section, printed table by table. */
async function fullReport(services: AppServices, upstreamUrl: string): Promise<string[]> {
  const lines: string[] = [];
  const settle = settleLog(services);
  /** Prints what is measured so far (a run cut short still leaves its tables) with the load average. */
  const print = () => {
    console.log([...lines.splice(0), '', loadLine()].join('\n'));
  };
  lines.push(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ' (--quick)' : ''}`);
  lines.push('', '### Facade overhead (streamed answers from a no-delay local upstream, ms)', '');
  lines.push('| run | concurrency | direct p50 | facade p50 | added p50 | direct p99 | facade p99 | added p99 | direct req/s | facade req/s | facade ÷ direct |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const cpuRows: string[] = [];
  const direct = directTask(upstreamUrl);
  const viaFacade = facadeTask(services, 'bypass');
  for (const concurrency of [1, 64, 256]) {
    const total = quick ? Math.max(300, concurrency * 4) : Math.max(3_000, concurrency * 40);
    const warmup = quick ? 50 : 300;
    const d = await runLoad(direct, { total, concurrency, warmup, settle });
    const f = await runLoad(viaFacade, { total, concurrency, warmup, settle });
    lines.push(row('facade vs direct', concurrency, d, f));
    cpuRows.push(cpuRow(concurrency, d, f));
    console.error(`overhead at ${concurrency}: done`);
  }

  lines.push('', '### CPU per streamed answer (µs; the main thread from Linux schedstat, the process from process.cpuUsage)', '');
  lines.push('| concurrency | direct, main thread | facade, main thread | **added, main thread** | direct, process | facade, process (PGlite worker included) | added, process |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...cpuRows);
  print();

  lines.push('', '### Facade overhead at a steady request rate (open loop, up to 64 streams in flight, ms)', '');
  lines.push('| run | rate req/s | direct p50 | facade p50 | added p50 | direct p99 | facade p99 | added p99 | most in flight (facade) |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const perSecond of [100, 400]) {
    const total = quick ? perSecond * 2 : perSecond * 10;
    const d = await runSteadyRate(direct, { total, perSecond, maxInFlight: 64, settle });
    const f = await runSteadyRate(viaFacade, { total, perSecond, maxInFlight: 64, settle });
    lines.push(`| facade vs direct | ${perSecond} | ${ms(d.p50)} | ${ms(f.p50)} | **${ms(f.p50 - d.p50)}** | ${ms(d.p99)} | ${ms(f.p99)} | **${ms(f.p99 - d.p99)}** | ${f.maxObservedInFlight} |`);
    console.error(`steady ${perSecond}/s: done`);
  }

  print();
  lines.push('', '### Response cache hits (ms)', '');
  await facadeTask(services, 'default')();
  const hits = await runLoad(facadeTask(services, 'default'), { total: quick ? 1_000 : 10_000, concurrency: 1, warmup: 100, settle });
  lines.push('| requests | p50 | p99 | req/s |', '| ---: | ---: | ---: | ---: |', `| ${hits.count} | ${ms(hits.p50)} | ${ms(hits.p99)} | ${hits.perSecond.toFixed(0)} |`);
  print();
  console.error('cache hits: done');

  lines.push(...(await throughputRows()));
  print();
  console.error('request-log throughput: done');

  lines.push('', ...(await loggingLatencyRows(services)));
  print();
  console.error('latency while logging: done');

  // Last: while it runs the stub's keep-alive sockets sit idle and get closed; no later table reuses them.
  lines.push('', '### The facade\'s own CPU: upstream in memory (no socket, no other process; µs per streamed answer)', '');
  lines.push('| concurrency | direct, main thread | facade, main thread | **added, main thread** | direct, process | facade, process | direct req/s | facade req/s | facade ÷ direct |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...(await inMemoryCpuRows(services, upstreamUrl)));
  print();
  return [];
}

/** Runs `work` while sampling the request-log writer: the most entries it held in memory, and how many it spilled. */
async function watchingTheLog<T>(services: AppServices, work: () => Promise<T>): Promise<T & { mostInMemory: number; spilled: number }> {
  // `spilled` is optional so that this script also measures a build from before the writer had it.
  // Awaited: the writer's stats come from the PGlite worker now (an older build answers at once).
  const stats = async () => (await services.requestLog.stats()) as { pendingInMemory: number; spilled?: number };
  const spilledBefore = (await stats()).spilled ?? 0;
  let mostInMemory = 0;
  const timer = setInterval(() => void stats().then((now) => (mostInMemory = Math.max(mostInMemory, now.pendingInMemory))), 10);
  try {
    const result = await work();
    return { ...result, mostInMemory, spilled: ((await stats()).spilled ?? 0) - spilledBefore };
  } finally {
    clearInterval(timer);
  }
}

const upstream = await startUpstream();
const services = await startFacade(upstream.url);
// A run once ended silently after a table: Node exits when nothing (socket, timer, ref'd worker) keeps the
// event loop alive, even with a top-level await still waiting. Say so, with the request log writer's state
// (the PGlite worker is unref'd between calls, the writer's retry timer always), so that the cause shows.
let finished = false;
process.once('beforeExit', () => {
  if (finished) return;
  process.exitCode = 1;
  void services.requestLog.stats().then((stats) => console.error(`the bench stopped early: the event loop emptied while a table was being measured. Request log writer: ${JSON.stringify(stats)}`));
});
/** Profiles the facade alone at a closed loop of 64, upstream in memory, and lists its top frames. */
async function profileReport(services: AppServices, file: string): Promise<string[]> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = inMemoryUpstream();
  try {
    const viaFacade = facadeTask(services, 'bypass');
    await runLoad(viaFacade, { total: 0, concurrency: 64, warmup: 500 });
    const { result, profile } = await profileCpu(file, () => runLoad(viaFacade, { total: quick ? 2_000 : 10_000, concurrency: 64, warmup: 0 }));
    return [`facade at a closed loop of 64, upstream in memory: ${result.perSecond.toFixed(0)} answers/s under the profiler (profile: ${file})`, '', ...topSelfTime(profile, 30)];
  } finally {
    globalThis.fetch = realFetch;
  }
}

try {
  const lines = loggingOnly
    ? [...(await loggingLatencyRows(services)), '', loadLine()]
    : throughputOnly
    ? [...(await throughputRows()), '', loadLine()]
    : profileFile
      ? await profileReport(services, profileFile)
      : cpuOnly
      ? ['| concurrency | direct, main thread | facade, main thread | **added, main thread** | direct, process | facade, process | direct req/s | facade req/s | facade ÷ direct |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...(await inMemoryCpuRows(services, upstream.url))]
      : await fullReport(services, upstream.url);
  if (lines.length > 0) console.log(lines.join('\n'));
} finally {
  finished = true;
  await services.close();
  upstream.process.kill('SIGTERM');
}
