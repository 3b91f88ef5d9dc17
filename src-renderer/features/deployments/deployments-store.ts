import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeployableModel, DeployDashboard, DeploymentView, DeployStepView, GateVerdict, RequestStats } from '../../../src-shared/deploy-contract';
import { TIERS, type Tier } from '../../../src-shared/domain';
import { toShownError } from '../../common/error-message';
import type { TriadClient } from '../../transport/triad-client';

/** The flavor the form starts with: the Hub's free CPU, which serves a GGUF with llama.cpp. */
const DEFAULT_HARDWARE = 'cpu-basic';

/** What the deploy form asks for. */
export interface DeployForm {
  /** A registered model version's id. */
  modelId: string;
  tier: Tier;
  staging: boolean;
  hardware: string;
  /** Seconds as a string, '' for the Hub's default. Free CPU hardware cannot have one. */
  sleepTimeSeconds: string;
  overrideReason: string;
}

/** The history's filters; `all` shows every value. */
export interface HistoryFilters {
  tier: Tier | 'all';
  status: string;
  kind: 'all' | 'deploy' | 'rollback';
}

export interface DeploymentsState {
  dashboard: DeployDashboard | null;
  dashboardError: string | null;
  /** The last 24 h of requests per tier and version. */
  requestStats: RequestStats | null;
  requestStatsError: string | null;
  /** Registered model versions, newest first. */
  models: DeployableModel[];
  /** Every deployment, newest first. */
  deployments: DeploymentView[];
  historyError: string | null;
  filters: HistoryFilters;
  form: DeployForm;
  starting: boolean;
  startError: string | null;
  /** The deployment whose progress is shown (the one just started). */
  watchingId: string | null;
  /** History rows opened to their steps and logs. */
  expanded: ReadonlySet<string>;
  rollingBack: boolean;
  rollbackError: string | null;
  /** Reads the dashboard, the history and (for those who may deploy) the registered versions. */
  load(options: { canDeploy: boolean }): Promise<void>;
  /** Reads the tiers' Spaces again (their stages change without events). */
  refreshDashboard(): Promise<void>;
  /** Reads the last 24 h of requests per version again. */
  refreshRequestStats(): Promise<void>;
  setForm(change: Partial<DeployForm>): void;
  setFilters(change: Partial<HistoryFilters>): void;
  toggleExpanded(deploymentId: string): void;
  /** Starts the deploy the form describes; its progress comes as `deploy.changed`. */
  start(): Promise<void>;
  /** Deploys the version of an earlier successful deployment again. */
  rollbackTo(deployment: DeploymentView): Promise<void>;
  /** Forgets what was read: another operator is signed in. */
  reset(): void;
  /** Follows `deploy.changed`; returns the unsubscribe function. */
  follow(): () => void;
}

export type DeploymentsStore = StoreApi<DeploymentsState>;

function defaultForm(): DeployForm {
  return { modelId: '', tier: 'company', staging: true, hardware: DEFAULT_HARDWARE, sleepTimeSeconds: '', overrideReason: '' };
}

/** Whether the deployment can still change. */
export const isDeploymentRunning = (deployment: Pick<DeploymentView, 'status'>) => deployment.status === 'running';

/** Steps that have started or been passed over: how far a deploy has come. */
const progressOf = (deployment: DeploymentView) => deployment.steps.filter((s) => s.status !== 'pending').length + deployment.steps.filter((s) => s.status !== 'pending' && s.status !== 'running').length;

/** Keeps the later of two views of one deployment: a history read can arrive after the events that followed it. */
export function laterDeployment(known: DeploymentView | undefined, incoming: DeploymentView): DeploymentView {
  if (!known) return incoming;
  if (isDeploymentRunning(known) !== isDeploymentRunning(incoming)) return isDeploymentRunning(incoming) ? known : incoming;
  return progressOf(incoming) >= progressOf(known) ? incoming : known;
}

/** How long a step took (or has taken so far); null before it started. */
export function stepDurationMs(step: Pick<DeployStepView, 'startedAt' | 'finishedAt'>, now: number): number | null {
  if (!step.startedAt) return null;
  return Math.max(0, (step.finishedAt ? Date.parse(step.finishedAt) : now) - Date.parse(step.startedAt));
}

export function filterDeployments(deployments: readonly DeploymentView[], filters: HistoryFilters): DeploymentView[] {
  return deployments.filter(
    (d) => (filters.tier === 'all' || d.tier === filters.tier) && (filters.status === 'all' || d.status === filters.status) && (filters.kind === 'all' || d.kind === filters.kind),
  );
}

/**
 * Whether "Roll back to this" applies: a successful deployment of a tier (live or staging) that is not what the
 * tier serves now, that is, not the newest successful one of its tier and target.
 */
export function canRollBackTo(deployment: DeploymentView, deployments: readonly DeploymentView[]): boolean {
  if (deployment.status !== 'succeeded' || deployment.tier === null) return false;
  const current = deployments.find((d) => d.tier === deployment.tier && d.target === deployment.target && d.status === 'succeeded');
  return current !== undefined && current.id !== deployment.id;
}

/** The gate's verdict on the form's version for its tier's live Space; null for staging (no gate) or no version picked. */
export function formGate(form: DeployForm, models: readonly DeployableModel[]): GateVerdict | null {
  if (form.staging) return null;
  return models.find((m) => m.id === form.modelId)?.gate[form.tier] ?? null;
}

/** Why the form cannot be sent as it is, or null. Checked here so the operator is told before anything starts. */
export function deployFormProblem(form: DeployForm, gate: GateVerdict | null = null): string | null {
  if (!form.modelId) return 'Pick a registered model version.';
  if (!form.staging && gate?.status !== 'passed' && !form.overrideReason.trim()) {
    return `An override reason is required to promote to the live ${form.tier} tier: ${gate ? gate.message : 'the gate’s verdict on this version is not known'}. Say why it should serve, evaluate it, or deploy to staging first.`;
  }
  if (form.sleepTimeSeconds !== '' && form.hardware !== DEFAULT_HARDWARE) {
    const seconds = Number(form.sleepTimeSeconds);
    if (!Number.isInteger(seconds) || seconds < 60) return `Sleep time: must be a whole number of seconds, at least 60, got '${form.sleepTimeSeconds}'.`;
  }
  return null;
}

/** One point of the deployments-over-time plot. */
export interface TimelinePoint {
  at: number;
  /** The tier's row (0 base, 1 company, 2 abstraction). */
  row: number;
  tier: Tier;
  status: string;
  kind: DeploymentView['kind'];
  target: DeploymentView['target'];
  /** `name@commit7`. */
  version: string;
}

/** The deployments as points on a time axis, one row per tier. */
export function timelinePoints(deployments: readonly DeploymentView[]): TimelinePoint[] {
  return deployments
    .filter((d): d is DeploymentView & { tier: Tier } => d.tier !== null)
    .map((d) => ({ at: Date.parse(d.createdAt), row: TIERS.indexOf(d.tier), tier: d.tier, status: d.status, kind: d.kind, target: d.target, version: shortVersion(d.modelVersion) }))
    .sort((a, b) => a.at - b.at);
}

/** `owner/name@0123456` from `owner/name@<40 hex>`. */
export function shortVersion(modelVersion: string | null): string {
  if (!modelVersion) return 'unknown version';
  const at = modelVersion.lastIndexOf('@');
  return at === -1 ? modelVersion : `${modelVersion.slice(0, at)}@${modelVersion.slice(at + 1, at + 8)}`;
}

export function createDeploymentsStore(client: TriadClient): DeploymentsStore {
  return createStore<DeploymentsState>((set, get) => {
    const upsert = (view: DeploymentView) => {
      const deployments = get().deployments;
      const index = deployments.findIndex((d) => d.id === view.id);
      const next = index === -1 ? [view, ...deployments].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : deployments.map((d, i) => (i === index ? laterDeployment(d, view) : d));
      set({ deployments: next });
    };

    return {
      dashboard: null,
      dashboardError: null,
      requestStats: null,
      requestStatsError: null,
      models: [],
      deployments: [],
      historyError: null,
      filters: { tier: 'all', status: 'all', kind: 'all' },
      form: defaultForm(),
      starting: false,
      startError: null,
      watchingId: null,
      expanded: new Set(),
      rollingBack: false,
      rollbackError: null,

      async load({ canDeploy }) {
        const models = canDeploy
          ? client.call('deploy.models', {}).then(
              (list) => {
                const form = get().form;
                const first = list[0];
                set({ models: list, ...(!form.modelId && first && { form: { ...form, modelId: first.id, tier: first.tier ?? form.tier } }) });
              },
              // Without the list there is nothing to pick; the form says why.
              (error: unknown) => set({ models: [], startError: toShownError(error).message }),
            )
          : Promise.resolve();
        const history = client.call('deploy.history', {}).then(
          (list) => {
            const known = get().deployments;
            const listed = new Set(list.map((d) => d.id));
            // Deployments announced while the list was read stay, and the later view of each wins.
            const announced = known.filter((d) => !listed.has(d.id));
            const merged = [...announced, ...list.map((d) => laterDeployment(known.find((k) => k.id === d.id), d))];
            set({ deployments: merged.sort((a, b) => b.createdAt.localeCompare(a.createdAt)), historyError: null });
          },
          (error: unknown) => set({ historyError: toShownError(error).message }),
        );
        await Promise.all([models, history, get().refreshDashboard(), get().refreshRequestStats()]);
      },

      async refreshDashboard() {
        try {
          set({ dashboard: await client.call('deploy.dashboard', {}), dashboardError: null });
        } catch (error) {
          set({ dashboardError: toShownError(error).message });
        }
      },

      async refreshRequestStats() {
        try {
          set({ requestStats: await client.call('deploy.requestStats', {}), requestStatsError: null });
        } catch (error) {
          set({ requestStatsError: toShownError(error).message });
        }
      },

      setForm(change) {
        const form = { ...get().form, ...change };
        // Picking a version for one tier points the form at that tier.
        if (change.modelId !== undefined && change.tier === undefined) {
          const model = get().models.find((m) => m.id === change.modelId);
          if (model?.tier) form.tier = model.tier;
        }
        set({ form, startError: null });
      },
      setFilters: (change) => set({ filters: { ...get().filters, ...change } }),
      toggleExpanded(deploymentId) {
        const expanded = new Set(get().expanded);
        if (!expanded.delete(deploymentId)) expanded.add(deploymentId);
        set({ expanded });
      },

      async start() {
        const form = get().form;
        const problem = deployFormProblem(form, formGate(form, get().models));
        if (problem) {
          set({ startError: problem });
          return;
        }
        // The deploy shown until now is not the one being started.
        set({ starting: true, startError: null, watchingId: null });
        const sleep = form.hardware !== DEFAULT_HARDWARE && form.sleepTimeSeconds !== '' ? Number(form.sleepTimeSeconds) : undefined;
        try {
          const { deploymentId } = await client.call('deploy.start', {
            tier: form.tier,
            model: form.modelId,
            staging: form.staging,
            hardware: form.hardware,
            ...(sleep !== undefined && { sleepTimeSeconds: sleep }),
            ...(!form.staging && form.overrideReason.trim() && { overrideReason: form.overrideReason.trim() }),
          });
          set({ starting: false, watchingId: deploymentId, form: { ...get().form, overrideReason: '' } });
        } catch (error) {
          set({ starting: false, startError: toShownError(error).message });
        }
      },

      async rollbackTo(deployment) {
        if (deployment.tier === null) return;
        set({ rollingBack: true, rollbackError: null, watchingId: null });
        try {
          const { deploymentId } = await client.call('deploy.rollback', { tier: deployment.tier, to: deployment.id, staging: deployment.target === 'staging' });
          set({ rollingBack: false, watchingId: deploymentId });
        } catch (error) {
          set({ rollingBack: false, rollbackError: toShownError(error).message });
        }
      },

      reset: () => set({ dashboard: null, dashboardError: null, requestStats: null, requestStatsError: null, models: [], deployments: [], historyError: null, form: defaultForm(), startError: null, watchingId: null, expanded: new Set(), rollbackError: null }),

      follow: () =>
        client.on('deploy.changed', (view) => {
          const before = get().deployments.find((d) => d.id === view.id);
          upsert(view);
          // A deploy that ended changed what its tier's Space serves and how it runs.
          if (!isDeploymentRunning(view) && (!before || isDeploymentRunning(before))) {
            void get().refreshDashboard();
            void get().refreshRequestStats();
          }
        }),
    };
  });
}
