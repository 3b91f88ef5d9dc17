/**
 * `npm run bench:local`: the local provider against llama.cpp's own `llama-bench` (issue 11 §5).
 *
 * Both run the same GGUF (a random-weight file of Qwen2.5-0.5B-Instruct's architecture and shape, Q4_K_M,
 * written by write-random-gguf.py with llama.cpp's gguf-py and quantised by llama-quantize), on the same
 * threads, on the llama.cpp source node-llama-cpp ships (built by build-llama-cpp.sh into a cache folder).
 * The provider is measured through the app's own code: LlamaModelPool + LocalChatModel, as the facade calls it.
 *
 * Each pass runs llama-bench, then the provider, and the report gives the median of the passes, so that
 * the load of other work on a shared machine falls on both alike. Generation is also compared as CPU time per
 * token (llama-bench under /usr/bin/time, the provider by process.cpuUsage): other work delays a thread but
 * does not add to its CPU time, so that comparison holds on a busy machine where tokens/s does not. Prints a markdown report on stdout and
 * progress on stderr. Not a test: it asserts nothing, it measures.
 *
 *   npm run bench:local -- [--passes 3] [--threads N] [--context 4096] [--pp 512] [--tg 128]
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, homedir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { resolveChatWrapper } from 'node-llama-cpp';
import type { ChatMessage } from '../../src-shared/chat';
import { LlamaModelPool } from '../../src-main/llm/providers/local/llama-model-pool';
import { LocalChatModel } from '../../src-main/llm/providers/local/local-chat-model';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = process.env.TRIAD_BENCH_CACHE ?? join(homedir(), '.cache', 'triad-bench');
const MODEL_STEM = 'qwen2.5-0.5b-shape-random';
const TTFT_PROMPT_TOKENS = 200;

const { values: args } = parseArgs({
  options: {
    passes: { type: 'string', default: '3' },
    threads: { type: 'string' },
    context: { type: 'string', default: '4096' },
    pp: { type: 'string', default: '512' },
    tg: { type: 'string', default: '128' },
  },
});
const positive = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got '${raw}'`);
  return value;
};
const PASSES = positive('passes', args.passes)!;
const CONTEXT = positive('context', args.context)!;
const PP = positive('pp', args.pp)!;
const TG = positive('tg', args.tg)!;

const progress = (message: string) => process.stderr.write(`bench:local: ${message}\n`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Builds llama.cpp (if needed) and writes and quantises the model (if needed); both are cached. */
async function prepare(): Promise<{ bin: string; model: string; f16: string }> {
  progress('llama.cpp tools (built once into the cache; tens of minutes the first time)');
  const bin = await new Promise<string>((done, fail) => {
    const child = spawn('sh', [join(ROOT, 'scripts/bench/build-llama-cpp.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? done(out.trim().split('\n').at(-1)!) : fail(new Error(`build-llama-cpp.sh exited with ${code}`))));
  });
  mkdirSync(CACHE, { recursive: true });
  const f16 = join(CACHE, `${MODEL_STEM}-f16.gguf`);
  const model = join(CACHE, `${MODEL_STEM}-q4_k_m.gguf`);
  if (!existsSync(model)) {
    if (!existsSync(f16)) {
      progress(`writing the random-weight F16 GGUF (~1 GB) to ${f16}`);
      const corpus = [join(ROOT, 'README.md'), join(ROOT, 'docs/storage.md'), join(ROOT, 'docs/team-mode.md')];
      await run('python3', [join(ROOT, 'scripts/bench/write-random-gguf.py'), '--gguf-py', join(CACHE, 'llama.cpp/gguf-py'), '--out', f16, '--corpus', ...corpus], { maxBuffer: 1 << 24 });
    }
    progress(`quantising to Q4_K_M with llama-quantize: ${model}`);
    await run(join(bin, 'llama-quantize'), [f16, model, 'Q4_K_M'], { maxBuffer: 1 << 26 });
  }
  return { bin, model, f16 };
}

interface Rates {
  pp: number;
  tg: number;
}

/** llama-bench's own pp and tg tokens/s (one repetition: the passes give the median). */
async function llamaBench(bin: string, model: string, threads: number): Promise<Rates> {
  const { stdout } = await run(join(bin, 'llama-bench'), ['-m', model, '-t', String(threads), '-p', String(PP), '-n', String(TG), '-r', '1', '-o', 'json'], {
    maxBuffer: 1 << 24,
  });
  const rows = JSON.parse(stdout) as Array<{ n_prompt: number; n_gen: number; avg_ts: number }>;
  const pp = rows.find((r) => r.n_prompt > 0 && r.n_gen === 0);
  const tg = rows.find((r) => r.n_gen > 0 && r.n_prompt === 0);
  if (!pp || !tg) throw new Error(`llama-bench gave no pp/tg rows: ${stdout.slice(0, 400)}`);
  return { pp: pp.avg_ts, tg: tg.avg_ts };
}

/**
 * CPU seconds (user + system, all threads) of one `llama-bench` generation run of `tokens` tokens, model load
 * included, from /usr/bin/time. Two runs that differ only in `tokens` give the CPU time per generated token,
 * which other work on a shared machine delays but does not add to (wall-clock tokens/s it does).
 */
async function llamaBenchCpuSeconds(bin: string, model: string, threads: number, tokens: number): Promise<number> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'cpu-seconds %U %S', join(bin, 'llama-bench'), '-m', model, '-t', String(threads), '-p', '0', '-n', String(tokens), '-r', '1', '-o', 'json'], {
    maxBuffer: 1 << 24,
  });
  const match = /cpu-seconds ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (!match) throw new Error(`/usr/bin/time printed no CPU times: ${stderr.slice(-400)}`);
  return Number(match[1]) + Number(match[2]);
}

/** Time every thread of this process has run, and has waited runnable for a CPU, so far (Linux schedstat, ns). */
function threadTimes(): { runNs: number; waitNs: number } {
  let runNs = 0;
  let waitNs = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      runNs += run!;
      waitNs += wait!;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return { runNs, waitNs };
}

/**
 * CPU seconds (user + system, every thread of this process) that `work` took, and the seconds its threads
 * waited runnable for a CPU (taken by other work or the hypervisor), which wall-clock time includes.
 */
async function cpuSecondsOf<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number; waitSeconds: number }> {
  const before = process.cpuUsage();
  const threadsBefore = threadTimes();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuSeconds: (used.user + used.system) / 1e6, waitSeconds: (threadTimes().waitNs - threadsBefore.waitNs) / 1e9 };
}

interface CallTiming {
  firstTextMs: number;
  totalMs: number;
  inputTokens: number;
  outputTokens: number;
}

/** The local provider as the facade calls it. */
class ProviderUnderTest {
  readonly chat: LocalChatModel;

  constructor(
    readonly pool: LlamaModelPool,
    readonly model: string,
  ) {
    this.chat = new LocalChatModel(pool, MODEL_STEM, async () => model);
  }

  async call(messages: ChatMessage[], maxTokens: number): Promise<CallTiming> {
    const start = performance.now();
    let firstTextMs = Number.NaN;
    for await (const part of this.chat.stream({ messages, params: { maxTokens } }, new AbortController().signal)) {
      if (part.type === 'text-delta' && Number.isNaN(firstTextMs)) firstTextMs = performance.now() - start;
      if (part.type === 'finish') {
        if (!part.usage) throw new Error('the local provider reported no usage');
        return { firstTextMs, totalMs: performance.now() - start, ...part.usage };
      }
    }
    throw new Error('the local provider ended without a finish part');
  }

  /** A user message that tokenizes to `tokens` tokens with this model's tokenizer. */
  async userMessageOf(tokens: number): Promise<ChatMessage> {
    const { model } = await this.pool.load(this.model);
    const source = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/[^\x20-\x7e\n]/g, ' ');
    let text = source;
    while (model.tokenize(text).length < tokens) text += `\n${source}`;
    let cut = model.detokenize(model.tokenize(text).slice(0, tokens));
    // Detokenising and tokenising again can merge differently at the cut; trim until it fits exactly.
    while (model.tokenize(cut).length > tokens) cut = cut.slice(0, -1);
    return { role: 'user', content: cut };
  }
}

const seconds = (ms: number) => ms / 1000;

/**
 * pp and tg through the provider as marginal rates: two calls that differ only in what is measured (a long
 * and a short prompt with one output token; one and TG+1 output tokens), so per-call fixed costs (session,
 * chat template, first sample) stay out of the rates; they are what the time to first token shows.
 */
async function providerRates(provider: ProviderUnderTest, longPrompt: ChatMessage, shortPrompt: ChatMessage): Promise<Rates & { fixedMs: number; tgCpuMsPerToken: number; tgWallMsPerToken: number; tgWaitMsPerToken: number }> {
  const short1 = await cpuSecondsOf(() => provider.call([shortPrompt], 1));
  const long1 = await provider.call([longPrompt], 1);
  const shortN = await cpuSecondsOf(() => provider.call([shortPrompt], TG + 1));
  if (shortN.result.outputTokens < TG + 1) progress(`warning: generation stopped after ${shortN.result.outputTokens} tokens`);
  const generated = shortN.result.outputTokens - short1.result.outputTokens;
  return {
    pp: (long1.inputTokens - short1.result.inputTokens) / seconds(long1.totalMs - short1.result.totalMs),
    tg: generated / seconds(shortN.result.totalMs - short1.result.totalMs),
    fixedMs: short1.result.totalMs,
    tgCpuMsPerToken: ((shortN.cpuSeconds - short1.cpuSeconds) * 1000) / generated,
    tgWallMsPerToken: (shortN.result.totalMs - short1.result.totalMs) / generated,
    tgWaitMsPerToken: ((shortN.waitSeconds - short1.waitSeconds) * 1000) / generated,
  };
}

/** Aggregate generation tokens/s of `streams` concurrent answers sharing the model through sequences. */
async function aggregateRate(provider: ProviderUnderTest, prompt: ChatMessage, streams: number): Promise<number> {
  const start = performance.now();
  const calls = await Promise.all(Array.from({ length: streams }, () => provider.call([prompt], TG)));
  const tokens = calls.reduce((sum, c) => sum + c.outputTokens, 0);
  return tokens / seconds(performance.now() - start);
}

async function main(): Promise<void> {
  const { bin, model } = await prepare();
  const pool = new LlamaModelPool({ gpu: false, threads: positive('threads', args.threads), contextSize: CONTEXT, sequencesPerModel: 4 });
  const provider = new ProviderUnderTest(pool, model);
  const loaded = await pool.load(model);
  const threads = loaded.context.currentThreads;
  const longPrompt = await provider.userMessageOf(PP);
  const shortPrompt: ChatMessage = { role: 'user', content: 'Say something.' };
  const ttftPrompt = await provider.userMessageOf(TTFT_PROMPT_TOKENS);
  progress(`model ${model}, ${threads} threads, context ${loaded.context.contextSize}; warming up`);
  await provider.call([longPrompt], 8);

  const reference: Rates[] = [];
  const ours: Array<Awaited<ReturnType<typeof providerRates>>> = [];
  const referenceCpu: number[] = [];
  const ttft: number[] = [];
  let ttftInput = 0;
  const streams: Record<1 | 3, number[]> = { 1: [], 3: [] };
  // What every request paid before the pool resolved the chat format once per model.
  const chatFormat: number[] = [];
  for (let pass = 1; pass <= PASSES; pass++) {
    progress(`pass ${pass}/${PASSES}: llama-bench -t ${threads} -p ${PP} -n ${TG}`);
    reference.push(await llamaBench(bin, model, threads));
    progress(`pass ${pass}/${PASSES}: llama-bench -p 0 -n 1 and -n ${TG + 1} under /usr/bin/time (CPU per generated token)`);
    const refCpu1 = await llamaBenchCpuSeconds(bin, model, threads, 1);
    const refCpuN = await llamaBenchCpuSeconds(bin, model, threads, TG + 1);
    referenceCpu.push(((refCpuN - refCpu1) * 1000) / TG);
    progress(`pass ${pass}/${PASSES}: provider pp/tg, time to first token, 1 and 3 streams`);
    ours.push(await providerRates(provider, longPrompt, shortPrompt));
    const first = await provider.call([ttftPrompt], 4);
    ttft.push(first.firstTextMs);
    ttftInput = first.inputTokens;
    streams[1].push(await aggregateRate(provider, shortPrompt, 1));
    streams[3].push(await aggregateRate(provider, shortPrompt, 3));
    const resolveStart = performance.now();
    resolveChatWrapper(loaded.model);
    chatFormat.push(performance.now() - resolveStart);
    progress(`pass ${pass}: llama-bench pp ${reference.at(-1)!.pp.toFixed(1)} tg ${reference.at(-1)!.tg.toFixed(1)}; provider pp ${ours.at(-1)!.pp.toFixed(1)} tg ${ours.at(-1)!.tg.toFixed(1)}`);
  }
  await pool.dispose();

  const ref = { pp: median(reference.map((r) => r.pp)), tg: median(reference.map((r) => r.tg)) };
  const mine = { pp: median(ours.map((r) => r.pp)), tg: median(ours.map((r) => r.tg)) };
  const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;
  // Each pass runs both back to back, so its ratio compares them under the same load of the shared machine.
  const paired = (rate: keyof Rates) => `${(median(ours.map((r, i) => r[rate] / reference[i]![rate])) * 100).toFixed(1)}%`;
  const all = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const llamaInfo = JSON.parse(readFileSync(join(ROOT, 'node_modules/node-llama-cpp/llama/llama.cpp.info.json'), 'utf8')) as { tag: string };
  const size = (statSync(model).size / 1e6).toFixed(0);
  const out = [
    `Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    `llama.cpp ${llamaInfo.tag} (node-llama-cpp's bundle); model ${MODEL_STEM}-q4_k_m.gguf, ${size} MB; ${threads} threads; provider context ${loaded.context.contextSize}, ${PASSES} interleaved passes (median)`,
    '',
    '| | llama-bench | provider | provider / llama-bench (medians) | median of the per-pass ratios | passes (llama-bench; provider) |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| pp${PP} tokens/s | ${ref.pp.toFixed(1)} | ${mine.pp.toFixed(1)} | ${ratio(mine.pp, ref.pp)} | **${paired('pp')}** | ${all(reference.map((r) => r.pp))}; ${all(ours.map((r) => r.pp))} |`,
    `| tg${TG} tokens/s | ${ref.tg.toFixed(1)} | ${mine.tg.toFixed(1)} | ${ratio(mine.tg, ref.tg)} | **${paired('tg')}** | ${all(reference.map((r) => r.tg))}; ${all(ours.map((r) => r.tg))} |`,
    // Inverted, so that above 100% means the provider needs no more CPU per token than llama-bench.
    `| tg${TG}, CPU ms per generated token (all threads; llama-bench ÷ provider) | ${median(referenceCpu).toFixed(1)} | ${median(ours.map((r) => r.tgCpuMsPerToken)).toFixed(1)} | ${ratio(median(referenceCpu), median(ours.map((r) => r.tgCpuMsPerToken)))} | **${(median(ours.map((r, i) => referenceCpu[i]! / r.tgCpuMsPerToken)) * 100).toFixed(1)}%** | ${all(referenceCpu)}; ${all(ours.map((r) => r.tgCpuMsPerToken))} |`,
    '',
    '| provider | median | passes |',
    '| --- | ---: | --- |',
    `| time to first token, ${TTFT_PROMPT_TOKENS}-token user message (${ttftInput} tokens with the chat template), ms | ${median(ttft).toFixed(0)} | ${all(ttft)} |`,
    `| tg${TG}: wall-clock ms per generated token | ${median(ours.map((r) => r.tgWallMsPerToken)).toFixed(1)} | ${all(ours.map((r) => r.tgWallMsPerToken))} |`,
    `| tg${TG}: CPU ms per generated token, all threads | ${median(ours.map((r) => r.tgCpuMsPerToken)).toFixed(1)} | ${all(ours.map((r) => r.tgCpuMsPerToken))} |`,
    `| tg${TG}: ms per generated token that its threads waited runnable for a CPU | ${median(ours.map((r) => r.tgWaitMsPerToken)).toFixed(1)} | ${all(ours.map((r) => r.tgWaitMsPerToken))} |`,
    `| fixed cost of a call (short prompt, 1 token), ms | ${median(ours.map((r) => r.fixedMs)).toFixed(0)} | ${all(ours.map((r) => r.fixedMs))} |`,
    `| resolving the chat format of the model (before: on every request; now once per model), ms | ${median(chatFormat).toFixed(0)} | ${all(chatFormat)} |`,
    `| aggregate generation tokens/s, 1 stream of ${TG} tokens | ${median(streams[1]).toFixed(1)} | ${all(streams[1])} |`,
    `| aggregate generation tokens/s, 3 concurrent streams of ${TG} tokens | ${median(streams[3]).toFixed(1)} | ${all(streams[3])} |`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:local: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
