import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CANDIDATE_SOURCES, type CandidateSource, type EvaluationReport, type EvaluationTally } from '../../../src-shared/evaluation-contract';
import { currentOperator } from '../../api/operator';
import type { AppServices } from '../../app-services';
import { isJudgeable } from '../../evaluation/evaluation-report';
import { toItemView } from '../../evaluation/evaluation-views';
import type { EvaluationRun } from '../../store/repositories';
import { isUuid } from '../../store/values';
import { badInput, CliError, printData, printProgress } from '../cli-io';
import { withAppServices, type DataOptions } from '../cli-services';

const positiveInt = (flag: string) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1_000) throw new InvalidArgumentError(`${flag} must be a whole number from 1 to 1000, got '${text}'`);
  return value;
};

const percent = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(0)}%`);
const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)} ms`);

/** The registered model an `--model` names: its id, or `owner/name@commit`. */
async function modelIdOf(services: AppServices, reference: string): Promise<string> {
  const models = await services.store.registry.list();
  const model = models.find((m) => m.id === reference || `${m.name}@${m.version}` === reference || (m.hfModelId && m.hfCommit && `${m.hfModelId}@${m.hfCommit}` === reference));
  if (!model) throw badInput(`--model ${reference}: no registered model version is called that (see triad runs, or the Training page)`);
  return model.id;
}

async function runOf(services: AppServices, runId: string): Promise<EvaluationRun> {
  if (!isUuid(runId)) throw badInput(`RUN must be an evaluation run id (a UUID), got '${runId}'`);
  return services.evaluations.get(runId);
}

/** One line a person reads about a run. */
function describeRun(run: EvaluationRun): string {
  const report = run.report as { overall?: EvaluationTally } | null;
  return [
    run.id,
    run.status,
    `${run.candidateVersion} (${run.candidateSource}) vs ${run.servingVersion}`,
    run.tier,
    `answered ${run.answered}/${run.itemCount}`,
    `judged ${run.judged}`,
    report?.overall ? `win rate ${percent(report.overall.winRate)} [${percent(report.overall.interval?.low)}, ${percent(report.overall.interval?.high)}]` : '',
    run.failureReason ?? '',
  ].filter(Boolean).join('  ');
}

function tallyLine(t: EvaluationTally): string {
  return `win rate ${percent(t.winRate)} (95% interval ${percent(t.interval?.low)}–${percent(t.interval?.high)}), ${t.wins} wins / ${t.losses} losses / ${t.ties} ties of ${t.judged} judged`;
}

function printReport(report: EvaluationReport): void {
  printData(`candidate ${report.candidate.modelVersion} against ${report.serving.modelVersion} (${report.tier} tier)`);
  printData(`overall: ${tallyLine(report.overall)}`);
  for (const company of report.perCompany) printData(`  ${company.companySlug ?? '(no company)'}: ${tallyLine(company)}`);
  for (const [name, side] of [['candidate', report.candidate], ['serving', report.serving]] as const) {
    printData(`${name}: mean length ${side.meanAnswerChars === null ? '–' : Math.round(side.meanAnswerChars)} chars, p50 TTFT ${ms(side.p50TimeToFirstTokenMs)}, latency p50 ${ms(side.p50LatencyMs)} p95 ${ms(side.p95LatencyMs)}, ${side.errors} errors`);
  }
  if (report.unanswered > 0) printData(`${report.unanswered} item(s) left out: a side failed to answer`);
}

/** Reads verdicts from stdin, one line per pair shown: a, b, t (tie), s (skip) or q (quit). */
async function judgeInteractively(services: AppServices, run: EvaluationRun): Promise<void> {
  const operator = await currentOperator(services);
  const pending = (await services.store.evaluations.items(run.id)).filter((item) => isJudgeable(item) && item.verdict === null);
  if (pending.length === 0) {
    printProgress(run.judged > 0 ? `every answered item of ${run.id} is judged` : `${run.id} has no answered item to judge`);
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let judged = 0;
  let skipped = 0;
  try {
    for (const [index, item] of pending.entries()) {
      const view = toItemView(item);
      printData(`── item ${item.position + 1} (${index + 1} of ${pending.length})${item.companySlug ? ` · ${item.companySlug}` : ''}`);
      for (const message of view.messages) printData(`${message.role}: ${message.content}`);
      printData(`[a] ${view.a!.text}`);
      printData(`[b] ${view.b!.text}`);
      for (;;) {
        printProgress('verdict: a, b, t (tie), s (skip), q (quit)?');
        const next = await lines.next();
        if (next.done) {
          printProgress(`stopped at the end of the input: ${judged} judged, ${pending.length - judged - skipped} left`);
          return;
        }
        const answer = String(next.value).trim().toLowerCase();
        if (answer === 'q') {
          printProgress(`stopped: ${judged} judged, ${pending.length - judged - skipped} left`);
          return;
        }
        if (answer === 's') {
          skipped++;
          break;
        }
        const verdict = answer === 't' || answer === 'tie' ? 'tie' : answer === 'a' || answer === 'b' ? answer : undefined;
        if (!verdict) {
          printProgress(`'${answer.slice(0, 20)}' is not a verdict`);
          continue;
        }
        await services.evaluations.judge(run.id, item.id, verdict, operator);
        judged++;
        break;
      }
    }
  } finally {
    await lines.return?.();
  }
  printProgress(`${judged} judged${skipped ? `, ${skipped} skipped` : ''}`);
}

/** `triad eval run|judge|report|list`: evaluation runs, the same records as the app's Evaluation page. */
export function registerEvalCommands(program: Command): void {
  const evaluation = program.command('eval').description("evaluate a candidate model version against the version serving its tier, judged blind");

  evaluation
    .command('run')
    .description("replay the candidate's eval split on it and on the tier's serving version; waits until every item is answered, prints the run id")
    .requiredOption('--model <repo@rev|id>', 'the registered candidate, owner/name@commit or its id')
    .addOption(new Option('--candidate <source>', 'answer from its staging Space or from its GGUF, locally').choices([...CANDIDATE_SOURCES]).default('staging'))
    .option('--limit <n>', 'replay at most this many eval examples', positiveInt('--limit'), 50)
    .option('--json', 'print the run as JSON instead of its id')
    .action(async (options: { model: string; candidate: CandidateSource; limit: number; json?: boolean }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const modelId = await modelIdOf(services, options.model);
        const stopDownload = services.evaluations.onDownload(({ file, downloadedBytes, totalBytes }) =>
          printProgress(`downloading ${file}: ${((100 * downloadedBytes) / Math.max(totalBytes, 1)).toFixed(0)}%`, true),
        );
        const run = await services.evaluations.start({ modelId, candidate: options.candidate, limit: options.limit }, await currentOperator(services)).finally(stopDownload);
        printProgress(`evaluating ${run.candidateVersion} against ${run.servingVersion} on ${run.itemCount} eval examples (run ${run.id})`);
        const stop = services.evaluations.onChange((changed) => {
          if (changed.id === run.id) printProgress(`answered ${changed.answered}/${changed.itemCount}`, true);
        });
        await services.evaluations.settled(run.id).finally(stop);
        const finished = await services.evaluations.get(run.id);
        printData(options.json ? JSON.stringify(finished) : finished.id);
        if (finished.status === 'failed') throw new CliError(`evaluation ${finished.id} failed: ${finished.failureReason ?? 'no reason recorded'}`);
        printProgress(`${finished.answered} answered; judge them with: triad eval judge ${finished.id}`);
      });
    });

  evaluation
    .command('judge')
    .description('judge the answered pairs of a run blind: each shows answers [a] and [b]; type a, b, t (tie), s (skip) or q (quit), one per line')
    .argument('<run>', 'the evaluation run id')
    .action(async (runId: string, _options: unknown, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const run = await runOf(services, runId);
        if (run.status === 'cancelled' || run.status === 'failed') throw badInput(`evaluation ${run.id} is ${run.status}: nothing to judge`);
        await judgeInteractively(services, run);
        const after = await services.evaluations.get(run.id);
        printProgress(describeRun(after));
        if (after.status === 'completed') printReport(await services.evaluations.report(run.id));
      });
    });

  evaluation
    .command('report')
    .description("a run's report: win rate with its 95% interval, per company, answer length, time to first token and latency per side")
    .argument('<run>', 'the evaluation run id')
    .option('--json', 'print the report as JSON')
    .action(async (runId: string, options: { json?: boolean }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const run = await runOf(services, runId);
        const report = await services.evaluations.report(run.id);
        if (options.json) printData(JSON.stringify(report));
        else printReport(report);
        if (run.status !== 'completed') printProgress(`the run is ${run.status}: the report counts the ${run.judged} verdict(s) so far`);
      });
    });

  evaluation
    .command('list')
    .description('evaluation runs, newest first')
    .option('--json', 'print a JSON array')
    .option('--model <repo@rev|id>', "only this candidate's runs")
    .action(async (options: { json?: boolean; model?: string }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const modelId = options.model ? await modelIdOf(services, options.model) : undefined;
        const runs = await services.evaluations.list({ modelId });
        if (options.json) printData(JSON.stringify(runs));
        else for (const run of runs) printData(describeRun(run));
      });
    });
}
