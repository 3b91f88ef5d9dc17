import type { ErrorCode } from '../../src-shared/errors';
import type { TierChoice } from '../../src-shared/chat';
import type { RouteAttempt } from '../../src-shared/routing';
import type { FinishReason } from '../../src-shared/stream-parts';
import type { Provider, Role, Tier } from '../../src-shared/domain';
import type { ReviewDetail, ReviewFilter, ReviewLabelValue, ReviewLabelView, ReviewRow, ReviewSort } from '../../src-shared/review-contract';
import type { GateVerdict } from '../../src-shared/deploy-contract';

/** A company whose data the Company tier knows. */
export interface Company {
  id: string;
  slug: string;
  name: string;
}

/** An operator, with what they may see. */
export interface UserAccess {
  id: string;
  displayName: string;
  role: Role;
  /** Slugs of the companies the user may see. */
  companySlugs: string[];
}

/** Users, companies and who may see which. */
export interface DirectoryRepository {
  getUserAccess(userId: string): Promise<UserAccess | undefined>;
  findCompany(slug: string): Promise<Company | undefined>;
  listCompanies(): Promise<Company[]>;
  createCompany(company: { slug: string; name: string }): Promise<Company>;
  createUser(user: { id?: string; displayName: string; role: Role; email?: string }): Promise<UserAccess>;
  grantCompanyAccess(userId: string, companySlug: string): Promise<void>;
}

/** Feature flags as stored: key → JSON value. Interpretation lives in the flag service. */
export interface FeatureFlagRepository {
  readAll(): Promise<Record<string, unknown>>;
  set(key: string, value: unknown, updatedBy?: string): Promise<void>;
}

/** Application settings (local model per tier, OpenAI base URL, content filter…): key → JSON value. */
export interface SettingsRepository {
  get(key: string): Promise<unknown>;
  getAll(): Promise<Record<string, unknown>>;
  set(key: string, value: unknown): Promise<void>;
}

/** A Hugging Face Space configured to serve a tier (seed table `hf_spaces_config`). */
export interface SpaceConfig {
  id: string;
  spaceName: string;
  spaceType: Tier;
  apiEndpoint: string;
  isActive: boolean;
  modelVersion: string | null;
}

/** Spaces configured for the tiers. */
export interface SpaceConfigRepository {
  /** The active Space for a tier (the most recently updated if several are active). */
  activeSpaceFor(tier: Tier): Promise<SpaceConfig | undefined>;
  list(): Promise<SpaceConfig[]>;
  upsert(space: Omit<SpaceConfig, 'id'> & { id?: string }): Promise<SpaceConfig>;
}

/** Where a trained model version came from (null fields for a model registered by hand). */
export interface ModelProvenance {
  /** The commit of the model repo the version is. */
  hfCommit: string | null;
  baseModel: string | null;
  /** The dataset it was trained on, `owner/name@commit`. */
  datasetVersion: string | null;
  /** The GGUF file in the repo, for CPU Spaces and the local runtime. */
  ggufFile: string | null;
  trainingRunId: string | null;
  /** The training script's final metrics (train and eval loss…). */
  metrics: Record<string, number> | null;
}

/** A model recorded in the registry (seed table `model_registry`). */
export interface RegisteredModel extends ModelProvenance {
  id: string;
  name: string;
  version: string;
  tier: Tier | null;
  hfModelId: string | null;
  hfSpaceId: string | null;
  hfSpaceUrl: string | null;
  createdAt: Date;
}

/** What registering a model needs; provenance is optional (a model registered by hand has none). */
export type NewRegisteredModel = Omit<RegisteredModel, 'id' | 'createdAt' | keyof ModelProvenance> & Partial<ModelProvenance>;

/** The steps of a deploy, in order. */
export const DEPLOY_STEPS = ['check', 'gate', 'create_space', 'commit', 'variables', 'secrets', 'hardware', 'restart', 'build', 'health_check', 'activate'] as const;
export type DeployStepName = (typeof DEPLOY_STEPS)[number] | 'rollback';

/** One step of a deploy as recorded. */
export interface DeploymentStep {
  name: DeployStepName;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  startedAt: Date | null;
  finishedAt: Date | null;
  message: string | null;
  /** Log lines of the step (the Space's build and run logs for `build`). */
  log: string[];
  /** For the `gate` step: the evaluation it read and its figures. */
  gate?: GateVerdict;
}

/** A deployment of a model to a Space (seed table `hf_deployments`, with migration 015's columns). */
export interface Deployment {
  id: string;
  spaceId: string;
  modelId: string;
  /** `running`, `succeeded`, `failed` or `rolled_back` (failed, and the tier went back to its previous version). */
  deploymentStatus: string;
  deploymentLogs: string | null;
  createdAt: Date;
  updatedAt: Date;
  tier: Tier | null;
  target: 'live' | 'staging';
  kind: 'deploy' | 'rollback';
  /** The Space repo, `owner/name`. */
  spaceRepo: string | null;
  /** The model version, `owner/name@commit`. */
  modelVersion: string | null;
  previousDeploymentId: string | null;
  steps: DeploymentStep[];
  hardware: string | null;
  sleepTimeSeconds: number | null;
  overrideReason: string | null;
  createdBy: string | null;
  /** The installation of the app that ran it (migration 018); null for one recorded by hand or before 018. */
  installationId: string | null;
  finishedAt: Date | null;
}

/** What recording a deployment needs; the deploy flow's fields are optional for a deployment recorded by hand. */
export type NewDeployment = Pick<Deployment, 'spaceId' | 'modelId' | 'deploymentStatus'> & { deploymentLogs?: string } & Partial<
  Pick<Deployment, 'tier' | 'target' | 'kind' | 'spaceRepo' | 'modelVersion' | 'previousDeploymentId' | 'steps' | 'hardware' | 'sleepTimeSeconds' | 'overrideReason' | 'createdBy' | 'installationId'>
>;

/** A change to a deployment: the status, and the logs, steps and end when given. */
export interface DeploymentChange {
  deploymentStatus: string;
  deploymentLogs?: string;
  steps?: DeploymentStep[];
  finishedAt?: Date;
}

/** The model registry and the deployments of its models to Spaces. */
export interface ModelRegistryRepository {
  register(model: NewRegisteredModel): Promise<RegisteredModel>;
  /** Records the Space that serves the model now (`hf_space_id`, `hf_space_url`). */
  linkSpace(modelId: string, space: { hfSpaceId: string; hfSpaceUrl: string }): Promise<RegisteredModel>;
  list(): Promise<RegisteredModel[]>;
  /** Records a deployment; a second `running` deploy of one tier and target is refused (`validation_failed`, naming the first). */
  recordDeployment(deployment: NewDeployment): Promise<Deployment>;
  updateDeployment(id: string, change: DeploymentChange): Promise<Deployment>;
  /** Newest first; only those of one Space when `spaceId` is given. */
  listDeployments(spaceId?: string): Promise<Deployment[]>;
}

/** A stage of a training run: `launching`, then the Hub's job stages, then `registered` or `failed` for a completed job. */
export type TrainingStage = 'launching' | 'SCHEDULING' | 'RUNNING' | 'COMPLETED' | 'CANCELED' | 'ERROR' | 'DELETED' | 'registered' | 'failed';

/** One point of a run's progress, from the training script's progress events. */
export interface TrainingProgressPoint {
  step: number;
  maxSteps: number | null;
  loss: number | null;
  evalLoss: number | null;
  learningRate: number | null;
  at: Date;
}

/** A training run on Hugging Face Jobs (table `training_runs`). */
export interface TrainingRun {
  id: string;
  /** The Hub's job id; null while launching. */
  jobId: string | null;
  namespace: string;
  datasetRepo: string;
  datasetRevision: string;
  baseModel: string;
  kind: 'sft' | 'dpo';
  params: Record<string, string | number | boolean>;
  flavor: string;
  priceUsdPerHour: number | null;
  timeoutSeconds: number;
  outputRepo: string;
  scriptSha256: string;
  stage: TrainingStage;
  stageHistory: Array<{ stage: TrainingStage; at: Date; message: string | null }>;
  progress: TrainingProgressPoint[];
  lastLogLines: string[];
  failureReason: string | null;
  modelId: string | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A change to a run; `stage` appends to the history, `progress` appends points, the rest replace. */
export interface TrainingRunChange {
  jobId?: string;
  stage?: TrainingStage;
  stageMessage?: string | null;
  progress?: TrainingProgressPoint[];
  lastLogLines?: string[];
  failureReason?: string | null;
  startedAt?: Date;
  finishedAt?: Date;
}

/** Training runs, from launch to a registered model. */
export interface TrainingRunRepository {
  create(run: Omit<TrainingRun, 'id' | 'jobId' | 'stage' | 'stageHistory' | 'progress' | 'lastLogLines' | 'failureReason' | 'modelId' | 'createdAt' | 'startedAt' | 'finishedAt'> & { id?: string }): Promise<TrainingRun>;
  get(id: string): Promise<TrainingRun | undefined>;
  /** Newest first. */
  list(limit: number): Promise<TrainingRun[]>;
  /** Runs not finished yet, oldest first: what a starting app follows again. */
  listUnfinished(): Promise<TrainingRun[]>;
  update(id: string, change: TrainingRunChange): Promise<TrainingRun>;
  /**
   * Registers the run's model and marks the run `registered`, in one transaction: a run registers one model,
   * so completing a run again (an app restarted mid-way) returns the run as it is.
   */
  complete(id: string, model: NewRegisteredModel): Promise<TrainingRun>;
}

/** How a request ended. */
export type RequestStatus = 'ok' | 'error' | 'rejected' | 'aborted';

/** One logged request with its prompt and answer. Ids are generated by the caller so writes are idempotent. */
export interface RequestLogEntry {
  id: string;
  conversationId: string | null;
  userId: string | null;
  companySlug: string | null;
  requestedTier: TierChoice | null;
  tier: Tier | null;
  provider: Provider | null;
  modelId: string | null;
  modelVersion: string | null;
  routingReason: string | null;
  status: RequestStatus;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  finishReason: FinishReason | null;
  ttftMs: number | null;
  latencyMs: number;
  tokensIn: number | null;
  tokensOut: number | null;
  createdAt: Date;
  completedAt: Date;
  /** The user's prompt (the last user message); null for a request rejected before it was read. */
  prompt: { id: string; content: string } | null;
  /** The answer's text as the user saw it; null when there was none. */
  answer: { id: string; content: string } | null;
  /** Every target tried, in order, with why it served, failed or was skipped. */
  routeAttempts: RouteAttempt[];
  /** True when the answer came from the response cache. */
  cacheHit: boolean;
}

/** A stored message of a conversation or of a request. */
export interface StoredMessage {
  id: string;
  conversationId: string | null;
  requestId: string | null;
  role: 'system' | 'user' | 'assistant';
  content: string;
  createdAt: Date;
}

/** The request log: one row per request, plus its prompt and answer as messages. */
export interface RequestLogRepository {
  /** Writes the entry; writing the same entry twice leaves one row. */
  record(entry: RequestLogEntry): Promise<void>;
  /**
   * Writes many entries in one transaction with a few multi-row statements (for the batched log writer).
   * Idempotent by entry id like `record`. Every entry is validated first: one invalid entry fails the call
   * with `validation_failed` naming it, and nothing of the batch is written.
   */
  recordMany(entries: RequestLogEntry[]): Promise<void>;
  get(id: string): Promise<RequestLogEntry | undefined>;
  /** Most recent first. */
  listRecent(limit: number): Promise<RequestLogEntry[]>;
}

/** What a transcript shows of the request behind a message: where it went, how it went. */
export type RequestSummary = Pick<
  RequestLogEntry,
  | 'id'
  | 'tier'
  | 'provider'
  | 'modelId'
  | 'modelVersion'
  | 'routingReason'
  | 'status'
  | 'errorCode'
  | 'errorMessage'
  | 'finishReason'
  | 'ttftMs'
  | 'latencyMs'
  | 'tokensIn'
  | 'tokensOut'
  | 'routeAttempts'
  | 'cacheHit'
>;

/** One message of a conversation as a reader sees it again: with its request and the reader's feedback. */
export interface TranscriptTurn {
  message: StoredMessage;
  /** The request that carried this prompt or produced this answer. */
  request: RequestSummary | null;
  /** The viewer's own feedback on the answer (assistant messages only). */
  feedback: Feedback | null;
}

/** Conversations and their messages. */
export interface ConversationRepository {
  /** Messages oldest first, each with its request and the viewer's feedback, in one query; empty unless the viewer owns the conversation. */
  transcript(conversationId: string, viewerId: string): Promise<TranscriptTurn[]>;
  create(conversation: { id?: string; userId: string; companySlug?: string; title: string }): Promise<{ id: string }>;
  listForUser(userId: string): Promise<Array<{ id: string; title: string; companySlug: string | null; updatedAt: Date }>>;
  messages(conversationId: string): Promise<StoredMessage[]>;
}

/** Feedback on one answer by one user; saving again replaces it. */
export interface Feedback {
  id: string;
  requestId: string;
  userId: string;
  /** +1 thumbs up, -1 thumbs down. */
  thumbs: 1 | -1 | null;
  /** 1–5 stars. */
  rating: number | null;
  comment: string | null;
  correctedAnswer: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Feedback with the answer it is on: which tier and model version gave that answer. */
export interface FeedbackOnAnswer {
  thumbs: 1 | -1 | null;
  rating: number | null;
  updatedAt: Date;
  answer: Pick<RequestLogEntry, 'tier' | 'provider' | 'modelId' | 'modelVersion'>;
}

/** Feedback on answers. */
export interface FeedbackRepository {
  save(feedback: Omit<Feedback, 'id' | 'createdAt' | 'updatedAt'> & { id?: string }): Promise<Feedback>;
  forRequest(requestId: string): Promise<Feedback[]>;
  /** Feedback given or last changed at or after `since` that the reader may see, with its answer's tier and model; oldest first. */
  listGivenSince(since: Date): Promise<FeedbackOnAnswer[]>;
}

/** How a user judged the answers of one comparison. */
export type PreferenceVerdict = 'winner' | 'tie' | 'both_bad';

/** A stored Compare vote. */
export interface Preference {
  id: string;
  userId: string;
  prompt: string;
  requestIds: string[];
  verdict: PreferenceVerdict;
  winnerRequestId: string | null;
  createdAt: Date;
}

/** One answer shown in a Compare vote, as the request log has it. */
export interface VoteAnswer {
  requestId: string;
  /** Null (and so are the model fields) when the request is no longer logged, or not visible to the reader. */
  tier: Tier | null;
  modelId: string | null;
  modelVersion: string | null;
  /** The company the request named, if any. */
  companySlug: string | null;
}

/** A Compare vote with what was compared, for the leaderboard. */
export interface ComparedVote {
  id: string;
  userId: string;
  verdict: PreferenceVerdict;
  winnerRequestId: string | null;
  createdAt: Date;
  /** In the order shown. */
  answers: VoteAnswer[];
}

/** Which votes {@link PreferenceRepository.listVotes} returns. */
export interface VoteFilter {
  /** Only votes on requests that named this company. */
  company?: string;
  /** Only votes cast at or after this time. */
  since?: Date;
}

/** Compare votes (pairwise preference data for training). */
export interface PreferenceRepository {
  save(preference: Omit<Preference, 'id' | 'createdAt'> & { id?: string }): Promise<Preference>;
  /** Most recent first. */
  listForUser(userId: string, limit: number): Promise<Preference[]>;
  /** Every vote the reader may see, with its answers' tier, model and company; oldest first. */
  listVotes(filter: VoteFilter): Promise<ComparedVote[]>;
}

/** A snippet of company knowledge the Company tier adds when it runs on a generic model. */
export interface KnowledgeSnippet {
  title: string;
  content: string;
}

/** Company knowledge and anonymised cross-company insights, for the tiers' prompt steps. */
export interface KnowledgeRepository {
  addCompanySnippet(companySlug: string, snippet: KnowledgeSnippet): Promise<void>;
  /** Snippets of one company most relevant to the query (full-text rank), best first. */
  searchCompanySnippets(companySlug: string, query: string, limit: number): Promise<KnowledgeSnippet[]>;
  addCrossCompanyInsight(insight: KnowledgeSnippet & { sector: string | null; sampleSize: number }): Promise<void>;
  /** Anonymised insights most relevant to the query, best first. */
  searchCrossCompanyInsights(query: string, limit: number): Promise<KnowledgeSnippet[]>;
}

/** One label as the reviewer's app made it (migrations/011 triad_label_answers). */
export interface ReviewLabelWrite {
  /** The id of its history row, made by the app, so that writing it twice keeps it once. */
  historyId: string;
  requestId: string;
  label: ReviewLabelValue;
  correctedAnswer: string | null;
  tags: string[];
  note: string | null;
  reviewerId: string;
  /** When it was made on the reviewer's computer: the later label of an answer wins. */
  labelledAt: Date;
  /** Keep the correction, tags and note of the answer's current label (bulk labelling). */
  keepDetails: boolean;
}

/** A saved filter of the Review table. */
export interface ReviewQueueRecord {
  id: string;
  userId: string;
  name: string;
  filter: ReviewFilter;
  createdAt: Date;
}

/**
 * Review of logged answers (issue 8 §1): the table, the detail, labels and queues. Rows and labels are in the
 * shapes of src-shared/review-contract.ts, dates as ISO text. Which answers a reader sees is the store's business
 * (row-level security on Supabase; everything on the embedded store).
 */
export interface ReviewRepository {
  /** One page of answers matching the filter, sorted; with the first page (offset 0), how many match in all (else null). */
  list(query: { filter: ReviewFilter; sort: ReviewSort; offset: number; limit: number }): Promise<{ total: number | null; rows: ReviewRow[] }>;
  /** Undefined when there is no such request (or the reader may not see it). */
  detail(requestId: string): Promise<ReviewDetail | undefined>;
  /** The details of these answers, in this order, leaving out those that do not exist (or the reader may not see). */
  details(requestIds: string[]): Promise<ReviewDetail[]>;
  /** Ids of the answers the filter matches, newest first, at most `limit`. */
  matchingIds(filter: ReviewFilter, limit: number): Promise<string[]>;
  /** Of the answers the filter matches, ignoring its label condition: how many, and how many have a label. */
  progress(filter: ReviewFilter): Promise<{ total: number; done: number }>;
  /** Keeps every label in the history; each answer's current label becomes its latest. Returns the current labels. */
  label(labels: ReviewLabelWrite[]): Promise<ReviewLabelView[]>;
  /** Oldest first. */
  listQueues(userId: string): Promise<ReviewQueueRecord[]>;
  /** Creates the queue, or replaces the name and filter of the user's queue with this id. */
  saveQueue(queue: { id: string; userId: string; name: string; filter: ReviewFilter }): Promise<ReviewQueueRecord>;
  /** False when the user has no queue with this id. */
  deleteQueue(userId: string, id: string): Promise<boolean>;
}

/** One answered request as a dataset reads it: prompt, answer, its current review label and all its feedback. */
export interface DatasetSourceRequest {
  id: string;
  tier: Tier | null;
  /** The company the request named, if any. */
  companySlug: string | null;
  createdAt: Date;
  modelId: string | null;
  modelVersion: string | null;
  prompt: string | null;
  answer: string | null;
  label: { label: 'accepted' | 'rejected' | 'needs_fix'; correctedAnswer: string | null } | null;
  /** Newest first. */
  feedback: Array<{ thumbs: 1 | -1 | null; correctedAnswer: string | null }>;
}

/** A Compare vote with a winner, as a dataset reads it. */
export interface DatasetSourceVote {
  id: string;
  prompt: string;
  requestIds: string[];
  winnerRequestId: string;
  createdAt: Date;
}

/** What a dataset of one tier (and company) is built from. */
export interface DatasetSources {
  /** The tier's answered requests, and the other answers the votes showed; oldest first. */
  requests: DatasetSourceRequest[];
  /** Votes with a winner that showed one of the tier's answers; oldest first. */
  votes: DatasetSourceVote[];
}

/** A built dataset: `built`, then `pushed` (with the Hub's commit) or `push_failed` (retryable). */
export interface DatasetVersion {
  id: string;
  kind: 'sft' | 'dpo';
  tier: Tier;
  companySlug: string | null;
  /** Counts per split, source and label, what each filter removed, and the build parameters. */
  counts: Record<string, unknown>;
  anonymiserVersion: string;
  status: 'built' | 'pushed' | 'push_failed';
  repo: string | null;
  commitSha: string | null;
  pushError: string | null;
  createdBy: string;
  createdAt: Date;
  pushedAt: Date | null;
}

/** Datasets: their sources, and the versions built and pushed. */
export interface DatasetRepository {
  sources(scope: { tier: Tier; company: string | null }): Promise<DatasetSources>;
  recordBuild(build: Pick<DatasetVersion, 'kind' | 'tier' | 'companySlug' | 'counts' | 'anonymiserVersion' | 'createdBy'> & { id?: string }): Promise<DatasetVersion>;
  /** Marks a build pushed, with the commit the Hub made: called only after the commit succeeded. */
  recordPush(id: string, push: { repo: string; commitSha: string }): Promise<DatasetVersion>;
  /** Marks a build's push failed, with why; the build can be pushed again. */
  recordPushFailure(id: string, reason: string): Promise<DatasetVersion>;
  get(id: string): Promise<DatasetVersion | undefined>;
  /** Newest first. */
  list(limit: number): Promise<DatasetVersion[]>;
}

/** One side of an evaluation item as recorded: `candidate` (the version evaluated) or `serving` (the tier's version). */
export type EvaluationSide = 'candidate' | 'serving';

/** A verdict from the candidate's side, unblinded (the store never sees `a` / `b`). */
export type EvaluationVerdict = 'candidate' | 'serving' | 'tie';

/** One side's recorded answer. */
export interface EvaluationAnswerRecord {
  text: string;
  error: string | null;
  timeToFirstTokenMs: number | null;
  latencyMs: number | null;
}

/** An eval prompt of a run (table `evaluation_items`). */
export interface EvaluationItem {
  id: string;
  runId: string;
  position: number;
  companySlug: string | null;
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
  /** The eval example's reference answer, for a judge model; never shown beside the blind pair. */
  reference: string | null;
  /** The blind order drawn for the item: true = the candidate is answer `a`. */
  candidateFirst: boolean;
  candidate: EvaluationAnswerRecord | null;
  serving: EvaluationAnswerRecord | null;
  verdict: EvaluationVerdict | null;
  judgedBy: string | null;
  judgedAt: Date | null;
  judgeVerdict: EvaluationVerdict | null;
}

/** An evaluation run (table `evaluation_runs`); `report` is the JSON of src-shared's EvaluationReport. */
export interface EvaluationRun {
  id: string;
  candidateModelId: string;
  candidateVersion: string;
  candidateSource: 'staging' | 'local';
  tier: Tier;
  servingVersion: string;
  datasetVersion: string;
  status: 'generating' | 'judging' | 'completed' | 'failed' | 'cancelled';
  itemCount: number;
  /** Items both sides have answered (or failed to). */
  answered: number;
  /** Items with the operator's verdict. */
  judged: number;
  failureReason: string | null;
  /** The judge model, when one was configured at the start. */
  judgeModel: string | null;
  report: Record<string, unknown> | null;
  createdBy: string;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Evaluation runs and their items. */
export interface EvaluationRepository {
  /** The run and all its items in one transaction (an eval split with no examples is refused before this). */
  create(
    run: Omit<EvaluationRun, 'id' | 'status' | 'itemCount' | 'answered' | 'judged' | 'failureReason' | 'report' | 'createdAt' | 'finishedAt'> & { id?: string },
    items: Array<Pick<EvaluationItem, 'position' | 'companySlug' | 'messages' | 'reference' | 'candidateFirst'>>,
  ): Promise<EvaluationRun>;
  get(id: string): Promise<EvaluationRun | undefined>;
  /** Newest first; one candidate's when `candidateModelId` is given. */
  list(filter: { candidateModelId?: string; limit: number }): Promise<EvaluationRun[]>;
  /** Runs still `generating`: what a starting app carries on with. */
  listUnfinished(): Promise<EvaluationRun[]>;
  /** In position order. */
  items(runId: string): Promise<EvaluationItem[]>;
  /** Records one side's answer once: a second answer for the same side is ignored (a resumed run answers nothing twice). */
  recordAnswer(itemId: string, side: EvaluationSide, answer: EvaluationAnswerRecord): Promise<void>;
  /** The operator's verdict (replacing an earlier one), or the judge model's with `by: 'model'`. */
  judge(itemId: string, verdict: EvaluationVerdict, by: { userId: string } | 'model'): Promise<EvaluationItem>;
  update(id: string, change: { status?: EvaluationRun['status']; failureReason?: string | null; report?: Record<string, unknown>; finishedAt?: Date }): Promise<EvaluationRun>;
  /** The newest completed run of a candidate for a tier, with its report: what the deploy gate reads. */
  latestCompleted(candidateModelId: string, tier: Tier): Promise<EvaluationRun | undefined>;
}

/** A Compare vote with its prompt and each answer's tier, as the tier router trains on it. */
export interface RouterVoteSource {
  id: string;
  prompt: string;
  verdict: PreferenceVerdict;
  winnerRequestId: string | null;
  createdAt: Date;
  /** In the order shown; the tier is null when the request is no longer logged or not visible to the reader. */
  answers: Array<{ requestId: string; tier: Tier | null }>;
}

/** A thumbs up or down on one answer, with its prompt and tier, as the tier router trains on it. */
export interface RouterThumbSource {
  requestId: string;
  tier: Tier | null;
  prompt: string | null;
  thumbs: 1 | -1;
  createdAt: Date;
}

/** What a company's tier router is trained from. */
export interface RouterTrainingSources {
  votes: RouterVoteSource[];
  thumbs: RouterThumbSource[];
}

/** A trained tier router of one company (table `tier_routers`); the newest of a company is the one that serves. */
export interface TierRouterRecord {
  id: string;
  companySlug: string;
  /** The more expensive tier, chosen when the router's score reaches the threshold. */
  strongTier: Tier;
  /** The cheaper tier, chosen below the threshold. */
  weakTier: Tier;
  /** The fitted model as src-main/router/ writes it (feature space, IDF, weights): opaque to the store. */
  model: Record<string, unknown>;
  threshold: number;
  /** The largest share of requests the operator allowed to the strong tier, 0–1. */
  targetShare: number;
  voteCounts: Record<string, number>;
  /** The offline evaluation of the training. */
  metrics: Record<string, unknown>;
  trainedBy: string;
  trainedAt: Date;
}

/** Trained tier routers: written by ML leads and admins, read by every operator of the company. */
export interface TierRouterRepository {
  /** The votes and thumbs on the company's requests that the reader may see; oldest first. */
  trainingSources(companySlug: string): Promise<RouterTrainingSources>;
  save(router: Omit<TierRouterRecord, 'id' | 'trainedAt'>): Promise<TierRouterRecord>;
  /** The newest router of every company the reader may see. */
  listCurrent(): Promise<TierRouterRecord[]>;
}

/** Everything the rest of Triad may ask of storage. No caller sees SQL. */
export interface TriadStore {
  readonly directory: DirectoryRepository;
  readonly flags: FeatureFlagRepository;
  readonly settings: SettingsRepository;
  readonly spaces: SpaceConfigRepository;
  readonly registry: ModelRegistryRepository;
  readonly requests: RequestLogRepository;
  readonly conversations: ConversationRepository;
  readonly feedback: FeedbackRepository;
  readonly preferences: PreferenceRepository;
  readonly knowledge: KnowledgeRepository;
  readonly review: ReviewRepository;
  readonly datasets: DatasetRepository;
  readonly trainingRuns: TrainingRunRepository;
  readonly routers: TierRouterRepository;
  readonly evaluations: EvaluationRepository;
  /** Which backend this is, for status displays. */
  readonly backend: 'pglite' | 'postgres' | 'supabase';
  close(): Promise<void>;
}
