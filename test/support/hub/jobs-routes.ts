import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, hubError, json, rateLimited, readJson, startEventStream, type HubAccounts, type HubRateLimit } from './hub-protocol';

/**
 * The Hub's Jobs API as the stand-in serves it (paths and shapes as `@huggingface/hub` and huggingface_hub's
 * HfApi call them: POST /api/jobs/{namespace}, GET …/{id}, POST …/{id}/cancel, GET …/{id}/logs and …/metrics as
 * Server-Sent Events, GET /api/jobs/hardware). A job here runs no container: it plays a script of stages over
 * time and log lines, by default what training/train.py prints for a short successful run.
 */
export interface JobScript {
  /** Time spent SCHEDULING before RUNNING. */
  schedulingMs: number;
  /** Time spent RUNNING before it ends. */
  runMs: number;
  /** Log lines, each at a time after RUNNING began. */
  lines: Array<{ atMs: number; line: string }>;
  end: 'COMPLETED' | 'ERROR';
  /** The status message of an ERROR. */
  message?: string;
}

/** A script the Hub stops as timed out (its timeoutSeconds passed), after `afterMs` of running. */
export function timedOutScript(body: Record<string, unknown>, afterMs: number): JobScript {
  return { ...trainingScript(body, { runMs: afterMs * 10 }), runMs: afterMs, end: 'ERROR', message: 'Job timeout' };
}

interface StandInJob {
  id: string;
  namespace: string;
  owner: string;
  createdAt: number;
  body: Record<string, unknown>;
  script: JobScript;
  canceledAt?: number;
}

/** Prices per minute in micro-dollars, in the Hub's shape (JobHardwareInfo). */
export const STAND_IN_JOB_HARDWARE = [
  { name: 'cpu-basic', prettyName: 'CPU Basic', cpu: '2 vCPU', ram: '16 GB', accelerator: null, unitCostMicroUSD: 167 },
  { name: 't4-small', prettyName: 'Nvidia T4 - small', cpu: '4 vCPU', ram: '15 GB', accelerator: { type: 'gpu', model: 'T4', quantity: '1', vram: '16 GB', manufacturer: 'Nvidia' }, unitCostMicroUSD: 6667 },
  { name: 'a10g-small', prettyName: 'Nvidia A10G - small', cpu: '4 vCPU', ram: '15 GB', accelerator: { type: 'gpu', model: 'A10G', quantity: '1', vram: '24 GB', manufacturer: 'Nvidia' }, unitCostMicroUSD: 16667 },
  { name: 'a100-large', prettyName: 'Nvidia A100 - large', cpu: '12 vCPU', ram: '142 GB', accelerator: { type: 'gpu', model: 'A100', quantity: '1', vram: '80 GB', manufacturer: 'Nvidia' }, unitCostMicroUSD: 41667 },
].map((h) => ({ ...h, ephemeralStorage: '50 GB', unitCostUSD: h.unitCostMicroUSD / 1e6, unitLabel: 'minute' }));

const TERMINAL = new Set(['COMPLETED', 'CANCELED', 'ERROR', 'DELETED']);

/** The lines training/train.py prints for a short run that pushes `outputRepo`, with a falling loss. */
export function trainingScript(body: Record<string, unknown>, options: { steps?: number; runMs?: number; schedulingMs?: number } = {}): JobScript {
  const args = [...((body.command as string[] | undefined) ?? []), ...((body.arguments as string[] | undefined) ?? [])];
  const arg = (flag: string) => args[args.indexOf(flag) + 1];
  const steps = options.steps ?? 4;
  const runMs = options.runMs ?? 400;
  const event = (name: string, fields: object) => `TRIAD_EVENT ${JSON.stringify({ event: name, time: 0, ...fields })}`;
  const lines = [
    { atMs: 0, line: 'Installed 61 packages in 4.2s' },
    { atMs: 1, line: event('stage', { stage: 'loading_dataset', dataset: arg('--dataset') }) },
    { atMs: 2, line: event('stage', { stage: 'training' }) },
    ...Array.from({ length: steps }, (_, i) => ({
      atMs: Math.round(((i + 1) * runMs * 0.7) / steps),
      line: event('progress', { step: (i + 1) * 5, max_steps: steps * 5, loss: Number((2.4 - i * 0.3).toFixed(3)), learning_rate: 2e-5 }),
    })),
    { atMs: Math.round(runMs * 0.8), line: event('stage', { stage: 'pushing', repo: arg('--output-repo') }) },
    {
      atMs: Math.round(runMs * 0.9),
      line: event('result', {
        model_repo: arg('--output-repo'),
        commit: randomBytes(20).toString('hex'),
        gguf_file: args.includes('--gguf') ? `${String(arg('--output-repo')).split('/')[1]}-q8_0.gguf` : null,
        base_model: arg('--base-model'),
        dataset: arg('--dataset'),
        metrics: { train_loss: 1.55, eval_loss: 1.62 },
      }),
    },
  ];
  return { schedulingMs: options.schedulingMs ?? 100, runMs, lines, end: 'COMPLETED' };
}

export interface HubJobs {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** What the next jobs do (default: trainingScript). */
  scriptJobs(script: (body: Record<string, unknown>) => JobScript): void;
  /** The next `times` requests whose method and path match answer `status`. */
  failNext(method: string, path: RegExp, status: number, times?: number): void;
  /** The next `streams` log streams end after this many lines (a stream that ends early, as the Hub's do). */
  endLogStreamsAfter(lines: number, streams?: number): void;
  /** Every job created, oldest first. */
  readonly created: Array<{ id: string; namespace: string; body: Record<string, unknown> }>;
  readonly cancels: string[];
}

export function createHubJobs(accounts: HubAccounts, rateLimit: HubRateLimit): HubJobs {
  const jobs = new Map<string, StandInJob>();
  const created: HubJobs['created'] = [];
  const cancels: string[] = [];
  const faults: Array<{ method: string; path: RegExp; status: number; times: number }> = [];
  let script: (body: Record<string, unknown>) => JobScript = (body) => trainingScript(body);
  const earlyEnds: number[] = [];

  const endOf = (job: StandInJob) => {
    const timeout = Number(job.body.timeoutSeconds ?? 0) * 1000;
    const runMs = timeout > 0 ? Math.min(job.script.runMs, timeout) : job.script.runMs;
    return job.createdAt + job.script.schedulingMs + runMs;
  };
  const timedOut = (job: StandInJob) => Number(job.body.timeoutSeconds ?? 0) > 0 && job.script.runMs > Number(job.body.timeoutSeconds) * 1000;
  const status = (job: StandInJob, now = Date.now()): { stage: string; message: string | null } => {
    if (job.canceledAt !== undefined) return { stage: 'CANCELED', message: null };
    if (now < job.createdAt + job.script.schedulingMs) return { stage: 'SCHEDULING', message: null };
    if (now < endOf(job)) return { stage: 'RUNNING', message: null };
    if (timedOut(job)) return { stage: 'ERROR', message: 'Job timeout' };
    return { stage: job.script.end, message: job.script.end === 'ERROR' ? (job.script.message ?? 'Job failed with exit code: 1') : null };
  };
  const visibleLines = (job: StandInJob, now = Date.now()) => {
    const started = job.createdAt + job.script.schedulingMs;
    const until = Math.min(now, job.canceledAt ?? Infinity, endOf(job));
    if (until < started) return [];
    return [
      { at: started, line: `===== Job started at ${new Date(started).toISOString()} =====` },
      ...job.script.lines.filter((l) => started + l.atMs <= until).map((l) => ({ at: started + l.atMs, line: l.line })),
    ];
  };
  const view = (job: StandInJob) => {
    const { stage, message } = status(job);
    const started = job.createdAt + job.script.schedulingMs;
    return {
      type: 'job',
      id: job.id,
      status: { stage, message, failureCount: 0 },
      createdAt: new Date(job.createdAt).toISOString(),
      startedAt: Date.now() >= started ? new Date(started).toISOString() : null,
      finishedAt: TERMINAL.has(stage) ? new Date(job.canceledAt ?? endOf(job)).toISOString() : null,
      dockerImage: job.body.dockerImage ?? null,
      spaceId: job.body.spaceId ?? null,
      command: job.body.command ?? null,
      arguments: job.body.arguments ?? null,
      environment: job.body.environment ?? {},
      // Secret values never come back, only their names.
      secrets: Object.keys((job.body.secrets as object | undefined) ?? {}),
      flavor: job.body.flavor,
      timeoutSeconds: job.body.timeoutSeconds ?? null,
      labels: job.body.labels ?? null,
      owner: { id: `user-${job.namespace}`, name: job.namespace, type: 'user' },
      createdBy: { id: `user-${job.owner}`, name: job.owner },
    };
  };

  async function create(req: IncomingMessage, res: ServerResponse, namespace: string, user: string) {
    if (namespace !== user) return hubError(res, 403, `You don't have the rights to create a job in namespace '${namespace}'`);
    let body: Record<string, unknown>;
    try {
      body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
    } catch {
      return hubError(res, 400, 'Invalid JSON body');
    }
    if (!STAND_IN_JOB_HARDWARE.some((h) => h.name === body.flavor)) return hubError(res, 400, `Invalid flavor: '${String(body.flavor)}'`);
    if (!body.dockerImage && !body.spaceId) return hubError(res, 400, 'One of dockerImage or spaceId is required');
    if (body.command !== undefined && !(Array.isArray(body.command) && body.command.every((c) => typeof c === 'string'))) {
      return hubError(res, 400, 'command must be an array of strings');
    }
    const job: StandInJob = { id: randomBytes(12).toString('hex'), namespace, owner: user, createdAt: Date.now(), body, script: script(body) };
    jobs.set(job.id, job);
    created.push({ id: job.id, namespace, body });
    json(res, 200, view(job));
  }

  function streamLogs(res: ServerResponse, job: StandInJob) {
    startEventStream(res);
    let sent = 0;
    const endAfter = earlyEnds.shift();
    const tick = () => {
      const lines = visibleLines(job);
      while (sent < lines.length) {
        const { at, line } = lines[sent++]!;
        res.write(`data: ${JSON.stringify({ data: line, timestamp: new Date(at).toISOString() })}\n\n`);
        if (endAfter !== undefined && sent >= endAfter) return finish();
      }
      if (TERMINAL.has(status(job).stage)) return finish();
      res.write(': keep-alive\n\n');
    };
    const timer = setInterval(tick, 20);
    const finish = () => {
      clearInterval(timer);
      res.end();
    };
    res.on('close', () => clearInterval(timer));
    tick();
  }

  function streamMetrics(res: ServerResponse, job: StandInJob) {
    // huggingface_hub tolerates this: the Hub answers 500 once a job has finished.
    if (TERMINAL.has(status(job).stage)) return hubError(res, 500, 'Internal Error');
    startEventStream(res);
    let n = 0;
    const timer = setInterval(() => {
      if (TERMINAL.has(status(job).stage)) {
        clearInterval(timer);
        return res.end();
      }
      if (status(job).stage !== 'RUNNING') return res.write(': keep-alive\n\n');
      n++;
      const metric = {
        cpu_usage_pct: 40 + (n % 20),
        cpu_millicores: 3500,
        memory_used_bytes: 6_000_000_000 + n * 1_000_000,
        memory_total_bytes: 15_032_385_536,
        rx_bps: 0,
        tx_bps: 0,
        gpus: { '882fa930': { utilization: 80 + (n % 15), memory_used_bytes: 18_000_000_000, memory_total_bytes: 22_836_000_000 } },
        replica: 'r1',
      };
      res.write(`event: metric\ndata: ${JSON.stringify(metric)}\n\n`);
    }, 50);
    res.on('close', () => clearInterval(timer));
  }

  return {
    handle(req, res, url) {
      const path = url.pathname;
      if (!path.startsWith('/api/jobs/')) return false;
      const fault = faults.find((f) => f.method === req.method && f.path.test(path) && f.times > 0);
      if (fault) {
        fault.times--;
        hubError(res, fault.status, fault.status >= 500 ? 'Internal Error' : `stand-in fault ${fault.status}`, fault.status === 429 ? { 'retry-after': '1', ratelimit: '"api";r=0;t=1' } : {});
        return true;
      }
      if (req.method === 'GET' && path === '/api/jobs/hardware') {
        json(res, 200, STAND_IN_JOB_HARDWARE);
        return true;
      }
      if (rateLimited(res, rateLimit)) return true;
      const user = authenticate(req, res, accounts);
      if (user === undefined) return true;
      const match = /^\/api\/jobs\/([^/]+)(?:\/([^/]+)(?:\/(cancel|logs|metrics))?)?$/.exec(path);
      if (!match) {
        hubError(res, 404, 'Not Found');
        return true;
      }
      const [, namespace, id, action] = match as unknown as [string, string, string | undefined, string | undefined];
      if (id === undefined) {
        if (req.method === 'POST') void create(req, res, namespace, user);
        else if (req.method === 'GET') {
          const labels = url.searchParams.getAll('label').map((l) => l.split('='));
          const listed = [...jobs.values()].filter((j) => j.namespace === namespace && labels.every(([k, v]) => (j.body.labels as Record<string, string> | undefined)?.[k!] === v));
          json(res, 200, listed.map(view));
        } else hubError(res, 405, 'Method Not Allowed');
        return true;
      }
      const job = jobs.get(id);
      if (!job || job.namespace !== namespace) {
        hubError(res, 404, `Job ${id} not found`);
        return true;
      }
      if (action === undefined && req.method === 'GET') json(res, 200, view(job));
      else if (action === 'cancel' && req.method === 'POST') {
        if (!TERMINAL.has(status(job).stage)) job.canceledAt = Date.now();
        cancels.push(job.id);
        json(res, 200, view(job));
      } else if (action === 'logs' && req.method === 'GET') streamLogs(res, job);
      else if (action === 'metrics' && req.method === 'GET') streamMetrics(res, job);
      else hubError(res, 405, 'Method Not Allowed');
      return true;
    },
    scriptJobs: (next) => (script = next),
    failNext: (method, path, status, times = 1) => faults.push({ method, path, status, times }),
    endLogStreamsAfter: (lines, streams = 1) => earlyEnds.push(...Array.from({ length: streams }, () => lines)),
    created,
    cancels,
  };
}
