import { TIERS, type Tier } from '../../src-shared/domain';
import type { DEPLOY_CHANNELS, DeploymentView, RequestStats, SpaceCard, SpaceFlavorView, VersionRequestStats } from '../../src-shared/deploy-contract';
import type { AppServices } from '../app-services';
import { judgeAtGate, latestCompletedRuns, latestRunKey } from '../deploy/deploy-gate';
import { versionFeedback } from '../deploy/version-feedback';
import { hubFailure } from '../hub/hub-errors';
import type { Deployment, RegisteredModel, RequestLogEntry, SpaceConfig } from '../store/repositories';
import type { ChannelHandlers } from './api-context';
import { operatorAccess } from './operator';

/** A deployment as the dashboard shows it (dates as ISO strings). */
export function toDeploymentView(deployment: Deployment): DeploymentView {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: deployment.id,
    tier: deployment.tier,
    target: deployment.target,
    kind: deployment.kind,
    status: deployment.deploymentStatus,
    spaceRepo: deployment.spaceRepo,
    modelId: deployment.modelId,
    modelVersion: deployment.modelVersion,
    previousDeploymentId: deployment.previousDeploymentId,
    steps: deployment.steps.map((s) => ({ name: s.name, status: s.status, startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt), message: s.message, log: s.log, gate: s.gate ?? null })),
    hardware: deployment.hardware,
    sleepTimeSeconds: deployment.sleepTimeSeconds,
    overrideReason: deployment.overrideReason,
    summary: deployment.deploymentLogs,
    createdBy: deployment.createdBy,
    createdAt: deployment.createdAt.toISOString(),
    finishedAt: iso(deployment.finishedAt),
  };
}

/**
 * Announces every change of a deployment. The deployer saves a running step's log as it comes in (the build's
 * lines at most once a second), so these announcements, and every other reader of the store, carry it live.
 * Returns the function that stops announcing.
 */
export function announceDeployments(services: AppServices, announce: (view: DeploymentView) => void): () => void {
  return services.deployer.onChange((deployment) => announce(toDeploymentView(deployment)));
}

/** The Space as it is now: its runtime from the Hub when a token is set, else stage `unknown` saying why. */
async function spaceCard(services: AppServices, space: SpaceConfig, flavors: SpaceFlavorView[], hasToken: boolean): Promise<SpaceCard> {
  const breaker = services.breakers.snapshot().find((b) => b.endpoint === space.apiEndpoint);
  const card: SpaceCard = {
    spaceName: space.spaceName,
    endpoint: space.apiEndpoint,
    modelVersion: space.modelVersion,
    stage: 'unknown',
    stageDetail: null,
    hardware: null,
    usdPerHour: null,
    sleepTimeSeconds: null,
    breaker: { state: breaker?.state ?? 'closed', nextProbeAt: breaker?.nextProbeAt ?? null },
  };
  // A Space named by its URL alone (Settings → Spaces) has no Hub id to ask about.
  if (!space.spaceName.includes('/')) return { ...card, stageDetail: 'not a Hub Space id (owner/name): its runtime cannot be read' };
  if (!hasToken) return { ...card, stageDetail: 'no Hugging Face token: set one in Settings → API keys to read the Space’s runtime' };
  try {
    const runtime = await services.spaceApi.getRuntime(space.spaceName);
    const hardware = runtime.hardware.current ?? runtime.hardware.requested;
    return {
      ...card,
      stage: runtime.stage,
      stageDetail: runtime.errorMessage,
      hardware,
      usdPerHour: flavors.find((f) => f.name === hardware)?.usdPerHour ?? null,
      sleepTimeSeconds: runtime.sleepTimeSeconds,
    };
  } catch (error) {
    return { ...card, stageDetail: hubFailure(`reading ${space.spaceName}'s runtime`, error).message };
  }
}

/** The staging Space of a tier: the deployer names it `<namespace>/triad-<tier>-staging` and never activates it. */
const isStaging = (space: SpaceConfig) => !space.isActive && space.spaceName.endsWith(`/triad-${space.spaceType}-staging`);

/**
 * Starts `run` and answers with the id of the deployment it records, without waiting for the deploy to end: the
 * first change announced for a new deployment of that tier and target is it (one deploy per tier and target runs
 * at a time). A refusal before anything is recorded (role, unknown version, no token) is thrown to the caller.
 */
function startAndAnswerId(services: AppServices, which: { tier: Tier; staging: boolean }, run: () => Promise<Deployment>): Promise<{ deploymentId: string }> {
  const target = which.staging ? 'staging' : 'live';
  return new Promise((resolve, reject) => {
    let answered = false;
    const stop = services.deployer.onChange((deployment) => {
      if (deployment.tier !== which.tier || deployment.target !== target || !deployment.steps.every((s) => s.status === 'pending')) return;
      stop();
      answered = true;
      resolve({ deploymentId: deployment.id });
    });
    run().then(
      () => stop(),
      (error: unknown) => {
        stop();
        // Before the record exists this is the caller's answer; after it, nobody waits for it but the log.
        if (answered) services.logger.warn({ err: error, tier: which.tier, target }, 'deploy ended with an error');
        else reject(error);
      },
    );
  });
}

/** How many of the newest evaluation runs the deploy form reads for the versions' gate verdicts: far more than a team runs. */
const EVALUATIONS_READ_FOR_GATE = 1_000;

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
export function requestStats(entries: readonly RequestLogEntry[], now: number, readLimit = REQUEST_STATS_READ_LIMIT): Omit<RequestStats, 'feedback' | 'feedbackError'> {
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

/** Handlers of the deploy channels: the app's deployer and Space API, as the calling operator. */
export const DEPLOY_HANDLERS: ChannelHandlers<keyof typeof DEPLOY_CHANNELS> = {
  'deploy.dashboard': async ({ services }) => {
    const hasToken = Boolean(await services.secrets.get('huggingface-token').catch(() => undefined));
    let hardware: SpaceFlavorView[] = [];
    let hardwareError: string | null = null;
    try {
      hardware = await services.spaceApi.listHardware();
    } catch (error) {
      hardwareError = hubFailure('reading the Space hardware and prices', error).message;
    }
    const spaces = await services.store.spaces.list();
    const tiers = await Promise.all(
      TIERS.map(async (tier) => {
        const live = await services.store.spaces.activeSpaceFor(tier);
        const staging = spaces.find((s) => s.spaceType === tier && isStaging(s));
        return {
          tier,
          live: live ? await spaceCard(services, live, hardware, hasToken) : null,
          staging: staging ? await spaceCard(services, staging, hardware, hasToken) : null,
        };
      }),
    );
    const { flags } = await services.flags.read();
    return { tiers, hardware, hardwareError, provider: flags.provider };
  },
  'deploy.models': async ({ services }) => {
    const [models, runs, thresholds] = await Promise.all([
      services.store.registry.list(),
      services.store.evaluations.list({ limit: EVALUATIONS_READ_FOR_GATE }),
      services.settings.get('deploy.gate'),
    ]);
    // One read of the runs tells every version's verdict; the deploy itself asks the store for the newest again.
    const latest = latestCompletedRuns(runs);
    const gateOf = (m: RegisteredModel, tier: Tier) => judgeAtGate(latest.get(latestRunKey(m.id, tier)), thresholds, { modelVersion: `${m.name}@${m.version}`, tier });
    return models
      .map((m) => ({
        id: m.id,
        name: m.name,
        version: m.version,
        tier: m.tier,
        ggufFile: m.ggufFile,
        createdAt: m.createdAt.toISOString(),
        gate: { base: gateOf(m, 'base'), company: gateOf(m, 'company'), abstraction: gateOf(m, 'abstraction') },
      }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  },
  'deploy.start': async ({ services, userId }, input) => {
    const operator = await operatorAccess(services, userId);
    const request = {
      tier: input.tier,
      model: input.model,
      staging: input.staging,
      hardware: input.hardware,
      sleepTimeSeconds: input.sleepTimeSeconds,
      overrideReason: input.overrideReason || undefined,
    };
    return startAndAnswerId(services, { tier: input.tier, staging: input.staging }, () => services.deployer.deploy(request, operator));
  },
  'deploy.rollback': async ({ services, userId }, input) => {
    const operator = await operatorAccess(services, userId);
    return startAndAnswerId(services, { tier: input.tier, staging: input.staging }, () => services.deployer.rollback(input, operator));
  },
  'deploy.requestStats': async ({ services }) => {
    // What was answered a moment ago is counted too.
    await services.requestLog.flush().catch(() => undefined);
    const now = Date.now();
    const since = new Date(now - DAY_MS);
    const [requests, said] = await Promise.all([
      services.store.requests.listRecent(REQUEST_STATS_READ_LIMIT),
      Promise.all([services.store.feedback.listGivenSince(since), services.store.preferences.listVotes({ since })]).then(
        ([feedback, votes]) => ({ feedback: versionFeedback(feedback, votes), feedbackError: null }),
        // The request figures stand without them.
        (error: unknown) => ({ feedback: [], feedbackError: `reading the feedback and Compare votes: ${error instanceof Error ? error.message : String(error)}` }),
      ),
    ]);
    return { ...requestStats(requests, now), ...said };
  },
  'deploy.history': async ({ services }, { tier }) => {
    const deployments = await services.store.registry.listDeployments();
    return deployments.filter((d) => tier === undefined || d.tier === tier).map(toDeploymentView);
  },
};
