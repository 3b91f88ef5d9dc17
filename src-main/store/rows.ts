import type { Tier } from '../../src-shared/domain';
import { TriadError } from '../../src-shared/errors';
import type { Company, Deployment, NewDeployment, Feedback, Preference, RegisteredModel, RequestSummary, SpaceConfig, StoredMessage, TrainingRun, TranscriptTurn } from './repositories';
import { toDate, toNumber, toText } from './values';

/**
 * Column lists and row → domain mappers shared by every backend: the SQL store and the Supabase adapter read
 * the same tables, so a row means the same thing whichever way it arrived.
 */
type Row = Record<string, unknown>;

export const FEEDBACK_COLUMNS = 'id, request_id, user_id, thumbs, rating, comment, corrected_answer, created_at, updated_at';
export const MODEL_COLUMNS =
  'id, name, version, tier, hf_model_id, hf_space_id, hf_space_url, created_at, hf_commit, base_model, dataset_version, gguf_file, training_run_id, metrics';
// One literal (not a concatenation): supabase-js parses the column list from its type.
export const TRAINING_RUN_COLUMNS =
  'id, job_id, namespace, dataset_repo, dataset_revision, base_model, kind, params, flavor, price_usd_per_hour, timeout_seconds, output_repo, script_sha256, stage, stage_history, progress, last_log_lines, failure_reason, model_id, created_by, created_at, started_at, finished_at';
export const DEPLOYMENT_COLUMNS =
  'id, space_id, model_id, deployment_status, deployment_logs, created_at, updated_at, tier, target, kind, space_repo, model_version, previous_deployment_id, steps, hardware, sleep_time_seconds, override_reason, created_by, installation_id, finished_at';
export const PREFERENCE_COLUMNS = 'id, user_id, prompt, request_ids, verdict, winner_request_id, created_at';
export const SPACE_COLUMNS = 'id, space_name, space_type, api_endpoint, is_active, model_version';

export function toMessage(row: Row): StoredMessage {
  return {
    id: String(row.id),
    conversationId: toText(row.conversation_id),
    requestId: toText(row.request_id),
    role: row.role as StoredMessage['role'],
    content: String(row.content),
    createdAt: toDate(row.created_at),
  };
}

export function toCompany(row: Row): Company {
  return { id: String(row.id), slug: String(row.slug), name: String(row.name) };
}

export function toFeedback(row: Row): Feedback {
  return {
    id: String(row.id),
    requestId: String(row.request_id),
    userId: String(row.user_id),
    thumbs: toNumber(row.thumbs) as Feedback['thumbs'],
    rating: toNumber(row.rating),
    comment: toText(row.comment),
    correctedAnswer: toText(row.corrected_answer),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function toModel(row: Row): RegisteredModel {
  return {
    id: String(row.id),
    name: String(row.name),
    version: String(row.version),
    tier: (row.tier as Tier | null) ?? null,
    hfModelId: toText(row.hf_model_id),
    hfSpaceId: toText(row.hf_space_id),
    hfSpaceUrl: toText(row.hf_space_url),
    createdAt: toDate(row.created_at),
    hfCommit: toText(row.hf_commit),
    baseModel: toText(row.base_model),
    datasetVersion: toText(row.dataset_version),
    ggufFile: toText(row.gguf_file),
    trainingRunId: toText(row.training_run_id),
    metrics: (jsonValue(row.metrics) as Record<string, number> | null) ?? null,
  };
}

/** A jsonb column: parsed by pg and PostgREST, text from anything else. */
function jsonValue(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function toTrainingRun(row: Row): TrainingRun {
  const dated = <T extends { at: unknown }>(items: T[]) => items.map((item) => ({ ...item, at: toDate(item.at) }));
  return {
    id: String(row.id),
    jobId: toText(row.job_id),
    namespace: String(row.namespace),
    datasetRepo: String(row.dataset_repo),
    datasetRevision: String(row.dataset_revision),
    baseModel: String(row.base_model),
    kind: row.kind as TrainingRun['kind'],
    params: (jsonValue(row.params) ?? {}) as TrainingRun['params'],
    flavor: String(row.flavor),
    priceUsdPerHour: toNumber(row.price_usd_per_hour),
    timeoutSeconds: Number(row.timeout_seconds),
    outputRepo: String(row.output_repo),
    scriptSha256: String(row.script_sha256),
    stage: row.stage as TrainingRun['stage'],
    stageHistory: dated((jsonValue(row.stage_history) ?? []) as TrainingRun['stageHistory']),
    progress: dated((jsonValue(row.progress) ?? []) as TrainingRun['progress']),
    lastLogLines: ((row.last_log_lines as unknown[] | null) ?? []).map(String),
    failureReason: toText(row.failure_reason),
    modelId: toText(row.model_id),
    createdBy: String(row.created_by),
    createdAt: toDate(row.created_at),
    startedAt: row.started_at ? toDate(row.started_at) : null,
    finishedAt: row.finished_at ? toDate(row.finished_at) : null,
  };
}

export function toDeployment(row: Row): Deployment {
  return {
    // The seed leaves both references nullable; rows written through this repository always have them.
    id: String(row.id),
    spaceId: String(row.space_id ?? ''),
    modelId: String(row.model_id ?? ''),
    deploymentStatus: String(row.deployment_status),
    deploymentLogs: toText(row.deployment_logs),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    tier: (row.tier as Tier | null) ?? null,
    target: (row.target as Deployment['target'] | null) ?? 'live',
    kind: (row.kind as Deployment['kind'] | null) ?? 'deploy',
    spaceRepo: toText(row.space_repo),
    modelVersion: toText(row.model_version),
    previousDeploymentId: toText(row.previous_deployment_id),
    steps: ((jsonValue(row.steps) ?? []) as Array<Deployment['steps'][number] & { startedAt: unknown; finishedAt: unknown }>).map((step) => ({
      ...step,
      startedAt: step.startedAt ? toDate(step.startedAt) : null,
      finishedAt: step.finishedAt ? toDate(step.finishedAt) : null,
    })),
    hardware: toText(row.hardware),
    sleepTimeSeconds: toNumber(row.sleep_time_seconds),
    overrideReason: toText(row.override_reason),
    createdBy: toText(row.created_by),
    installationId: toText(row.installation_id),
    finishedAt: row.finished_at ? toDate(row.finished_at) : null,
  };
}

export function toPreference(row: Row): Preference {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    prompt: String(row.prompt),
    requestIds: (row.request_ids as unknown[]).map(String),
    verdict: row.verdict as Preference['verdict'],
    winnerRequestId: toText(row.winner_request_id),
    createdAt: toDate(row.created_at),
  };
}

export function toSpace(row: Row): SpaceConfig {
  return {
    id: String(row.id),
    spaceName: String(row.space_name),
    spaceType: row.space_type as Tier,
    apiEndpoint: String(row.api_endpoint),
    // The seed leaves is_active nullable; a Space nobody marked active is not active.
    isActive: row.is_active === true,
    modelVersion: toText(row.model_version),
  };
}

/** The request columns of a transcript row (joined to its message); null when the message has no request. */
export function toRequestSummary(row: Row, requestId: unknown): RequestSummary | null {
  if (!requestId) return null;
  return {
    id: String(requestId),
    tier: row.tier as RequestSummary['tier'],
    provider: row.provider as RequestSummary['provider'],
    modelId: toText(row.model_id),
    modelVersion: toText(row.model_version),
    routingReason: toText(row.routing_reason),
    status: row.status as RequestSummary['status'],
    errorCode: row.error_code as RequestSummary['errorCode'],
    errorMessage: toText(row.error_message),
    finishReason: row.finish_reason as RequestSummary['finishReason'],
    ttftMs: toNumber(row.ttft_ms),
    latencyMs: Number(row.latency_ms),
    tokensIn: toNumber(row.tokens_in),
    tokensOut: toNumber(row.tokens_out),
    // jsonb arrives parsed from pg and PostgREST; as text from anything else.
    routeAttempts: (typeof row.route_attempts === 'string' ? JSON.parse(row.route_attempts) : (row.route_attempts ?? [])) as RequestSummary['routeAttempts'],
    cacheHit: row.cache_hit === true,
  };
}

/** The viewer's own feedback columns of a transcript row (f_* aliases); null when they gave none. */
export function toViewerFeedback(row: Row, viewerId: string): TranscriptTurn['feedback'] {
  if (!row.f_id) return null;
  return {
    id: String(row.f_id),
    requestId: String(row.request_id),
    userId: viewerId,
    thumbs: toNumber(row.thumbs) as 1 | -1 | null,
    rating: toNumber(row.rating),
    comment: toText(row.comment),
    correctedAnswer: toText(row.corrected_answer),
    createdAt: toDate(row.f_created_at),
    updatedAt: toDate(row.f_updated_at),
  };
}

/** The parameters $1…$16 of inserting a deployment, in the SQL store's and the Supabase adapter's order. */
export function newDeploymentParams(d: NewDeployment): unknown[] {
  return [
    d.spaceId,
    d.modelId,
    d.deploymentStatus,
    d.deploymentLogs ?? null,
    d.tier ?? null,
    d.target ?? null,
    d.kind ?? null,
    d.spaceRepo ?? null,
    d.modelVersion ?? null,
    d.previousDeploymentId ?? null,
    JSON.stringify(d.steps ?? []),
    d.hardware ?? null,
    d.sleepTimeSeconds ?? null,
    d.overrideReason ?? null,
    d.createdBy ?? null,
    d.installationId ?? null,
  ];
}

/** A second deploy of a tier while one runs: refused, naming the one that runs. */
export function deployRunningError(running: Deployment): TriadError {
  return new TriadError({
    code: 'validation_failed',
    message: `a ${running.kind} of the ${running.tier} tier${running.target === 'staging' ? ' (staging)' : ''} is already running: deployment ${running.id} of ${running.modelVersion ?? 'a model'}, started ${running.createdAt.toISOString()}; wait for it to end`,
  });
}
