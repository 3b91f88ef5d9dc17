import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DATASET_DEFAULTS, DATASET_KINDS, DatasetBuildParamsSchema, DatasetRepoNameSchema } from '../../../src-shared/dataset-contract';
import { TIERS } from '../../../src-shared/domain';
import { describeValidationIssues } from '../../../src-shared/chat';
import type { AppServices } from '../../app-services';
import type { BuildProgress } from '../../datasets/dataset-builder';
import type { PushProgress } from '../../datasets/hub-push';
import { badInput, printData, printProgress } from '../cli-io';
import type { DataOptions } from '../cli-services';

interface BuildOptions {
  tier: string;
  company?: string;
  kind: string;
  out?: string;
  push?: string;
  k: number;
  seed: number;
  evalShare: number;
}

function wholeNumber(what: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError(`${what} must be a whole number ≥ ${min}, got '${text}'`);
    return value;
  };
}

function share(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 0.5) throw new InvalidArgumentError(`--eval-share must be a number from 0 to 0.5, got '${text}'`);
  return value;
}

function repoName(text: string): string {
  const parsed = DatasetRepoNameSchema.safeParse(text);
  if (!parsed.success) throw new InvalidArgumentError(`--push: '${text}' ${parsed.error.issues[0]?.message ?? 'is not a repo name'}`);
  return parsed.data;
}

/** The operator the command acts for: the team operator signed in on this computer, else the local operator. */
function actor(services: AppServices): string {
  return services.team.signedInOperatorId() ?? services.localOperator.id;
}

function showBuildProgress(progress: BuildProgress): void {
  printProgress(progress.stage === 'reading' ? 'reading the logged answers, labels, feedback and votes' : `${progress.stage}: ${progress.done}/${progress.total}`, true);
}

function showPushProgress(progress: PushProgress): void {
  printProgress(`push: ${Math.round(progress.fraction * 100)}% ${progress.message}`, true);
}

async function services<T>(data: DataOptions, work: (services: AppServices) => Promise<T>): Promise<T> {
  const { withAppServices } = await import('../cli-services');
  return withAppServices(data, work);
}

/** `triad dataset build | push | list`: the Datasets screen's work, from a script. */
export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('SFT and DPO datasets from reviewed answers, feedback and Compare votes; push to the Hub');

  dataset
    .command('build')
    .description('build a dataset of one tier (one company for Company), anonymised; write train.jsonl, eval.jsonl and README.md')
    .addOption(new Option('--tier <tier>', 'the tier the dataset trains').choices(TIERS).makeOptionMandatory())
    .option('--company <slug>', 'the company of a Company dataset')
    .addOption(new Option('--kind <kind>', 'sft: conversations; dpo: preference pairs').choices(DATASET_KINDS).makeOptionMandatory())
    .option('--out <dir>', 'where to write the files (they are also kept in the data folder for a later push)')
    .option('--push <repo>', "push to this private dataset repo on the Hub ('name' or 'owner/name'; HF_ENDPOINT, HF_TOKEN)", repoName)
    .option('--k <n>', 'Abstraction: keep a pattern only when it appears in at least k companies', wholeNumber('--k', 1), DATASET_DEFAULTS.k)
    .option('--seed <n>', 'seed of the train/eval split', wholeNumber('--seed', 0), DATASET_DEFAULTS.seed)
    .option('--eval-share <x>', 'share of the examples that go to eval (0–0.5)', share, DATASET_DEFAULTS.evalShare)
    .action(async (options: BuildOptions, command: Command) => {
      const parsed = DatasetBuildParamsSchema.safeParse({
        tier: options.tier,
        company: options.company ?? null,
        kind: options.kind,
        k: options.k,
        seed: options.seed,
        evalShare: options.evalShare,
      });
      if (!parsed.success) throw badInput(describeValidationIssues(parsed.error).replace(/^company\b/, "--company"));
      const out = options.out ? resolve(options.out) : undefined;
      await services(command.optsWithGlobals<DataOptions>(), async (app) => {
        const userId = actor(app);
        const { version, summary } = await app.datasets.build(userId, parsed.data, { outDir: out, onProgress: showBuildProgress });
        const { counts } = summary;
        printProgress(`built dataset ${version.id}: ${counts.train} train, ${counts.eval} eval${out ? `, written to ${out}` : ''}`);
        let pushed = version;
        if (options.push) pushed = await app.datasets.push(userId, version.id, options.push, showPushProgress);
        if (options.push) printProgress(`pushed to ${pushed.repo} as commit ${pushed.commitSha}`);
        printData(JSON.stringify({ id: version.id, train: counts.train, eval: counts.eval, out: out ?? null, repo: pushed.repo, commit: pushed.commitSha, removed: counts.removed }));
      });
    });

  dataset
    .command('push')
    .description('push a built dataset (or retry a failed push) to a private dataset repo on the Hub')
    .argument('<id>', 'the dataset id `triad dataset build` or `triad dataset list` printed')
    .argument('<repo>', "'name' or 'owner/name'", repoName)
    .action(async (id: string, repo: string, _options: unknown, command: Command) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw badInput(`<id> must be a dataset id (a UUID), got '${id}'`);
      await services(command.optsWithGlobals<DataOptions>(), async (app) => {
        const pushed = await app.datasets.push(actor(app), id, repo, showPushProgress);
        printProgress(`pushed to ${pushed.repo} as commit ${pushed.commitSha}`);
        printData(JSON.stringify({ id, repo: pushed.repo, commit: pushed.commitSha }));
      });
    });

  dataset
    .command('list')
    .description('built and pushed datasets, newest first, one JSON object a line')
    .action(async (_options: unknown, command: Command) => {
      await services(command.optsWithGlobals<DataOptions>(), async (app) => {
        for (const version of await app.datasets.list(actor(app))) {
          const { id, kind, tier, companySlug, status, repo, commitSha, pushError, createdAt } = version;
          printData(JSON.stringify({ id, kind, tier, company: companySlug, status, train: version.counts.train, eval: version.counts.eval, repo, commit: commitSha, pushError, createdAt }));
        }
      });
    });
}
