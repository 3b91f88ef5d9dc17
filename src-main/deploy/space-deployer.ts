/**
 * Deploys a registered model version to a tier's Space (or its staging Space), step by step, every step recorded
 * in `hf_deployments` as it happens (issue 9 §2–3): check → gate → create the Space → commit the rendered
 * template → variables → secrets → hardware and sleep time → restart → build (runtime polled within the Hub's
 * rate limit, build logs streamed into the step) → health check (a real chat through the Hugging Face provider)
 * → activate (the tier's Space configuration and the registry). When a live deploy fails after the Space was
 * changed, the Space is deployed back to the tier's previous version, and the record says so.
 */
import { createRepo, HubApiError, uploadFiles, whoAmI } from '@huggingface/hub';
import type { Logger } from 'pino';
import type { GateVerdict } from '../../src-shared/deploy-contract';
import type { Tier } from '../../src-shared/domain';
import type { DeployGateSettings } from '../../src-shared/settings';
import { TriadError } from '../../src-shared/errors';
import { hubFailure } from '../hub/hub-errors';
import type { HubFetch } from '../hub/hub-fetch';
import { SETTLED_SPACE_STAGES, type SpaceApi } from '../hub/space-api';
import { SpaceChatModel } from '../llm/providers/huggingface/space-chat-model';
import { DEPLOY_STEPS, type Deployment, type DeploymentStep, type DeployStepName, type RegisteredModel, type SpaceConfig, type TriadStore, type UserAccess } from '../store/repositories';
import { judgeAtGate } from './deploy-gate';
import { renderSpaceTemplate, templateForHardware } from './space-templates';
import { ThrottledLogSave } from './throttled-log-save';

/** What a deploy needs. */
export interface DeployRequest {
  tier: Tier;
  /** The registered model version, `owner/name@commit`, or its registry id. */
  model: string;
  staging?: boolean;
  /** A Space hardware flavor (default cpu-basic). */
  hardware?: string;
  /** Seconds of inactivity before the Space sleeps (paid hardware only). */
  sleepTimeSeconds?: number;
  /** Promotes without a passing evaluation (the `deploy.gate` setting's thresholds); recorded and shown in the history. */
  overrideReason?: string;
  contextSize?: number;
}

export interface SpaceDeployerOptions {
  store: () => Pick<TriadStore, 'registry' | 'spaces' | 'evaluations' | 'directory'>;
  /** The `deploy.gate` setting: what a version's evaluation must meet to be promoted to a live tier. */
  gateSettings: () => Promise<DeployGateSettings>;
  spaces: SpaceApi;
  hubUrl: string;
  fetch: HubFetch;
  getToken: () => Promise<string | undefined>;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Between two looks at the runtime (the Hub's advice: every few seconds). */
  pollIntervalMs?: number;
  /** How long a build may take before the deploy gives up (the Space template allows 30 minutes on CPU). */
  buildTimeoutMs?: number;
  /** How long the health check retries a Space that answers 503 while its model loads. */
  healthTimeoutMs?: number;
  templatesDir?: string;
  /** This installation of the app (installation-id.ts), recorded on each deploy so that a restart finds its own. */
  installationId?: string;
}

const FAILED_SPACE_STAGES = new Set(['BUILD_ERROR', 'RUNTIME_ERROR', 'CONFIG_ERROR', 'NO_APP_FILE']);
const LOG_LINES_KEPT = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(message: string, code: 'validation_failed' | 'forbidden' | 'not_configured' = 'validation_failed'): TriadError {
  return new TriadError({ code, message });
}

/** A step that failed, with the step's own message. */
class StepFailure extends Error {}

export class SpaceDeployer {
  private readonly listeners = new Set<(deployment: Deployment) => void>();
  /** The deploys this process runs now (as their last record says): never "interrupted", whenever recovery runs. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly options: SpaceDeployerOptions) {}

  /** The longest a deploy may run: the build's and the health check's timeouts, and time for the Hub calls around them. */
  get longestDeployMs(): number {
    return (this.options.buildTimeoutMs ?? 30 * 60_000) + (this.options.healthTimeoutMs ?? 120_000) + 5 * 60_000;
  }

  /** Told of every change of a deployment (each step as it starts and ends). */
  onChange(listener: (deployment: Deployment) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Deploys that were running when the app closed are marked failed, never left running (at start). Every running
   * one, or with `onlyThisInstallation` those this installation started: in a team's project a running deploy may be
   * another computer's, still at work. Never one this process runs now.
   */
  async recoverInterrupted(options: { onlyThisInstallation?: boolean } = {}): Promise<Deployment[]> {
    const mine = (d: Deployment) => !options.onlyThisInstallation || (this.options.installationId !== undefined && d.installationId === this.options.installationId);
    const interrupted = (await this.options.store().registry.listDeployments()).filter((d) => d.deploymentStatus === 'running' && !this.inFlight.has(d.id) && mine(d));
    const recovered: Deployment[] = [];
    for (const deployment of interrupted) {
      const step = deployment.steps.find((s) => s.status === 'running')?.name ?? 'its first step';
      recovered.push(await this.markFailed(deployment, 'the app closed during this step', `the app closed during ${step}`));
    }
    return recovered;
  }

  /**
   * An ML lead or admin marks failed a deploy that has run longer than a deploy may (`longestDeployMs`): one whose
   * app was closed on another computer that has not started again. A younger one may still be at work.
   */
  async markStuckFailed(id: string, operator: UserAccess): Promise<Deployment> {
    if (operator.role !== 'ml_lead' && operator.role !== 'admin') throw refuse(`marking deployment ${id} failed: ${operator.displayName} is an ${operator.role}; only ML leads and admins do`, 'forbidden');
    const deployment = (await this.options.store().registry.listDeployments()).find((d) => d.id === id);
    if (!deployment) throw refuse(`marking deployment ${id} failed: there is no such deployment`);
    if (deployment.deploymentStatus !== 'running') throw refuse(`marking deployment ${id} failed: it is not running (${deployment.deploymentStatus})`);
    const minutes = Math.round(this.longestDeployMs / 60_000);
    if (this.inFlight.has(id) || Date.now() - deployment.createdAt.getTime() < this.longestDeployMs) {
      throw refuse(`marking deployment ${id} failed: it started ${deployment.createdAt.toISOString()}, less than ${minutes} min ago (the longest a deploy runs), and may still be at work`);
    }
    return this.markFailed(deployment, `marked failed by ${operator.displayName}: still running after ${minutes} min`, `${operator.displayName} marked it failed after ${minutes} min, during ${deployment.steps.find((s) => s.status === 'running')?.name ?? 'its first step'}`);
  }

  private async markFailed(deployment: Deployment, stepMessage: string, why: string): Promise<Deployment> {
    const steps = deployment.steps.map((s) => (s.status === 'running' ? { ...s, status: 'failed' as const, finishedAt: new Date(), message: stepMessage } : s));
    const updated = await this.options.store().registry.updateDeployment(deployment.id, {
      deploymentStatus: 'failed',
      steps,
      finishedAt: new Date(),
      deploymentLogs: `${why}: the Space may hold a half-finished build; the tier's configuration still names its previous version. Deploy again.`,
    });
    this.emit(updated);
    return updated;
  }

  /** The refusal of a deploy while `running` runs: whose it is, since when, and what to do about a stuck one. */
  private async alreadyRunning(running: Deployment, operator: UserAccess): Promise<TriadError> {
    const where = running.installationId && running.installationId === this.options.installationId ? 'from this computer' : 'from another computer';
    // Row-level security lets an ML lead read no other operator's name: then the operator's id names them.
    const starter = running.createdBy ? await this.options.store().directory.getUserAccess(running.createdBy).catch(() => undefined) : undefined;
    const who = running.createdBy === operator.id ? 'you' : (starter?.displayName ?? `operator ${running.createdBy ?? 'unknown'}`);
    const minutes = Math.floor((Date.now() - running.createdAt.getTime()) / 60_000);
    const stuck = Date.now() - running.createdAt.getTime() >= this.longestDeployMs
      ? `. It has run longer than a deploy may (${Math.round(this.longestDeployMs / 60_000)} min): the app that ran it was probably closed. Starting Triad again ${where === 'from this computer' ? 'here' : 'on that computer'} marks it failed, or an ML lead or admin can: triad deployments --mark-failed ${running.id}`
      : '; wait for it to end';
    return refuse(
      `a ${running.kind} of the ${running.tier} tier${running.target === 'staging' ? ' (staging)' : ''} is already running: deployment ${running.id} of ${running.modelVersion ?? 'a model'}, started ${running.createdAt.toISOString()} (${minutes} min ago) by ${who} ${where}${stuck}`,
    );
  }

  /** Deploys `request.model` to the tier; resolves with the finished record (succeeded, failed or rolled_back). */
  async deploy(request: DeployRequest, operator: UserAccess): Promise<Deployment> {
    return this.run(request, operator, 'deploy');
  }

  /** Deploys an earlier successful deployment's version again (default: the one before the current). */
  async rollback(request: { tier: Tier; to?: string; staging?: boolean }, operator: UserAccess): Promise<Deployment> {
    const history = (await this.options.store().registry.listDeployments()).filter((d) => d.tier === request.tier && d.target === (request.staging ? 'staging' : 'live'));
    const succeeded = history.filter((d) => d.deploymentStatus === 'succeeded');
    const target = request.to ? succeeded.find((d) => d.id === request.to) : succeeded[1];
    if (!target) {
      throw refuse(
        request.to
          ? `rolling back the ${request.tier} tier: ${request.to} is not a successful deployment of this tier`
          : `rolling back the ${request.tier} tier: there is no earlier successful deployment to go back to`,
      );
    }
    return this.run({ tier: request.tier, model: target.modelId, staging: request.staging, hardware: target.hardware ?? undefined, sleepTimeSeconds: target.sleepTimeSeconds ?? undefined }, operator, 'rollback', target.id);
  }

  private async token(): Promise<string> {
    const token = await this.options.getToken().catch(() => undefined);
    if (!token) throw refuse('deploying to a Space needs a Hugging Face token with write access: set it in Settings → API keys, or HF_TOKEN', 'not_configured');
    return token;
  }

  private async run(request: DeployRequest, operator: UserAccess, kind: 'deploy' | 'rollback', rollbackTo?: string): Promise<Deployment> {
    if (operator.role !== 'ml_lead' && operator.role !== 'admin') {
      throw refuse(`deploying to the ${request.tier} tier: ${operator.displayName} is an ${operator.role}; only ML leads and admins deploy`, 'forbidden');
    }
    const { registry, spaces } = this.options.store();
    const models = await registry.list();
    const model = models.find((m) => m.id === request.model || `${m.name}@${m.version}` === request.model);
    if (!model) throw refuse(`deploying to the ${request.tier} tier: ${request.model} is not a registered model version (owner/name@commit)`);
    const hardware = request.hardware ?? 'cpu-basic';
    if (templateForHardware(hardware) === 'llama-cpp-cpu' && !model.ggufFile) {
      throw refuse(`deploying ${model.name}@${model.version.slice(0, 8)}: CPU hardware serves a GGUF file and this version has none: pick GPU hardware or train with the GGUF conversion`);
    }
    const token = await this.token();
    const target = request.staging ? 'staging' : 'live';
    // The database refuses a second running deploy of a tier too (at once, racing); this says whose the first is.
    const ofTarget = (await registry.listDeployments()).filter((d) => d.tier === request.tier && d.target === target);
    const running = ofTarget.find((d) => d.deploymentStatus === 'running');
    if (running) throw await this.alreadyRunning(running, operator);
    const live = await spaces.activeSpaceFor(request.tier);
    const namespace = await whoAmI({ hubUrl: this.options.hubUrl, accessToken: token, fetch: this.options.fetch }).then(
      (me) => me.name,
      (error: unknown) => Promise.reject(hubFailure(`deploying to the ${request.tier} tier`, error)),
    );
    const spaceRepo = request.staging ? `${namespace}/triad-${request.tier}-staging` : (live?.spaceName.includes('/') ? live.spaceName : `${namespace}/triad-${request.tier}`);
    const config = (await spaces.list()).find((s) => s.spaceName === spaceRepo && s.spaceType === request.tier)
      ?? (await spaces.upsert({ spaceName: spaceRepo, spaceType: request.tier, apiEndpoint: `https://${spaceRepo.replace('/', '-').toLowerCase()}.hf.space`, isActive: false, modelVersion: null }));
    const previous = ofTarget.find((d) => d.deploymentStatus === 'succeeded');
    const modelVersion = `${model.name}@${model.version}`;
    const steps: DeploymentStep[] = [...DEPLOY_STEPS].map((name) => ({ name, status: 'pending', startedAt: null, finishedAt: null, message: null, log: [] }));
    let record = await registry.recordDeployment({
      spaceId: config.id,
      modelId: model.id,
      deploymentStatus: 'running',
      tier: request.tier,
      target,
      kind,
      spaceRepo,
      modelVersion,
      previousDeploymentId: rollbackTo ?? previous?.id ?? null,
      steps,
      hardware,
      sleepTimeSeconds: request.sleepTimeSeconds ?? null,
      overrideReason: request.overrideReason ?? null,
      createdBy: operator.id,
      installationId: this.options.installationId ?? null,
    });
    this.emit(record);

    const save = async (status = 'running', extra: { deploymentLogs?: string; finishedAt?: Date } = {}) => {
      record = await registry.updateDeployment(record.id, { deploymentStatus: status, steps, ...extra });
      this.emit(record);
    };
    const step = async <T>(name: DeployStepName, work: (log: (line: string) => void) => Promise<T>, done?: (value: T) => string): Promise<T> => {
      const entry = steps.find((s) => s.name === name)!;
      Object.assign(entry, { status: 'running', startedAt: new Date() });
      await save();
      // The log is saved while it comes in (the build's can run for many minutes), not only at the step's end.
      const logSave = new ThrottledLogSave(() => save(), (error) => this.options.logger.warn({ err: error, deploymentId: record.id, step: name }, 'saving the step log failed; the step goes on'));
      const log = (line: string) => {
        entry.log.push(line);
        if (entry.log.length > LOG_LINES_KEPT) entry.log.shift();
        logSave.added();
      };
      try {
        const value = await work(log);
        await logSave.stop();
        Object.assign(entry, { status: 'done', finishedAt: new Date(), message: done?.(value) ?? null });
        await save();
        return value;
      } catch (error) {
        await logSave.stop();
        const message = error instanceof StepFailure ? error.message : hubFailure(name.replace('_', ' '), error).message;
        Object.assign(entry, { status: 'failed', finishedAt: new Date(), message });
        await save();
        throw new StepFailure(message);
      }
    };
    const skip = async (name: DeployStepName, message: string) => {
      Object.assign(steps.find((s) => s.name === name)!, { status: 'skipped', message });
      await save();
    };

    let spaceChanged = false;
    try {
      await step('check', async () => undefined, () => `${modelVersion} → ${spaceRepo} (${target}) on ${hardware}`);
      if (target === 'live' && kind === 'deploy') {
        await step('gate', async () => {
          const verdict = await this.gateVerdict(model, modelVersion, request.tier);
          steps.find((s) => s.name === 'gate')!.gate = verdict;
          if (verdict.status === 'passed') return verdict.message;
          const reason = request.overrideReason?.trim();
          if (!reason) throw new StepFailure(`${verdict.message}. Promoting it to the live ${request.tier} tier needs a passing evaluation: ${verdict.advice}`);
          return `overridden: ${reason} (${verdict.message})`;
        }, (message) => message);
      } else await skip('gate', kind === 'rollback' ? 'a rollback returns to a version that served before' : 'staging takes any registered version');

      const repo = { type: 'space' as const, name: spaceRepo };
      const hub = { hubUrl: this.options.hubUrl, accessToken: token, fetch: this.options.fetch };
      await step('create_space', async () => {
        try {
          await createRepo({ ...hub, repo, private: true, sdk: 'docker' });
          return 'created (private, Docker)';
        } catch (error) {
          if (error instanceof HubApiError && error.statusCode === 409) return 'exists';
          throw error;
        }
      }, (how) => how);
      const rendered = await renderSpaceTemplate({ tier: request.tier, modelRepo: model.name, modelRevision: model.version, modelFile: model.ggufFile ?? undefined, hardware, contextSize: request.contextSize }, this.options.templatesDir);
      spaceChanged = true;
      await step('commit', async () => {
        const output = await uploadFiles({ ...hub, repo, files: rendered.files.map((f) => ({ path: f.path, content: new Blob([f.content]) })), commitTitle: `Triad ${kind}: ${modelVersion}`, useXet: false });
        return output?.commit.oid ?? 'no change';
      }, (oid) => `${rendered.template} template, commit ${oid.slice(0, 8)}`);
      await step('variables', async () => {
        for (const [key, value] of Object.entries(rendered.variables)) await this.options.spaces.addVariable(spaceRepo, key, value);
      }, () => Object.keys(rendered.variables).join(', '));
      await step('secrets', async () => {
        // The Space reads the model repo with the deployer's token; its value never enters a record.
        await this.options.spaces.addSecret(spaceRepo, 'HF_TOKEN', token, 'reads the model repository');
      }, () => 'HF_TOKEN');
      await step('hardware', async () => {
        const runtime = await this.options.spaces.requestHardware(spaceRepo, hardware, request.sleepTimeSeconds);
        return runtime.hardware.requested ?? hardware;
      }, (flavor) => `${flavor}${request.sleepTimeSeconds === undefined ? '' : `, sleeps after ${request.sleepTimeSeconds} s`}`);
      await step('restart', async () => (await this.options.spaces.restart(spaceRepo)).stage, (stage) => `now ${stage}`);
      await step('build', (log) => this.waitRunning(spaceRepo, log), (ms) => `RUNNING after ${(ms / 1000).toFixed(1)} s`);
      const host = await step('health_check', (log) => this.checkHealth(spaceRepo, modelVersion, log), (h) => `answered at ${h}`);
      await step('activate', async () => {
        const active: SpaceConfig = await spaces.upsert({ id: config.id, spaceName: spaceRepo, spaceType: request.tier, apiEndpoint: host, isActive: target === 'live', modelVersion });
        await registry.linkSpace(model.id, { hfSpaceId: spaceRepo, hfSpaceUrl: host });
        return active;
      }, () => (target === 'live' ? `the ${request.tier} tier now answers from ${modelVersion}` : `staging serves ${modelVersion}`));
      await save('succeeded', { finishedAt: new Date() });
      return record;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      for (const entry of steps) if (entry.status === 'pending') entry.status = 'skipped';
      const back = target === 'live' && spaceChanged && previous && previous.modelId !== model.id ? models.find((m) => m.id === previous.modelId) : undefined;
      if (!back) {
        await save('failed', { finishedAt: new Date(), deploymentLogs: spaceChanged ? `${reason}. The tier's configuration still names its previous version.` : `${reason}. Nothing on the Space was changed.` });
        return record;
      }
      // The Space was changed: put the previous version back so the tier keeps serving.
      steps.push({ name: 'rollback', status: 'pending', startedAt: null, finishedAt: null, message: null, log: [] });
      try {
        await step('rollback', (log) => this.restore(spaceRepo, back, previous!, token, log), () => `back on ${back.name}@${back.version}`);
        await save('rolled_back', { finishedAt: new Date(), deploymentLogs: `${reason}. The tier was rolled back to ${back.name}@${back.version} automatically.` });
      } catch (rollbackError) {
        await save('failed', { finishedAt: new Date(), deploymentLogs: `${reason}. Rolling back to ${back.name}@${back.version} failed too: ${(rollbackError as Error).message}` });
      }
      return record;
    }
  }

  /** What the gate says of the version for the tier: its newest completed evaluation against the `deploy.gate` thresholds. */
  async gateVerdict(model: RegisteredModel, modelVersion: string, tier: Tier): Promise<GateVerdict> {
    const [run, thresholds] = await Promise.all([this.options.store().evaluations.latestCompleted(model.id, tier), this.options.gateSettings()]);
    return judgeAtGate(run, thresholds, { modelVersion, tier });
  }

  private emit(deployment: Deployment): void {
    if (deployment.deploymentStatus === 'running') this.inFlight.add(deployment.id);
    else this.inFlight.delete(deployment.id);
    for (const listener of this.listeners) listener(deployment);
  }

  /** Polls the runtime until RUNNING, streaming the build log into the step; fails on an error stage or the timeout. */
  private async waitRunning(spaceRepo: string, log: (line: string) => void): Promise<number> {
    const started = Date.now();
    const timeoutMs = this.options.buildTimeoutMs ?? 30 * 60_000;
    const interval = this.options.pollIntervalMs ?? 3_000;
    const abort = new AbortController();
    const logs = (async () => {
      for await (const entry of this.options.spaces.streamLogs(spaceRepo, 'build', abort.signal)) log(entry.line);
    })().catch(() => undefined);
    try {
      let lastStage = '';
      for (;;) {
        const runtime = await this.options.spaces.getRuntime(spaceRepo);
        if (runtime.stage !== lastStage) log(`— ${(lastStage = runtime.stage)}`);
        if (runtime.stage === 'RUNNING') return Date.now() - started;
        if (FAILED_SPACE_STAGES.has(runtime.stage)) {
          await Promise.race([logs, sleep(500)]);
          throw new StepFailure(`the Space stopped at ${runtime.stage}${runtime.errorMessage ? `: ${runtime.errorMessage}` : ''}`);
        }
        if (SETTLED_SPACE_STAGES.has(runtime.stage) && runtime.stage !== 'RUNNING') throw new StepFailure(`the Space is ${runtime.stage}, not building`);
        if (Date.now() - started > timeoutMs) throw new StepFailure(`timed out: the Space was still ${runtime.stage} after ${Math.round(timeoutMs / 1000)} s`);
        // Stages not known here are taken as still changing. Slow down when the Hub's window runs short.
        const remaining = this.options.fetch.rateLimit.remaining;
        await sleep(remaining !== null && remaining < 50 ? interval * 4 : interval);
      }
    } finally {
      abort.abort();
    }
  }

  /** A real chat through the Hugging Face provider; a 503 (model still loading) is tried again until the timeout. */
  private async checkHealth(spaceRepo: string, modelVersion: string, log: (line: string) => void): Promise<string> {
    const { host } = await this.options.spaces.getInfo(spaceRepo);
    const model = new SpaceChatModel({ spaceName: spaceRepo, endpointUrl: host, modelVersion, getToken: this.options.getToken, idleTimeoutMs: 30_000, fetch: this.options.fetch });
    const deadline = Date.now() + (this.options.healthTimeoutMs ?? 120_000);
    for (;;) {
      try {
        let text = '';
        for await (const part of model.stream({ messages: [{ role: 'user', content: 'Reply with one word: ready?' }], params: { maxTokens: 8, temperature: 0 } }, AbortSignal.timeout(60_000))) {
          if (part.type === 'text-delta') text += part.text;
        }
        if (text.trim() === '') throw new StepFailure('the Space answered with no text');
        log(`answered: ${text.trim().slice(0, 80)}`);
        return host;
      } catch (error) {
        const retry = TriadError.isInstance(error) && (error.code === 'upstream_unavailable' || error.code === 'upstream_timeout');
        if (!retry || Date.now() > deadline) throw error instanceof StepFailure ? error : new StepFailure(`the Space did not answer a chat: ${(error as Error).message}`);
        log(`not ready yet: ${(error as Error).message}`);
        await sleep(this.options.pollIntervalMs ?? 3_000);
      }
    }
  }

  /** Commits the previous version's template and variables again and waits for it to run. */
  private async restore(spaceRepo: string, model: RegisteredModel, previous: Deployment, token: string, log: (line: string) => void): Promise<void> {
    const hardware = previous.hardware ?? 'cpu-basic';
    const rendered = await renderSpaceTemplate({ tier: previous.tier!, modelRepo: model.name, modelRevision: model.version, modelFile: model.ggufFile ?? undefined, hardware }, this.options.templatesDir);
    await uploadFiles({ hubUrl: this.options.hubUrl, accessToken: token, fetch: this.options.fetch, repo: { type: 'space', name: spaceRepo }, files: rendered.files.map((f) => ({ path: f.path, content: new Blob([f.content]) })), commitTitle: `Triad rollback: ${model.name}@${model.version}`, useXet: false });
    for (const [key, value] of Object.entries(rendered.variables)) await this.options.spaces.addVariable(spaceRepo, key, value);
    await this.options.spaces.requestHardware(spaceRepo, hardware, previous.sleepTimeSeconds ?? undefined);
    await this.options.spaces.restart(spaceRepo);
    await this.waitRunning(spaceRepo, log);
  }
}
