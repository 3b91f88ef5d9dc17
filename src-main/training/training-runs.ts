/**
 * Training runs on Hugging Face Jobs, from launch to a registered model (issue 10 §1). A run is a store record
 * from the moment it is launched; a follower per unfinished run polls the job's stage within the Hub's rate
 * limit, reads its log stream (reconnecting when it ends early) for the script's progress and result events, and
 * on completion registers the model once. Closing the app stops the followers; `resume()` at the next start
 * takes the unfinished runs up again, including one whose launch the app never saw answered (found by its label).
 */
import { cancelJob, getJob, listJobHardware, listJobs, runJob, streamJobLogs, streamJobMetrics, whoAmI } from '@huggingface/hub';
import type { Logger } from 'pino';
import type { Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import { TrainingLaunchSchema, type JobFlavor, type TrainingLaunch, type TrainingLaunchInput } from '../../src-shared/training';
import { describeValidationIssues } from '../../src-shared/chat';
import { hubFailure } from '../hub/hub-errors';
import type { HubFetch } from '../hub/hub-fetch';
import type { TrainingProgressPoint, TrainingRun, TrainingRunRepository, TrainingStage, UserAccess } from '../store/repositories';
import { FINISHED_TRAINING_STAGES } from '../store/sql/training-run-repository';
import { loadTrainScript, parseTrainEvent, trainCommand, UV_IMAGE, type TrainEvent } from './train-script';

/** One GPU / CPU sample of a running job (kept in memory for the live plot, not stored). */
export interface JobMetricSample {
  at: Date;
  cpuPercent: number | null;
  gpuPercent: number | null;
  gpuMemoryUsedBytes: number | null;
}

export interface TrainingRunsOptions {
  runs: () => TrainingRunRepository;
  getToken: () => Promise<string | undefined>;
  hubUrl: string;
  fetch: HubFetch;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Between two looks at a job's stage (the Hub's limit is per 5-minute window: every few seconds is the advice). */
  pollIntervalMs?: number;
  scriptPath?: string;
  /** How long past its timeout a job may still run before the app cancels it itself. */
  timeoutGraceMs?: number;
}

const LAST_LINES = 30;
const TERMINAL_JOB_STAGES = new Set(['COMPLETED', 'CANCELED', 'ERROR', 'DELETED']);
const KNOWN_JOB_STAGES = new Set<TrainingStage>(['SCHEDULING', 'RUNNING', 'COMPLETED', 'CANCELED', 'ERROR', 'DELETED']);
/** A job as the Hub describes it. */
type ApiJob = Awaited<ReturnType<typeof getJob>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(message: string, code: 'validation_failed' | 'forbidden' | 'not_configured' = 'validation_failed'): TriadError {
  return new TriadError({ code, message });
}

/** The cost of a run so far (or in all), from its price and the time it ran. */
export function runCostUsd(run: TrainingRun, now = new Date()): number | null {
  if (run.priceUsdPerHour === null || !run.startedAt) return run.priceUsdPerHour === null ? null : 0;
  const end = run.finishedAt ?? now;
  return (Math.max(0, end.getTime() - run.startedAt.getTime()) / 3_600_000) * run.priceUsdPerHour;
}

export class TrainingRuns {
  private readonly followers = new Map<string, Promise<void>>();
  private readonly metrics = new Map<string, JobMetricSample[]>();
  private readonly listeners = new Set<(run: TrainingRun) => void>();
  private closed = false;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: TrainingRunsOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 3_000;
  }

  private hub() {
    return { hubUrl: this.options.hubUrl, fetch: this.options.fetch };
  }

  private async token(action: string): Promise<string> {
    const token = await this.options.getToken().catch(() => undefined);
    if (!token) {
      throw refuse(`${action}: Hugging Face Jobs need a token with write access: set it in Settings → API keys, or HF_TOKEN`, 'not_configured');
    }
    return token;
  }

  /** The Jobs hardware with hourly prices (the Hub prices per minute). */
  async hardware(): Promise<JobFlavor[]> {
    try {
      const list = await listJobHardware(this.hub());
      return list.map((h) => ({
        name: h.name,
        prettyName: h.prettyName,
        accelerator: h.accelerator ? `${h.accelerator.quantity}× ${h.accelerator.model} ${h.accelerator.vram}` : null,
        usdPerHour: h.unitCostUSD * (h.unitLabel === 'minute' ? 60 : h.unitLabel === 'second' ? 3600 : 1),
      }));
    } catch (error) {
      throw hubFailure('reading the Jobs hardware list', error);
    }
  }

  /** Told of every change of any run (stage, progress, result). */
  onChange(listener: (run: TrainingRun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last minutes of a running job's CPU / GPU samples. */
  metricsOf(runId: string): JobMetricSample[] {
    return this.metrics.get(runId) ?? [];
  }

  list(limit = 100): Promise<TrainingRun[]> {
    return this.options.runs().list(limit);
  }

  get(runId: string): Promise<TrainingRun | undefined> {
    return this.options.runs().get(runId);
  }

  /** Launches a job and starts following it. ML leads and admins only. */
  async launch(input: TrainingLaunchInput, operator: UserAccess): Promise<TrainingRun> {
    if (operator.role !== 'ml_lead' && operator.role !== 'admin') {
      throw refuse(`launching a training run: ${operator.displayName} is an ${operator.role}; only ML leads and admins train models`, 'forbidden');
    }
    const parsed = TrainingLaunchSchema.safeParse(input);
    if (!parsed.success) throw refuse(`launching a training run: ${describeValidationIssues(parsed.error)}`);
    const launch: TrainingLaunch = parsed.data;
    const token = await this.token('launching a training run');
    const flavors = await this.hardware();
    const flavor = flavors.find((f) => f.name === launch.flavor);
    if (!flavor) throw refuse(`launching a training run: no Jobs hardware '${launch.flavor}' (there is ${flavors.map((f) => f.name).join(', ')})`);
    const namespace = launch.namespace ?? (await whoAmI({ ...this.hub(), accessToken: token }).catch((error: unknown) => Promise.reject(hubFailure('launching a training run', error)))).name;
    const outputRepo = launch.outputRepo ?? `${namespace}/triad-${launch.tier}-${launch.kind}-${launch.dataset.revision.slice(0, 8)}`;
    const script = await loadTrainScript(this.options.scriptPath);
    const runs = this.options.runs();
    const run = await runs.create({
      namespace,
      datasetRepo: launch.dataset.repo,
      datasetRevision: launch.dataset.revision,
      baseModel: launch.baseModel,
      kind: launch.kind,
      params: { ...Object.fromEntries(Object.entries(launch.params).filter(([, v]) => v !== undefined)), tier: launch.tier } as TrainingRun['params'],
      flavor: flavor.name,
      priceUsdPerHour: flavor.usdPerHour,
      timeoutSeconds: launch.timeoutSeconds,
      outputRepo,
      scriptSha256: script.sha256,
      createdBy: operator.id,
    });
    let job: ApiJob;
    try {
      job = await runJob({
        ...this.hub(),
        accessToken: token,
        namespace,
        dockerImage: UV_IMAGE,
        command: trainCommand(launch, outputRepo),
        environment: { TRIAD_TRAIN_SCRIPT: script.base64 },
        secrets: { HF_TOKEN: token },
        flavor: flavor.name as Parameters<typeof runJob>[0]['flavor'],
        timeoutSeconds: launch.timeoutSeconds,
        labels: { triad_run_id: run.id },
      });
    } catch (error) {
      const failure = hubFailure('launching the training job', error);
      await this.change(run.id, { stage: 'failed', stageMessage: failure.message, failureReason: failure.message });
      throw failure;
    }
    const stage = this.stageOf(job);
    const started = await this.change(run.id, {
      jobId: job.id,
      stage,
      stageMessage: job.status.message ?? null,
      // A job the Hub starts at once is RUNNING in its first answer: the follower sees no change to record the start by.
      ...(stage === 'RUNNING' && { startedAt: job.startedAt ? new Date(job.startedAt) : new Date() }),
    });
    this.follow(started);
    return started;
  }

  /** Asks the Hub to cancel the run's job; the follower records the CANCELED stage. */
  async cancel(runId: string): Promise<TrainingRun> {
    const run = await this.options.runs().get(runId);
    if (!run) throw refuse(`cancelling training run ${runId}: no such run`);
    if (run.finishedAt) throw refuse(`cancelling training run ${runId}: it already ended (${run.stage})`);
    if (!run.jobId) throw refuse(`cancelling training run ${runId}: the Hub has not accepted its job yet`);
    const token = await this.token(`cancelling training run ${runId}`);
    try {
      await cancelJob({ ...this.hub(), accessToken: token, namespace: run.namespace, jobId: run.jobId });
    } catch (error) {
      throw hubFailure(`cancelling training run ${runId}`, error);
    }
    this.follow(run);
    return run;
  }

  /** Follows every unfinished run again (at start). */
  async resume(): Promise<void> {
    for (const run of await this.options.runs().listUnfinished()) this.follow(run);
  }

  /** Resolves with the run once it ended (registered, failed, cancelled…). */
  async wait(runId: string): Promise<TrainingRun> {
    for (;;) {
      const follower = this.followers.get(runId);
      if (follower) await follower;
      const run = await this.options.runs().get(runId);
      if (!run) throw refuse(`training run ${runId}: no such run`);
      if (run.finishedAt || this.closed) return run;
      this.follow(run);
    }
  }

  /** Stops following (the runs stay as recorded, to be resumed). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.followers.values()]);
  }

  private follow(run: TrainingRun): void {
    if (this.closed || this.followers.has(run.id) || FINISHED_TRAINING_STAGES.has(run.stage)) return;
    const follower = this.followRun(run)
      .catch((error: unknown) => this.options.logger.warn({ err: error, runId: run.id }, 'following a training run failed; it is followed again at the next start'))
      .finally(() => this.followers.delete(run.id));
    this.followers.set(run.id, follower);
  }

  private stageOf(job: ApiJob): TrainingStage {
    const stage = job.status.stage as string;
    // An unknown stage (the Hub adds some) is reported as still running: it is not an end.
    return KNOWN_JOB_STAGES.has(stage as TrainingStage) ? (stage as TrainingStage) : 'RUNNING';
  }

  private async change(runId: string, change: Parameters<TrainingRunRepository['update']>[1]): Promise<TrainingRun> {
    const run = await this.options.runs().update(runId, change);
    for (const listener of this.listeners) listener(run);
    return run;
  }

  private async followRun(initial: TrainingRun): Promise<void> {
    let run = initial;
    const token = await this.token(`following training run ${run.id}`);
    const auth = { ...this.hub(), accessToken: token, namespace: run.namespace };
    if (!run.jobId) {
      // The app closed after recording the launch but before it saw the Hub's answer: the job carries the run's id.
      const found = (await listJobs(auth)).find((job) => job.labels?.triad_run_id === run.id);
      if (!found) {
        await this.change(run.id, { stage: 'failed', failureReason: 'the app closed while launching and the Hub has no job for this run: nothing ran; launch it again' });
        return;
      }
      run = await this.change(run.id, { jobId: found.id, stage: this.stageOf(found) });
    }
    const jobId = run.jobId!;
    // Only this loop changes the stage; `run` is also replaced by the log reader's progress updates.
    let recordedStage = run.stage;
    const lastLines: string[] = [...run.lastLogLines];
    let result: Extract<TrainEvent, { event: 'result' }> | undefined;
    let lastStep = Math.max(0, ...run.progress.map((p) => p.step));
    let linesSeen = 0;
    let logs: Promise<void> | undefined;
    let metrics: Promise<void> | undefined;

    const readLogs = async () => {
      let index = 0;
      for await (const entry of streamJobLogs({ ...auth, jobId })) {
        // A reconnected stream replays from the start: skip what was read before.
        if (index++ < linesSeen) continue;
        linesSeen++;
        const line = entry.message;
        if (line.startsWith('===== Job started')) continue;
        lastLines.push(line);
        if (lastLines.length > LAST_LINES) lastLines.shift();
        const event = parseTrainEvent(line);
        if (event?.event === 'result') result = event;
        if (event?.event === 'progress' && event.step > lastStep) {
          lastStep = event.step;
          const point: TrainingProgressPoint = {
            step: event.step,
            maxSteps: event.max_steps ?? null,
            loss: event.loss ?? null,
            evalLoss: event.eval_loss ?? null,
            learningRate: event.learning_rate ?? null,
            at: entry.timestamp,
          };
          run = await this.change(run.id, { progress: [point], lastLogLines: [...lastLines] });
        }
      }
    };
    const readMetrics = async () => {
      const samples = this.metrics.get(run.id) ?? [];
      this.metrics.set(run.id, samples);
      for await (const data of streamJobMetrics({ ...auth, jobId })) {
        const sample = JSON.parse(data) as { cpu_usage_pct?: number; gpus?: Record<string, { utilization?: number; memory_used_bytes?: number }> };
        const gpu = Object.values(sample.gpus ?? {})[0];
        samples.push({ at: new Date(), cpuPercent: sample.cpu_usage_pct ?? null, gpuPercent: gpu?.utilization ?? null, gpuMemoryUsedBytes: gpu?.memory_used_bytes ?? null });
        if (samples.length > 600) samples.shift();
      }
    };

    while (!this.closed) {
      let job: ApiJob;
      try {
        job = await getJob({ ...auth, jobId });
      } catch (error) {
        const failure = hubFailure(`following training run ${run.id}`, error);
        if (failure.code === 'upstream_auth_failed' || failure.code === 'forbidden' || failure.code === 'validation_failed') {
          // Nothing the app can do alone; the run stays unfinished, to be resumed once the token is fixed.
          this.options.logger.warn({ runId: run.id, reason: failure.message }, 'training run cannot be followed');
          return;
        }
        await sleep(this.pollIntervalMs);
        continue;
      }
      const stage = this.stageOf(job);
      // An end other than COMPLETED is recorded by finish(), with its reason, in one write: a reader never sees
      // CANCELED or ERROR without why.
      if (stage !== recordedStage && (stage === 'COMPLETED' || !TERMINAL_JOB_STAGES.has(stage))) {
        recordedStage = stage;
        // A job may have run and ended between two polls: its start comes from the Hub, so the cost still counts it.
        const startedAt = job.startedAt ? new Date(job.startedAt) : stage === 'RUNNING' ? new Date() : undefined;
        run = await this.change(run.id, { stage, stageMessage: job.status.message ?? null, ...(startedAt && { startedAt }) });
      }
      if (stage === 'RUNNING' || TERMINAL_JOB_STAGES.has(stage)) {
        logs ??= readLogs().catch((error: unknown) => this.options.logger.warn({ err: error, runId: run.id }, 'job log stream failed')).finally(() => (logs = undefined));
        if (stage === 'RUNNING') metrics ??= readMetrics().catch(() => undefined).finally(() => (metrics = undefined));
      }
      if (TERMINAL_JOB_STAGES.has(stage)) {
        // The log stream of an ended job delivers what is left, then ends; one that was cut is read once more.
        await logs;
        if (!result) await readLogs().catch(() => undefined);
        await this.finish(run, stage, job, result, lastLines);
        return;
      }
      const timeoutAt = run.startedAt ? run.startedAt.getTime() + run.timeoutSeconds * 1000 + (this.options.timeoutGraceMs ?? 60_000) : Infinity;
      if (Date.now() > timeoutAt) {
        await cancelJob({ ...auth, jobId }).catch(() => undefined);
        await this.change(run.id, { stage: 'failed', failureReason: `timed out: still running ${run.timeoutSeconds} s after it started; the job was cancelled`, lastLogLines: [...lastLines] });
        return;
      }
      // Slow down when the window's calls run short, so the other Hub work (deploys, uploads) keeps its share.
      const remaining = this.options.fetch.rateLimit.remaining;
      await sleep(remaining !== null && remaining < 50 ? this.pollIntervalMs * 6 : this.pollIntervalMs);
    }
  }

  private async finish(run: TrainingRun, stage: TrainingStage, job: ApiJob, result: Extract<TrainEvent, { event: 'result' }> | undefined, lastLines: string[]): Promise<void> {
    const tail = lastLines.slice(-5).join(' | ');
    if (stage === 'COMPLETED' && result) {
      const completed = await this.options.runs().complete(run.id, {
        name: result.model_repo,
        version: result.commit,
        tier: (run.params.tier as Tier | undefined) ?? null,
        hfModelId: result.model_repo,
        hfSpaceId: null,
        hfSpaceUrl: null,
        hfCommit: result.commit,
        baseModel: result.base_model,
        datasetVersion: result.dataset,
        ggufFile: result.gguf_file,
        metrics: result.metrics,
      });
      await this.change(completed.id, { lastLogLines: [...lastLines] });
      this.options.logger.info({ runId: run.id, model: `${result.model_repo}@${result.commit}` }, 'training run registered its model');
      return;
    }
    const reason =
      stage === 'COMPLETED'
        ? `the job completed but reported no pushed model${tail ? `; last lines: ${tail}` : ''}`
        : stage === 'CANCELED'
          ? 'cancelled'
          : stage === 'DELETED'
            ? 'the job was deleted on the Hub'
            : `the job failed${job.status.message ? `: ${job.status.message}` : ''}${tail ? `; last lines: ${tail}` : ''}`;
    await this.change(run.id, {
      stage: stage === 'COMPLETED' ? 'failed' : stage,
      stageMessage: job.status.message ?? null,
      failureReason: reason,
      lastLogLines: [...lastLines],
      ...(job.startedAt && { startedAt: new Date(job.startedAt) }),
    });
  }
}
