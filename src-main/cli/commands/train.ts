import { InvalidArgumentError, Option, type Command } from 'commander';
import { TIERS } from '../../../src-shared/domain';
import { parseDuration, type TrainingLaunchInput } from '../../../src-shared/training';
import { currentOperator } from '../../api/operator';
import type { TrainingRun } from '../../store/repositories';
import { runCostUsd } from '../../training/training-runs';
import { CliError, printData, printProgress } from '../cli-io';
import { withAppServices, type DataOptions } from '../cli-services';

interface TrainOptions {
  dataset: string;
  baseModel: string;
  kind: 'sft' | 'dpo';
  flavor: string;
  tier: (typeof TIERS)[number];
  outputRepo?: string;
  namespace?: string;
  timeout: number;
  epochs?: number;
  maxSteps?: number;
  learningRate?: number;
  lora: boolean;
  gguf: boolean;
  wait?: boolean;
  json?: boolean;
}

const positiveNumber = (flag: string) => (text: string) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${flag} must be a number > 0, got '${text}'`);
  return value;
};

const duration = (text: string) => {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds < 60) throw new InvalidArgumentError(`--timeout must be a duration of at least a minute (90m, 2h, 3600), got '${text}'`);
  return seconds;
};

/** One line a person reads about a run. */
function describeRun(run: TrainingRun): string {
  const last = run.progress.at(-1);
  const cost = runCostUsd(run);
  return [
    run.id,
    run.stage,
    `${run.kind} ${run.baseModel} on ${run.datasetRepo}@${run.datasetRevision.slice(0, 8)}`,
    `→ ${run.outputRepo}`,
    run.flavor,
    last ? `step ${last.step}${last.maxSteps ? `/${last.maxSteps}` : ''} loss ${last.loss ?? '–'}` : '',
    cost === null ? '' : `$${cost.toFixed(2)}`,
    run.failureReason ?? '',
  ].filter(Boolean).join('  ');
}

function runJson(run: TrainingRun) {
  return { ...run, costUsd: runCostUsd(run) };
}

/** `triad train` and `triad runs`: training runs on Hugging Face Jobs, the same records as the app's. */
export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('launch a training run on Hugging Face Jobs (TRL SFT or DPO on a dataset Triad pushed); prints the run id')
    .requiredOption('--dataset <repo@rev>', 'the dataset repo and commit, owner/name@commit')
    .requiredOption('--base-model <id>', 'the model to fine-tune, e.g. Qwen/Qwen2.5-0.5B-Instruct')
    .addOption(new Option('--kind <kind>', 'supervised fine-tuning or preference optimisation').choices(['sft', 'dpo']).makeOptionMandatory())
    .requiredOption('--flavor <flavor>', 'the Jobs hardware, e.g. a10g-small (see the price list with --flavor help)')
    .addOption(new Option('--tier <tier>', 'the tier the model is for').choices([...TIERS]).makeOptionMandatory())
    .option('--output-repo <repo>', 'where the model is pushed (default <namespace>/triad-<tier>-<kind>-<revision>)')
    .option('--namespace <name>', 'the account or organisation to run under (default: the token’s account)')
    .option('--timeout <duration>', 'stop the job after this long (90m, 2h, 3600)', duration, 2 * 3600)
    .option('--epochs <n>', 'training epochs', positiveNumber('--epochs'))
    .option('--max-steps <n>', 'stop after this many steps', positiveNumber('--max-steps'))
    .option('--learning-rate <lr>', 'default 2e-5 (SFT), 5e-7 (DPO)', positiveNumber('--learning-rate'))
    .option('--no-lora', 'train all weights instead of LoRA adapters')
    .option('--no-gguf', 'skip the GGUF conversion CPU Spaces serve')
    .option('--wait', 'follow the run to its end; exit code 0 only when a model was registered')
    .option('--json', 'print the run as JSON instead of its id')
    .action(async (options: TrainOptions, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        if (options.flavor === 'help') {
          for (const flavor of await services.training.hardware()) printData(`${flavor.name}\t$${flavor.usdPerHour.toFixed(2)}/h\t${flavor.accelerator ?? 'CPU'}\t${flavor.prettyName}`);
          return;
        }
        const launch: TrainingLaunchInput = {
          dataset: options.dataset,
          tier: options.tier,
          baseModel: options.baseModel,
          kind: options.kind,
          flavor: options.flavor,
          timeoutSeconds: options.timeout,
          ...(options.outputRepo && { outputRepo: options.outputRepo }),
          ...(options.namespace && { namespace: options.namespace }),
          params: {
            lora: options.lora,
            gguf: options.gguf,
            ...(options.epochs !== undefined && { epochs: options.epochs }),
            ...(options.maxSteps !== undefined && { maxSteps: Math.round(options.maxSteps) }),
            ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
          },
        };
        const run = await services.training.launch(launch, await currentOperator(services));
        printProgress(`launched ${run.id}: job ${run.jobId} on ${run.flavor} ($${run.priceUsdPerHour?.toFixed(2) ?? '?'}/h), timeout ${run.timeoutSeconds} s`);
        if (!options.wait) {
          printData(options.json ? JSON.stringify(runJson(run)) : run.id);
          return;
        }
        let shown = '';
        const stop = services.training.onChange((changed) => {
          if (changed.id !== run.id) return;
          const line = describeRun(changed);
          if (line !== shown) printProgress((shown = line));
        });
        const finished = await services.training.wait(run.id).finally(stop);
        printData(options.json ? JSON.stringify(runJson(finished)) : finished.id);
        if (finished.stage !== 'registered') throw new CliError(`training run ${finished.id} ended ${finished.stage}: ${finished.failureReason ?? 'no model was registered'}`);
        const model = (await services.store.registry.list()).find((m) => m.id === finished.modelId);
        printProgress(`registered ${model?.name}@${model?.version}`);
      });
    });

  program
    .command('runs')
    .description('the training runs recorded in the store, newest first')
    .option('--json', 'print a JSON array')
    .option('--limit <n>', 'at most this many', (text) => Math.max(1, Math.floor(Number(text)) || 50), 50)
    .action(async (options: { json?: boolean; limit: number }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const runs = await services.training.list(options.limit);
        if (options.json) printData(JSON.stringify(runs.map(runJson)));
        else for (const run of runs) printData(describeRun(run));
      });
    });
}
