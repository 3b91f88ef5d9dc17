import { z } from 'zod';
import { TIERS } from './domain';

/**
 * The ML leads' evaluation channels (issue 10 §2): a candidate model version answers the eval split of the dataset
 * it was trained on beside the version serving its tier; the operator judges each pair blind (order randomised,
 * a / b / tie), and the report (win rate with a 95% interval, per company) is what the deploy gate reads.
 *
 * Blindness is kept by the main process: an item reaches the renderer as answers `a` and `b`, never as candidate
 * and serving, and a verdict comes back as `a`, `b` or `tie`. Which side was which appears only in the report.
 */

const isoDate = z.iso.datetime();

/** `generating` (answers being produced), `judging` (all answered, verdicts pending), then one of the last three. */
export const EVALUATION_STATUSES = ['generating', 'judging', 'completed', 'failed', 'cancelled'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

/** Where the candidate answers from: its staging Space (deployed with `triad deploy --staging`), or locally from its GGUF. */
export const CANDIDATE_SOURCES = ['staging', 'local'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/** A blind verdict: answer a, answer b, or neither is better. */
export const BLIND_VERDICTS = ['a', 'b', 'tie'] as const;
export type BlindVerdict = (typeof BLIND_VERDICTS)[number];

/** One side's answer to an eval prompt, as measured through the facade's providers. Text is untrusted (model output). */
export const EvaluationAnswerSchema = z.object({
  text: z.string(),
  /** Set when the side failed to answer; such an item cannot be judged and is left out of the report. */
  error: z.string().nullable(),
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
});
export type EvaluationAnswer = z.output<typeof EvaluationAnswerSchema>;

/** One eval prompt with its two answers, blind: `a` and `b` in the order drawn for this item. */
export const EvaluationItemViewSchema = z.object({
  id: z.uuid(),
  position: z.int().nonnegative(),
  companySlug: z.string().nullable(),
  /** The conversation up to the prompt (the eval example without its reference answer). */
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  /** Null while that side is still answering. */
  a: EvaluationAnswerSchema.nullable(),
  b: EvaluationAnswerSchema.nullable(),
  /** The operator's verdict, once given. */
  verdict: z.enum(BLIND_VERDICTS).nullable(),
  /** The judge model's verdict, when one is configured and has judged. */
  judgeVerdict: z.enum(BLIND_VERDICTS).nullable(),
});
export type EvaluationItemView = z.output<typeof EvaluationItemViewSchema>;

/** One side's figures in a report. */
export const EvaluationSideStatsSchema = z.object({
  /** `owner/name@commit`, or the local GGUF's name. */
  modelVersion: z.string(),
  meanAnswerChars: z.number().nullable(),
  p50TimeToFirstTokenMs: z.number().nullable(),
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
  errors: z.int().nonnegative(),
});

/** Verdicts counted from the candidate's side; win rate counts a tie as half a win. */
export const EvaluationTallySchema = z.object({
  judged: z.int().nonnegative(),
  wins: z.int().nonnegative(),
  losses: z.int().nonnegative(),
  ties: z.int().nonnegative(),
  /** (wins + ties / 2) / judged; null with no verdicts. */
  winRate: z.number().min(0).max(1).nullable(),
  /** The 95% interval of the win rate. */
  interval: z.object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) }).nullable(),
});
export type EvaluationTally = z.output<typeof EvaluationTallySchema>;

/** What an evaluation found: stored with the run (and so with the candidate's model version) when it completes. */
export const EvaluationReportSchema = z.object({
  runId: z.uuid(),
  candidateModelId: z.uuid(),
  tier: z.enum(TIERS),
  candidate: EvaluationSideStatsSchema,
  serving: EvaluationSideStatsSchema,
  /** The operator's verdicts: what the deploy gate reads. */
  overall: EvaluationTallySchema,
  perCompany: z.array(EvaluationTallySchema.extend({ companySlug: z.string().nullable() })),
  /** The judge model's verdicts, when one judged; reported beside the operator's, never instead of them. */
  judgeModel: z.object({ model: z.string(), overall: EvaluationTallySchema, agreementWithOperator: z.number().min(0).max(1).nullable() }).nullable(),
  /** How many items were left out because a side failed to answer. */
  unanswered: z.int().nonnegative(),
  computedAt: isoDate,
});
export type EvaluationReport = z.output<typeof EvaluationReportSchema>;

/** An evaluation run as the Evaluation page lists it. */
export const EvaluationRunViewSchema = z.object({
  id: z.uuid(),
  candidateModelId: z.uuid(),
  /** `owner/name@commit` of the candidate. */
  candidateVersion: z.string(),
  candidateSource: z.enum(CANDIDATE_SOURCES),
  tier: z.enum(TIERS),
  /** The version that served the tier when the run started. */
  servingVersion: z.string(),
  /** The eval split replayed, `owner/name@commit`. */
  datasetVersion: z.string(),
  status: z.enum(EVALUATION_STATUSES),
  itemCount: z.int().nonnegative(),
  answered: z.int().nonnegative(),
  judged: z.int().nonnegative(),
  failureReason: z.string().nullable(),
  /** Set once the run completed. */
  report: EvaluationReportSchema.nullable(),
  createdBy: z.uuid(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type EvaluationRunView = z.output<typeof EvaluationRunViewSchema>;

export const EvaluationRunDetailSchema = EvaluationRunViewSchema.extend({ items: z.array(EvaluationItemViewSchema) });
export type EvaluationRunDetail = z.output<typeof EvaluationRunDetailSchema>;

/** What starting an evaluation needs; the tier and the eval split come from the candidate's registry row. */
export const EvaluationStartSchema = z.strictObject({
  modelId: z.uuid(),
  candidate: z.enum(CANDIDATE_SOURCES).default('staging'),
  /** Replay at most this many eval examples (in the split's order). */
  limit: z.int().min(1).max(1_000).default(50),
});
export type EvaluationStart = z.output<typeof EvaluationStartSchema>;

const runId = z.strictObject({ runId: z.uuid() });

export const EVALUATION_CHANNELS = {
  /** Runs, newest first; only one candidate's when `modelId` is given. */
  'evaluation.list': { input: z.strictObject({ modelId: z.uuid().optional() }), output: z.array(EvaluationRunViewSchema) },
  /** Starts a run (ML leads and admins only): answers are produced in the background, with `evaluation.changed` and `evaluation.answer`. */
  'evaluation.start': { input: EvaluationStartSchema, output: EvaluationRunViewSchema },
  'evaluation.get': { input: runId, output: EvaluationRunDetailSchema },
  /** Records the operator's blind verdict on one item (again: replaces it); the run completes when every answered item has one. */
  'evaluation.judge': { input: z.strictObject({ runId: z.uuid(), itemId: z.uuid(), verdict: z.enum(BLIND_VERDICTS) }), output: EvaluationItemViewSchema },
  'evaluation.cancel': { input: runId, output: EvaluationRunViewSchema },
  /** The run's report as it stands (computed from the verdicts so far for a run still being judged). */
  'evaluation.report': { input: runId, output: EvaluationReportSchema },
} as const;

export const EVALUATION_EVENTS = {
  /** A run changed: status, counts or report. */
  'evaluation.changed': EvaluationRunViewSchema,
  /** Text streamed by one side of one item while it answers, for the side-by-side view. */
  'evaluation.answer': z.object({ runId: z.uuid(), itemId: z.uuid(), side: z.enum(['a', 'b']), textDelta: z.string() }),
} as const;
