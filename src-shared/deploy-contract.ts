import { z } from 'zod';
import { PROVIDERS, TIERS } from './domain';

/** The Deployment dashboard's channels (issue 9 §2–4): the tiers' Spaces, deploys, rollbacks and their history. */

const isoDate = z.iso.datetime();

/** What a deployment ended as; `rolled_back` is a failed deploy after which the tier went back to its previous version. */
export const DEPLOYMENT_STATUSES = ['running', 'succeeded', 'failed', 'rolled_back'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Where a version stands at the deploy gate of one tier: what its newest completed evaluation says, against the thresholds. */
export const GateVerdictSchema = z.object({
  /** `passed`: the report meets the thresholds; `failed`: it does not; `missing`: no completed evaluation (with a readable report) for the tier. */
  status: z.enum(['passed', 'failed', 'missing']),
  /** One sentence with the numbers and the outcome. */
  message: z.string(),
  /** What to do when it did not pass (evaluate, or give an override reason); null when it passed. */
  advice: z.string().nullable(),
  evaluationRunId: z.uuid().nullable(),
  winRate: z.number().min(0).max(1).nullable(),
  intervalLow: z.number().min(0).max(1).nullable(),
  intervalHigh: z.number().min(0).max(1).nullable(),
  judged: z.int().nonnegative().nullable(),
  thresholds: z.object({ minWinRate: z.number(), minIntervalLow: z.number(), minJudged: z.int() }),
});
export type GateVerdict = z.output<typeof GateVerdictSchema>;

/** One step of a deploy. Messages and log lines are untrusted text (they come from the Hub and the Space). */
export const DeployStepViewSchema = z.object({
  /** `check`, `gate`, `create_space`, `commit`, `variables`, `secrets`, `hardware`, `restart`, `build`, `health_check`, `activate`, `rollback`. */
  name: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  message: z.string().nullable(),
  log: z.array(z.string()),
  /** For the `gate` step: the evaluation it read and its figures (none when the gate was skipped). */
  gate: GateVerdictSchema.nullable(),
});
export type DeployStepView = z.output<typeof DeployStepViewSchema>;

/** A recorded deploy or rollback (`hf_deployments`) as the dashboard shows it. */
export const DeploymentViewSchema = z.object({
  id: z.uuid(),
  tier: z.enum(TIERS).nullable(),
  target: z.enum(['live', 'staging']),
  kind: z.enum(['deploy', 'rollback']),
  /** One of DEPLOYMENT_STATUSES for the app's own deploys; a row written by hand may hold another word. */
  status: z.string(),
  spaceRepo: z.string().nullable(),
  modelId: z.uuid(),
  /** `owner/name@commit`. */
  modelVersion: z.string().nullable(),
  /** For a rollback, the deployment it went back to; for a deploy, the one it replaced. */
  previousDeploymentId: z.uuid().nullable(),
  steps: z.array(DeployStepViewSchema),
  hardware: z.string().nullable(),
  sleepTimeSeconds: z.int().nullable(),
  overrideReason: z.string().nullable(),
  /** What happened, in one paragraph, once it ended (why it failed, whether it was rolled back). */
  summary: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type DeploymentView = z.output<typeof DeploymentViewSchema>;

/** A Space hardware flavor with its hourly price. */
export const SpaceFlavorViewSchema = z.object({ name: z.string(), prettyName: z.string(), usdPerHour: z.number().nonnegative() });
export type SpaceFlavorView = z.output<typeof SpaceFlavorViewSchema>;

/** One Space serving a tier (live) or trying a version out (staging), as it is now. */
export const SpaceCardSchema = z.object({
  spaceName: z.string(),
  endpoint: z.string(),
  modelVersion: z.string().nullable(),
  /** The Hub's runtime stage (RUNNING, BUILDING, SLEEPING…), or `unknown` when it could not be read. */
  stage: z.string(),
  /** Why the stage is unknown, or the Hub's error message for an error stage. */
  stageDetail: z.string().nullable(),
  hardware: z.string().nullable(),
  usdPerHour: z.number().nullable(),
  sleepTimeSeconds: z.int().nullable(),
  /** The circuit breaker of the Space's endpoint: `closed` until a call through it failed repeatedly. */
  breaker: z.object({ state: z.enum(['closed', 'open', 'half-open']), nextProbeAt: isoDate.nullable() }),
});
export type SpaceCard = z.output<typeof SpaceCardSchema>;

export const TierDashboardSchema = z.object({
  tier: z.enum(TIERS),
  live: SpaceCardSchema.nullable(),
  staging: SpaceCardSchema.nullable(),
});
export type TierDashboard = z.output<typeof TierDashboardSchema>;

export const DeployDashboardSchema = z.object({
  tiers: z.array(TierDashboardSchema),
  hardware: z.array(SpaceFlavorViewSchema),
  /** Why the hardware list (and so the prices) could not be read. */
  hardwareError: z.string().nullable(),
  /** The `provider` flag: a tier's live Space serves it only while this is `huggingface`. */
  provider: z.enum(PROVIDERS),
});
export type DeployDashboard = z.output<typeof DeployDashboardSchema>;

/** A registered model version the deploy form offers. */
export const DeployableModelSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.string(),
  tier: z.enum(TIERS).nullable(),
  /** CPU hardware serves a GGUF file; a version without one needs GPU hardware. */
  ggufFile: z.string().nullable(),
  createdAt: isoDate,
  /** Per tier, whether promoting this version to the live tier passes the gate now (an override reason is needed otherwise). */
  gate: z.object({ base: GateVerdictSchema, company: GateVerdictSchema, abstraction: GateVerdictSchema }),
});
export type DeployableModel = z.output<typeof DeployableModelSchema>;

/** How one model version of a tier answered over the last 24 hours, from the request log. */
export const VersionRequestStatsSchema = z.object({
  tier: z.enum(TIERS),
  /** `owner/name@commit` for a Space, the local model's or OpenAI's model id otherwise. */
  modelVersion: z.string(),
  provider: z.enum(PROVIDERS).nullable(),
  requests: z.int().nonnegative(),
  /** Requests that failed (status `error`), not those refused before a model was called. */
  errors: z.int().nonnegative(),
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
});
export type VersionRequestStats = z.output<typeof VersionRequestStatsSchema>;

/** What operators said of one model version of a tier over the last 24 hours: feedback on its answers and Compare votes. */
export const VersionFeedbackSchema = z.object({
  tier: z.enum(TIERS),
  /** `owner/name@commit` for a Space, the local model's or OpenAI's model id otherwise (as in the request stats). */
  modelVersion: z.string(),
  thumbsUp: z.int().nonnegative(),
  thumbsDown: z.int().nonnegative(),
  /** How many pieces of feedback gave stars, and their mean (1–5; null with none). */
  ratings: z.int().nonnegative(),
  meanRating: z.number().min(1).max(5).nullable(),
  /** Compare votes that showed this version beside another: won, lost, or neither won (a tie or "all bad"). */
  compareWins: z.int().nonnegative(),
  compareLosses: z.int().nonnegative(),
  compareTies: z.int().nonnegative(),
});
export type VersionFeedback = z.output<typeof VersionFeedbackSchema>;

export const RequestStatsSchema = z.object({
  since: isoDate,
  versions: z.array(VersionRequestStatsSchema),
  /** Whether only the newest requests (up to the read limit) were counted: the day held more. */
  truncated: z.boolean(),
  /** Per tier and model version: feedback given (or changed) and Compare votes cast since `since`, as far as the reader may see. */
  feedback: z.array(VersionFeedbackSchema),
  /** Why the feedback and votes could not be read (the request figures still are). */
  feedbackError: z.string().nullable(),
});
export type RequestStats = z.output<typeof RequestStatsSchema>;

/** What the deploy form sends; the deployer checks the rest (role, gate, GGUF for CPU). */
export const DeployStartSchema = z.strictObject({
  tier: z.enum(TIERS),
  /** The registry id, or `owner/name@commit`. */
  model: z.string().trim().min(1, { error: 'pick a registered model version' }).max(300),
  staging: z.boolean().default(false),
  hardware: z.string().trim().min(1).max(100).optional(),
  sleepTimeSeconds: z.int().min(60, { error: 'must be at least 60 seconds' }).max(7 * 24 * 3600, { error: 'must be at most a week' }).optional(),
  overrideReason: z.string().trim().max(1_000).optional(),
});
export type DeployStart = z.input<typeof DeployStartSchema>;

export const DEPLOY_CHANNELS = {
  /** The three tiers' live and staging Spaces, with stage, hardware and price, sleep time and breaker state. */
  'deploy.dashboard': { input: z.strictObject({}), output: DeployDashboardSchema },
  /** Registered model versions, newest first, each with its deploy gate verdict per tier. */
  'deploy.models': { input: z.strictObject({}), output: z.array(DeployableModelSchema) },
  /** Starts a deploy (ML leads and admins) and answers at once; its steps follow as `deploy.changed`. */
  'deploy.start': { input: DeployStartSchema, output: z.object({ deploymentId: z.uuid() }) },
  /** Deploys an earlier successful deployment's version again (default: the one before the current); answers at once. */
  'deploy.rollback': {
    input: z.strictObject({ tier: z.enum(TIERS), to: z.uuid().optional(), staging: z.boolean().default(false) }),
    output: z.object({ deploymentId: z.uuid() }),
  },
  /** Per tier and model version, the last 24 hours of requests (count, errors, p50 / p95 latency) and feedback (thumbs, stars, Compare). */
  'deploy.requestStats': { input: z.strictObject({}), output: RequestStatsSchema },
  /** Deployments with their steps, newest first; one tier's when `tier` is given. */
  'deploy.history': { input: z.strictObject({ tier: z.enum(TIERS).optional() }), output: z.array(DeploymentViewSchema) },
} as const;

export const DEPLOY_EVENTS = {
  /** A deployment changed: a step started or ended, a log line came, or it finished. */
  'deploy.changed': DeploymentViewSchema,
} as const;
