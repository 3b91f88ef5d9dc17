import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, hubError, json, rateLimited, readJson, startEventStream, type HubAccounts, type HubRateLimit } from './hub-protocol';

/**
 * The Hub's Space management API as the stand-in serves it (paths and bodies as huggingface_hub's HfApi sends
 * them): runtime, hardware and its price list, sleep time, variables, secrets (values never returned), restart,
 * pause, and the build and run logs as Server-Sent Events. A Space here builds no image: every commit or restart
 * plays a script of stages over time with its log lines; the first stage after a change is BUILDING.
 */
export interface SpaceBuildScript {
  /** Stages after a commit or a restart, each held for its time; the last one stays. */
  stages: Array<{ stage: string; forMs: number; errorMessage?: string }>;
  buildLines: string[];
  runLines: string[];
}

export const DEFAULT_BUILD: SpaceBuildScript = {
  stages: [
    { stage: 'BUILDING', forMs: 150 },
    { stage: 'APP_STARTING', forMs: 100 },
    { stage: 'RUNNING', forMs: 0 },
  ],
  buildLines: ['Step 1/6 : FROM ghcr.io/ggml-org/llama.cpp:server', 'Step 6/6 : ENTRYPOINT ["/bin/sh", "/home/user/app/start.sh"]', 'Successfully built 3f2a1c0d'],
  runLines: ['main: server is listening on http://0.0.0.0:7860', 'srv  update_slots: all slots are idle'],
};

/** Space flavors with their prices (the Hub answers the same shape as for Jobs). */
export const STAND_IN_SPACE_HARDWARE = [
  { name: 'cpu-basic', prettyName: 'CPU basic', cpu: '2 vCPU', ram: '16 GB', unitCostMicroUSD: 0 },
  { name: 'cpu-upgrade', prettyName: 'CPU upgrade', cpu: '8 vCPU', ram: '32 GB', unitCostMicroUSD: 500 },
  { name: 't4-small', prettyName: 'Nvidia T4 - small', cpu: '4 vCPU', ram: '15 GB', unitCostMicroUSD: 6667 },
  { name: 'a10g-small', prettyName: 'Nvidia A10G - small', cpu: '4 vCPU', ram: '15 GB', unitCostMicroUSD: 16667 },
].map((h) => ({ ...h, ephemeralStorage: '50 GB', accelerator: null, unitCostUSD: h.unitCostMicroUSD / 1e6, unitLabel: 'minute' }));

interface StandInSpace {
  owner: string;
  variables: Map<string, { value: string; description?: string }>;
  secrets: Map<string, { value: string; description?: string }>;
  hardware: string;
  requestedHardware: string | null;
  sleepTimeSeconds: number | null;
  script: SpaceBuildScript;
  /** When the current build began; undefined: never built (NO_APP_FILE). */
  builtAt?: number;
  paused: boolean;
  restarts: number;
}

export interface HubSpaces {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** A Space repo was created (by the repo routes): it has no app yet. */
  created(spaceId: string, owner: string): void;
  /** Files were committed to a Space: it rebuilds. */
  committed(spaceId: string): void;
  /** What the builds of the Space's next commits do, in order (then the default build); a restart runs the current one again. */
  scriptBuilds(spaceId: string, ...scripts: SpaceBuildScript[]): void;
  /** The stage a Space is in now. */
  stageOf(spaceId: string): string | undefined;
  /** Ends the Space's current stage now, so a test can hold a stage for as long as it needs to watch it. */
  endStage(spaceId: string): void;
  /** The values of a Space's variables and secrets, as the Space's container would see them. */
  environmentOf(spaceId: string): Record<string, string>;
  failNext(method: string, path: RegExp, status: number, times?: number): void;
  readonly calls: string[];
}

/** `hostOf` says where a Space's app answers (the Hub: https://<owner>-<name>.hf.space; here, a local server). */
export function createHubSpaces(accounts: HubAccounts, rateLimit: HubRateLimit, hostOf: (spaceId: string) => string = (id) => `https://${id.replace('/', '-').toLowerCase()}.hf.space`): HubSpaces {
  const spaces = new Map<string, StandInSpace>();
  const scripts = new Map<string, SpaceBuildScript[]>();
  const faults: Array<{ method: string; path: RegExp; status: number; times: number }> = [];
  const calls: string[] = [];

  /** The script's step `elapsedMs` after the build began, and how long it has left (the last one stays). */
  const stepAt = (script: SpaceBuildScript, elapsedMs: number) => {
    let t = elapsedMs;
    for (const step of script.stages) {
      if (step === script.stages.at(-1)) return { step, leftMs: Infinity };
      if (t < step.forMs) return { step, leftMs: step.forMs - t };
      t -= step.forMs;
    }
    return undefined;
  };
  const stage = (space: StandInSpace, now = Date.now()): { stage: string; errorMessage: string | null } => {
    if (space.builtAt === undefined) return { stage: 'NO_APP_FILE', errorMessage: null };
    if (space.paused) return { stage: 'PAUSED', errorMessage: null };
    const current = stepAt(space.script, now - space.builtAt)?.step;
    return current ? { stage: current.stage, errorMessage: current.errorMessage ?? null } : { stage: 'RUNNING', errorMessage: null };
  };
  const runtime = (space: StandInSpace) => {
    const { stage: current, errorMessage } = stage(space);
    return {
      stage: current,
      hardware: { current: current === 'RUNNING' ? space.hardware : null, requested: space.requestedHardware ?? space.hardware },
      gcTimeout: space.sleepTimeSeconds,
      storage: null,
      ...(errorMessage && { errorMessage }),
    };
  };
  /** A commit builds the new files (the next scripted build); a restart runs the current build again. */
  const rebuild = (space: StandInSpace, script = space.script) => {
    space.script = script;
    space.builtAt = Date.now();
    space.paused = false;
  };

  function streamLogs(res: ServerResponse, space: StandInSpace, kind: 'build' | 'run') {
    startEventStream(res);
    const lines = kind === 'build' ? space.script.buildLines : space.script.runLines;
    let sent = 0;
    const tick = () => {
      const now = stage(space).stage;
      const ready = kind === 'build' ? now !== 'NO_APP_FILE' : now === 'RUNNING' || now === 'RUNTIME_ERROR';
      while (ready && sent < lines.length) res.write(`data: ${JSON.stringify({ data: lines[sent++], timestamp: new Date().toISOString() })}\n\n`);
      // The build log ends when the build does; the run log goes on while the app runs, like the Hub's.
      if (kind === 'build' && sent >= lines.length && now !== 'BUILDING') return finish();
      if (kind === 'run' && ['BUILD_ERROR', 'RUNTIME_ERROR', 'PAUSED', 'STOPPED'].includes(now)) return finish();
    };
    const timer = setInterval(tick, 20);
    const finish = () => {
      clearInterval(timer);
      res.end();
    };
    res.on('close', () => clearInterval(timer));
    tick();
  }

  async function withBody(req: IncomingMessage, res: ServerResponse, work: (body: Record<string, unknown>) => void) {
    let body: Record<string, unknown>;
    try {
      body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
    } catch {
      return hubError(res, 400, 'Invalid JSON body');
    }
    work(body);
  }

  return {
    handle(req, res, url) {
      const path = decodeURIComponent(url.pathname);
      if (!path.startsWith('/api/spaces/')) return false;
      const fault = faults.find((f) => f.method === req.method && f.path.test(path) && f.times > 0);
      if (fault) {
        fault.times--;
        hubError(res, fault.status, fault.status >= 500 ? 'Internal Error' : `stand-in fault ${fault.status}`, fault.status === 429 ? { 'retry-after': '1', ratelimit: '"api";r=0;t=1' } : {});
        return true;
      }
      if (req.method === 'GET' && path === '/api/spaces/hardware') {
        json(res, 200, STAND_IN_SPACE_HARDWARE);
        return true;
      }
      const info = /^\/api\/spaces\/([^/]+\/[^/]+)$/.exec(path);
      if (info && req.method === 'GET') {
        const space = spaces.get(info[1]!);
        if (!space) return false;
        json(res, 200, { id: info[1], sdk: 'docker', private: true, host: hostOf(info[1]!), subdomain: info[1]!.replace('/', '-').toLowerCase(), runtime: runtime(space) });
        return true;
      }
      const match = /^\/api\/spaces\/([^/]+\/[^/]+)\/(runtime|hardware|sleeptime|variables|secrets|restart|pause|logs\/build|logs\/run)$/.exec(path);
      if (!match) return false;
      const [, id, action] = match as unknown as [string, string, string];
      const space = spaces.get(id);
      // A Space this module does not hold is another module's (or answers 404 there).
      if (!space) return false;
      if (rateLimited(res, rateLimit)) return true;
      const user = authenticate(req, res, accounts);
      if (user === undefined) return true;
      calls.push(`${req.method} ${action}`);
      if (space.owner !== user && req.method !== 'GET') {
        hubError(res, 403, `You don't have the rights to manage the Space ${id}`);
        return true;
      }
      if (action === 'runtime' && req.method === 'GET') json(res, 200, runtime(space));
      else if (action === 'hardware' && req.method === 'POST') {
        void withBody(req, res, (body) => {
          if (!STAND_IN_SPACE_HARDWARE.some((h) => h.name === body.flavor)) return hubError(res, 400, `Invalid hardware flavor '${String(body.flavor)}'`);
          space.requestedHardware = String(body.flavor);
          space.hardware = String(body.flavor);
          if (typeof body.sleepTimeSeconds === 'number') space.sleepTimeSeconds = body.sleepTimeSeconds;
          json(res, 200, runtime(space));
        });
      } else if (action === 'sleeptime' && req.method === 'POST') {
        void withBody(req, res, (body) => {
          if (typeof body.seconds !== 'number') return hubError(res, 400, 'seconds must be a number');
          if (space.hardware === 'cpu-basic') return hubError(res, 400, 'Sleep time cannot be set on cpu-basic hardware');
          space.sleepTimeSeconds = body.seconds;
          json(res, 200, runtime(space));
        });
      } else if ((action === 'variables' || action === 'secrets') && req.method === 'GET') {
        const store = action === 'variables' ? space.variables : space.secrets;
        const now = new Date().toISOString();
        json(res, 200, Object.fromEntries([...store].map(([key, v]) => [key, action === 'variables' ? { value: v.value, description: v.description, updatedAt: now } : { description: v.description, updatedAt: now }])));
      } else if ((action === 'variables' || action === 'secrets') && (req.method === 'POST' || req.method === 'DELETE')) {
        void withBody(req, res, (body) => {
          const store = action === 'variables' ? space.variables : space.secrets;
          if (typeof body.key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(body.key)) return hubError(res, 400, 'key must be a valid environment variable name');
          if (req.method === 'DELETE') store.delete(body.key);
          else {
            if (typeof body.value !== 'string') return hubError(res, 400, 'value must be a string');
            store.set(body.key, { value: body.value, ...(typeof body.description === 'string' && { description: body.description }) });
          }
          json(res, 200, {});
        });
      } else if (action === 'restart' && req.method === 'POST') {
        space.restarts++;
        rebuild(space);
        json(res, 200, runtime(space));
      } else if (action === 'pause' && req.method === 'POST') {
        space.paused = true;
        json(res, 200, runtime(space));
      } else if (action.startsWith('logs/') && req.method === 'GET') streamLogs(res, space, action === 'logs/build' ? 'build' : 'run');
      else hubError(res, 405, 'Method Not Allowed');
      return true;
    },
    created(spaceId, owner) {
      if (spaces.has(spaceId)) return;
      spaces.set(spaceId, { owner, variables: new Map(), secrets: new Map(), hardware: 'cpu-basic', requestedHardware: null, sleepTimeSeconds: null, script: DEFAULT_BUILD, paused: false, restarts: 0 });
    },
    committed(spaceId) {
      const space = spaces.get(spaceId);
      if (space) rebuild(space, scripts.get(spaceId)?.shift() ?? DEFAULT_BUILD);
    },
    scriptBuilds: (spaceId, ...list) => scripts.set(spaceId, list),
    stageOf: (spaceId) => {
      const space = spaces.get(spaceId);
      return space && stage(space).stage;
    },
    endStage: (spaceId) => {
      const space = spaces.get(spaceId);
      if (space?.builtAt === undefined) return;
      const leftMs = stepAt(space.script, Date.now() - space.builtAt)?.leftMs ?? Infinity;
      if (leftMs !== Infinity) space.builtAt -= leftMs;
    },
    environmentOf: (spaceId) => {
      const space = spaces.get(spaceId);
      return space ? Object.fromEntries([...space.variables, ...space.secrets].map(([k, v]) => [k, v.value])) : {};
    },
    failNext: (method, path, status, times = 1) => faults.push({ method, path, status, times }),
    calls,
  };
}
