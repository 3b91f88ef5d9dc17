/**
 * Evaluation runs (issue 10 §2): a registered candidate answers the eval split of the dataset it was trained on
 * beside the version serving its tier, both streaming at once per item; an operator judges each pair blind; when
 * every answered item has a verdict the run completes and its report is stored with it (what the deploy gate
 * reads). A run is a store record from its start, with its items: closing the app stops the answering, and
 * `resume()` at the next start carries on with the items still unanswered (an answer is recorded once per side).
 */
import type { Logger } from 'pino';
import type { GenerationParams } from '../../src-shared/chat';
import { TriadError } from '../../src-shared/errors';
import {
  EvaluationStartSchema,
  type BlindVerdict,
  type EvaluationItemView,
  type EvaluationReport,
  type EvaluationRunDetail,
  type EvaluationStart,
} from '../../src-shared/evaluation-contract';
import type { SettingsService } from '../config/settings-service';
import type { ChatModel } from '../llm/chat-model';
import type { ChatModelFactory } from '../llm/chat-model-factory';
import type { FeatureFlagService } from '../llm/feature-flag-service';
import type { TargetResolver } from '../llm/model-target';
import type { EvaluationItem, EvaluationRun, EvaluationSide, TriadStore, UserAccess } from '../store/repositories';
import { answerOne, drawBlindOrder, newBlindSeed } from './answer-pair';
import { companiesOfExamples, readEvalSplit, type HubAccess } from './eval-split';
import { computeReport, isJudgeable } from './evaluation-report';
import { candidateSide, modelVersionOf, servingSide, type EvaluationSideTarget } from './evaluation-sides';
import { blindLetter, fromBlindVerdict, toItemView, toRunView } from './evaluation-views';
import { askJudge, judgeTarget } from './judge-model';

export interface EvaluationRunsOptions {
  store: () => Pick<TriadStore, 'evaluations' | 'registry' | 'spaces' | 'datasets' | 'requests'>;
  flags: FeatureFlagService;
  targets: TargetResolver;
  models: ChatModelFactory;
  settings: SettingsService;
  hubUrl: string;
  fetch: typeof fetch;
  getToken: () => Promise<string | undefined>;
  /** Where candidates' GGUFs are downloaded to. */
  cacheDir: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Sampling for both sides (default: at most 512 new tokens). */
  generation?: GenerationParams;
  /** The blind order's seed per run (tests fix it). */
  seed?: () => number;
}

/** A streamed piece of one blind answer. */
export interface EvaluationAnswerDelta {
  runId: string;
  itemId: string;
  side: 'a' | 'b';
  textDelta: string;
}

/** The candidate's GGUF download, for progress lines. */
export interface EvaluationDownload {
  file: string;
  downloadedBytes: number;
  totalBytes: number;
}

const LEADS = new Set(['ml_lead', 'admin']);

function refuse(message: string, code: 'validation_failed' | 'forbidden' = 'validation_failed'): TriadError {
  return new TriadError({ code, message });
}

function requireLead(operator: UserAccess, action: string): void {
  if (!LEADS.has(operator.role)) throw refuse(`${action}: ${operator.displayName} is an ${operator.role}; only ML leads and admins evaluate models`, 'forbidden');
}

export class EvaluationRuns {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly changeListeners = new Set<(run: EvaluationRun) => void>();
  private readonly answerListeners = new Set<(delta: EvaluationAnswerDelta) => void>();
  private readonly downloadListeners = new Set<(download: EvaluationDownload) => void>();
  private closed = false;

  constructor(private readonly options: EvaluationRunsOptions) {}

  private get runs() {
    return this.options.store().evaluations;
  }

  /** Told of every change of a run: status, counts, report. */
  onChange(listener: (run: EvaluationRun) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Told of every piece of text a side streams, as blind letters. */
  onAnswer(listener: (delta: EvaluationAnswerDelta) => void): () => void {
    this.answerListeners.add(listener);
    return () => this.answerListeners.delete(listener);
  }

  onDownload(listener: (download: EvaluationDownload) => void): () => void {
    this.downloadListeners.add(listener);
    return () => this.downloadListeners.delete(listener);
  }

  private announce(run: EvaluationRun): EvaluationRun {
    for (const listener of this.changeListeners) listener(run);
    return run;
  }

  list(filter: { modelId?: string; limit?: number } = {}): Promise<EvaluationRun[]> {
    return this.runs.list({ candidateModelId: filter.modelId, limit: filter.limit ?? 100 });
  }

  async get(runId: string): Promise<EvaluationRun> {
    const run = await this.runs.get(runId);
    if (!run) throw refuse(`evaluation run ${runId}: no such run`);
    return run;
  }

  /** The run with its items, blind. */
  async detail(runId: string): Promise<EvaluationRunDetail> {
    const run = await this.get(runId);
    return { ...toRunView(run), items: (await this.runs.items(runId)).map(toItemView) };
  }

  private async hub(): Promise<HubAccess> {
    const token = await this.options.getToken().catch(() => undefined);
    return { hubUrl: this.options.hubUrl, fetch: this.options.fetch, token: token || undefined };
  }

  /** Starts a run (ML leads and admins): refused, with nothing recorded, when a side cannot answer or the split is empty. */
  async start(input: Partial<EvaluationStart> & { modelId: string }, operator: UserAccess): Promise<EvaluationRun> {
    requireLead(operator, 'starting an evaluation');
    const parsed = EvaluationStartSchema.safeParse(input);
    if (!parsed.success) throw refuse(`starting an evaluation: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
    const { modelId, candidate: source, limit } = parsed.data;
    const store = this.options.store();
    const model = (await store.registry.list()).find((m) => m.id === modelId);
    if (!model) throw refuse(`starting an evaluation: model ${modelId} is not registered`);
    const version = modelVersionOf(model);
    if (!model.tier) throw refuse(`evaluating ${version}: the registry gives it no tier, so there is no serving version to compare it with`);
    if (!model.datasetVersion) throw refuse(`evaluating ${version}: the registry names no dataset it was trained on, so there is no eval split to replay`);
    const tier = model.tier;

    const serving = await servingSide(tier, this.options);
    // Staging is checked before the split is read; a local GGUF is downloaded only once the split is known to hold examples.
    const staged = source === 'staging' ? await this.candidateOf(model, tier, source) : undefined;
    const examples = (await readEvalSplit(model.datasetVersion, await this.hub())).slice(0, limit);
    const candidate = staged ?? (await this.candidateOf(model, tier, source));
    const companies = await companiesOfExamples(this.options.store(), model.datasetVersion, examples);
    const order = drawBlindOrder(this.options.seed?.() ?? newBlindSeed(), examples.length);
    const judge = await judgeTarget(this.options.settings);
    const run = await this.runs.create(
      {
        candidateModelId: model.id,
        candidateVersion: version,
        candidateSource: source,
        tier,
        servingVersion: serving.version,
        datasetVersion: model.datasetVersion,
        judgeModel: judge?.name ?? null,
        createdBy: operator.id,
      },
      examples.map((example, position) => ({
        position,
        companySlug: companies[position] ?? null,
        messages: example.messages,
        reference: example.reference,
        candidateFirst: order[position]!,
      })),
    );
    this.options.logger.info({ runId: run.id, candidate: version, serving: serving.version, items: run.itemCount }, 'evaluation started');
    this.announce(run);
    this.follow(run, { candidate, serving });
    return run;
  }

  private candidateOf(model: Parameters<typeof candidateSide>[0], tier: EvaluationRun['tier'], source: EvaluationRun['candidateSource']) {
    return candidateSide(model, tier, source, {
      spaces: this.options.store().spaces,
      hub: () => this.hub(),
      cacheDir: this.options.cacheDir,
      onDownload: (progress) => {
        for (const listener of this.downloadListeners) listener(progress);
      },
    });
  }

  /** Answers a run's unanswered items in the background. */
  private follow(run: EvaluationRun, sides?: { candidate: EvaluationSideTarget; serving: EvaluationSideTarget }): void {
    if (this.closed || this.running.has(run.id)) return;
    const abort = new AbortController();
    const done = this.generate(run, abort.signal, sides)
      .catch(async (error: unknown) => {
        if (abort.signal.aborted) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger.warn({ runId: run.id, err: error }, 'evaluation failed');
        await this.finish(run.id, { status: 'failed', failureReason: reason }).catch(() => undefined);
      })
      .finally(() => this.running.delete(run.id));
    this.running.set(run.id, { abort, done });
  }

  private async generate(run: EvaluationRun, signal: AbortSignal, given?: { candidate: EvaluationSideTarget; serving: EvaluationSideTarget }): Promise<void> {
    const sides = given ?? (await this.sidesAgain(run));
    const { idleTimeoutMs } = await this.options.settings.get('provider.timeouts');
    const models: Record<EvaluationSide, ChatModel> = {
      candidate: this.options.models.create(sides.candidate.target, { idleTimeoutMs }),
      serving: this.options.models.create(sides.serving.target, { idleTimeoutMs }),
    };
    const params = this.options.generation ?? { maxTokens: 512 };
    // The judge the run started with; none if the setting has changed since.
    const judge = run.judgeModel ? await judgeTarget(this.options.settings) : undefined;
    const judgeModel = judge?.name === run.judgeModel ? this.options.models.create(judge!.target, { idleTimeoutMs }) : undefined;
    for (const stored of await this.runs.items(run.id)) {
      if (signal.aborted) return;
      const item = { ...stored };
      const missing = (['candidate', 'serving'] as const).filter((side) => item[side] === null);
      if (missing.length > 0) {
        // Another process (the CLI, another computer) may have cancelled the run.
        if ((await this.runs.get(run.id))?.status !== 'generating') return;
        await Promise.all(
          missing.map(async (side) => {
            const letter = blindLetter(item, side);
            const answer = await answerOne(models[side], item.messages, params, signal, (textDelta) => {
              for (const listener of this.answerListeners) listener({ runId: run.id, itemId: item.id, side: letter, textDelta });
            });
            // A whole answer is kept even when the app is closing (close waits for it): only unfinished ones are lost.
            await this.runs.recordAnswer(item.id, side, answer);
            item[side] = answer;
          }),
        ).catch((error: unknown) => {
          if (!signal.aborted) throw error;
        });
        if (signal.aborted) return;
        this.announce(await this.get(run.id));
      }
      if (judgeModel && item.judgeVerdict === null && isJudgeable(item)) await this.judgeByModel(judgeModel, run.id, item, signal);
    }
    await this.afterGeneration(run.id);
  }

  /** The judge model's verdict on one pair; a judge that fails or gives no verdict leaves the pair to the operator alone. */
  private async judgeByModel(judge: ChatModel, runId: string, item: EvaluationItem, signal: AbortSignal): Promise<void> {
    try {
      const verdict = await askJudge(judge, item, signal);
      if (signal.aborted) return;
      if (verdict) await this.runs.judge(item.id, fromBlindVerdict(item, verdict), 'model');
      else this.options.logger.warn({ runId, itemId: item.id, judge: judge.modelId }, 'the judge model gave no verdict (A, B or TIE)');
    } catch (error) {
      if (!signal.aborted) this.options.logger.warn({ runId, itemId: item.id, err: error }, 'the judge model failed');
    }
  }

  /** The sides of a run taken up again after a restart: the same candidate, what serves the tier now. */
  private async sidesAgain(run: EvaluationRun): Promise<{ candidate: EvaluationSideTarget; serving: EvaluationSideTarget }> {
    const model = (await this.options.store().registry.list()).find((m) => m.id === run.candidateModelId);
    if (!model) throw refuse(`the candidate ${run.candidateVersion} is no longer registered`);
    return { candidate: await this.candidateOf(model, run.tier, run.candidateSource), serving: await servingSide(run.tier, this.options) };
  }

  private async afterGeneration(runId: string): Promise<void> {
    const items = await this.runs.items(runId);
    if (!items.some(isJudgeable)) {
      const firstError = items.map((i) => i.candidate?.error ?? i.serving?.error).find((e) => e);
      await this.finish(runId, { status: 'failed', failureReason: `no item was answered by both sides${firstError ? `: ${firstError}` : ''}` });
      return;
    }
    const run = await this.get(runId);
    if (run.status !== 'generating') return;
    this.announce(await this.runs.update(runId, { status: 'judging' }));
    await this.completeIfJudged(runId);
  }

  /** Completes a judging run once every answered item has a verdict; a completed run's report follows a changed verdict. */
  private async completeIfJudged(runId: string): Promise<boolean> {
    const run = await this.get(runId);
    if (run.status !== 'judging' && run.status !== 'completed') return false;
    const items = await this.runs.items(runId);
    if (!items.filter(isJudgeable).every((i) => i.verdict !== null)) return false;
    const report = computeReport(run, items);
    const completed = await this.runs.update(runId, { status: 'completed', report: report as unknown as Record<string, unknown>, finishedAt: run.finishedAt ?? new Date() });
    if (run.status !== 'completed') this.options.logger.info({ runId, winRate: report.overall.winRate }, 'evaluation completed');
    this.announce(completed);
    return true;
  }

  private async finish(runId: string, change: { status: 'failed' | 'cancelled'; failureReason: string }): Promise<EvaluationRun> {
    return this.announce(await this.runs.update(runId, { ...change, finishedAt: new Date() }));
  }

  /** Records the operator's blind verdict on an item (again: replaces it). */
  async judge(runId: string, itemId: string, verdict: BlindVerdict, operator: UserAccess): Promise<EvaluationItemView> {
    requireLead(operator, `judging evaluation run ${runId}`);
    const run = await this.get(runId);
    if (run.status === 'cancelled' || run.status === 'failed') throw refuse(`judging evaluation run ${runId}: the run is ${run.status}`);
    const item = (await this.runs.items(runId)).find((i) => i.id === itemId);
    if (!item) throw refuse(`judging evaluation run ${runId}: it has no item ${itemId}`);
    if (!isJudgeable(item)) throw refuse(`judging item ${item.position + 1} of evaluation run ${runId}: ${unjudgeableReason(item)}`);
    const judged = await this.runs.judge(itemId, fromBlindVerdict(item, verdict), { userId: operator.id });
    if (!(await this.completeIfJudged(runId))) this.announce(await this.get(runId));
    return toItemView(judged);
  }

  /** Stops a run that is answering or being judged; its verdicts so far stay recorded. */
  async cancel(runId: string, operator: UserAccess): Promise<EvaluationRun> {
    requireLead(operator, `cancelling evaluation run ${runId}`);
    const run = await this.get(runId);
    if (run.status !== 'generating' && run.status !== 'judging') throw refuse(`cancelling evaluation run ${runId}: it is already ${run.status}`);
    const active = this.running.get(runId);
    active?.abort.abort(new Error('cancelled'));
    await active?.done;
    return this.finish(runId, { status: 'cancelled', failureReason: `cancelled by ${operator.displayName}` });
  }

  /** The stored report of a completed run; for any other, the report of its verdicts so far. */
  async report(runId: string): Promise<EvaluationReport> {
    const run = await this.get(runId);
    const stored = toRunView(run).report;
    if (run.status === 'completed' && stored) return stored;
    return computeReport(run, await this.runs.items(runId));
  }

  /** Carries on with the runs a previous start left answering. */
  async resume(): Promise<number> {
    const unfinished = await this.runs.listUnfinished();
    for (const run of unfinished) this.follow(run);
    return unfinished.length;
  }

  /** Resolves once the run stops answering (all items answered, cancelled or failed). */
  async settled(runId: string): Promise<void> {
    await this.running.get(runId)?.done;
  }

  /** Stops answering (the runs stay `generating`, for the next start to carry on with). */
  async close(): Promise<void> {
    this.closed = true;
    const active = [...this.running.values()];
    for (const { abort } of active) abort.abort(new Error('the app is closing'));
    await Promise.all(active.map((a) => a.done));
  }
}

function unjudgeableReason(item: EvaluationItem): string {
  if (item.candidate === null || item.serving === null) return 'both sides have not answered yet';
  return `it cannot be judged: ${item.candidate.error ?? item.serving.error}`;
}
