import { InvalidArgumentError, Option, type Command } from 'commander';
import { TIERS, type Tier } from '../../../src-shared/domain';
import type { Deployment } from '../../store/repositories';
import type { GateVerdict } from '../../../src-shared/deploy-contract';
import { CliError, EXIT, printData, printProgress } from '../cli-io';
import { withAppServices, type DataOptions } from '../cli-services';
import { currentOperator } from '../../api/operator';

function seconds(ms: number | null): string {
  return ms === null ? '' : `${(ms / 1000).toFixed(1)} s`;
}

/** The lines a person reads about a deployment: one for the record, one per step. */
function describeDeployment(d: Deployment, withSteps = false): string[] {
  const head = [d.id, d.deploymentStatus, d.kind, `${d.tier ?? '?'}${d.target === 'staging' ? ' (staging)' : ''}`, d.modelVersion ?? d.modelId, `→ ${d.spaceRepo ?? d.spaceId}`, d.hardware ?? '', d.createdAt.toISOString(), d.overrideReason ? `override: ${d.overrideReason}` : '']
    .filter(Boolean)
    .join('  ');
  if (!withSteps) return [head];
  return [
    head,
    ...d.steps.filter((s) => s.status !== 'pending').map((s) => `  ${s.status.padEnd(7)} ${s.name.padEnd(12)} ${seconds(s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null).padEnd(8)} ${s.message ?? ''}`),
    ...(d.deploymentLogs ? [`  ${d.deploymentLogs}`] : []),
  ];
}

const seconds_ = (flag: string) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < -1) throw new InvalidArgumentError(`${flag} must be a whole number of seconds (-1: never sleep), got '${text}'`);
  return value;
};

const share = (flag: string) => (text: string) => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new InvalidArgumentError(`${flag} must be a share from 0 to 1 (0.5 for 50%), got '${text}'`);
  return value;
};
const verdicts = (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`--min-judged must be a whole number of verdicts, at least 1, got '${text}'`);
  return value;
};

/** `triad deploy`, `triad rollback`, `triad deployments`, `triad deploy-gate`: the deployment dashboard's records, from a script. */
export function registerDeployCommands(program: Command): void {
  const tierOption = () => new Option('--tier <tier>', 'the tier').choices([...TIERS]).makeOptionMandatory();

  program
    .command('deploy')
    .description("deploy a registered model version to a tier's Space (or its staging Space), following every step; exit code 0 only when it serves")
    .addOption(tierOption())
    .requiredOption('--model <repo@rev>', 'the registered model version, owner/name@commit (see triad runs)')
    .option('--staging', "deploy to the tier's staging Space instead of the live one")
    .option('--hardware <flavor>', 'the Space hardware, e.g. cpu-basic, cpu-upgrade, t4-small', 'cpu-basic')
    .option('--sleep-time <seconds>', 'seconds of inactivity before the Space sleeps (paid hardware; -1: never)', seconds_('--sleep-time'))
    .option('--override-reason <text>', 'promote to the live tier without a passing evaluation; recorded in the history')
    .option('--json', 'print the deployment record as JSON')
    .action(async (options: { tier: Tier; model: string; staging?: boolean; hardware: string; sleepTime?: number; overrideReason?: string; json?: boolean }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        let shown = 0;
        const stop = services.deployer.onChange((d) => {
          const finished = d.steps.filter((s) => s.status === 'done' || s.status === 'failed' || s.status === 'skipped');
          for (const step of finished.slice(shown)) printProgress(`${step.status.padEnd(7)} ${step.name}${step.message ? `: ${step.message}` : ''}`);
          shown = finished.length;
        });
        const record = await services.deployer
          .deploy({ tier: options.tier, model: options.model, staging: options.staging, hardware: options.hardware, sleepTimeSeconds: options.sleepTime, overrideReason: options.overrideReason }, await currentOperator(services))
          .finally(stop);
        if (options.json) printData(JSON.stringify(record));
        else for (const line of describeDeployment(record)) printData(line);
        if (record.deploymentStatus !== 'succeeded') throw new CliError(`deployment ${record.id} ${record.deploymentStatus}: ${record.deploymentLogs ?? ''}`.trim());
      });
    });

  program
    .command('rollback')
    .description("deploy an earlier successful deployment's version of a tier again (default: the one before the current)")
    .addOption(tierOption())
    .option('--to <deployment-id>', 'the deployment to go back to (see triad deployments)')
    .option('--staging', 'the staging Space')
    .option('--json', 'print the deployment record as JSON')
    .action(async (options: { tier: Tier; to?: string; staging?: boolean; json?: boolean }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const record = await services.deployer.rollback({ tier: options.tier, to: options.to, staging: options.staging }, await currentOperator(services));
        if (options.json) printData(JSON.stringify(record));
        else for (const line of describeDeployment(record, true)) printData(line);
        if (record.deploymentStatus !== 'succeeded') throw new CliError(`rollback ${record.id} ${record.deploymentStatus}: ${record.deploymentLogs ?? ''}`.trim());
      });
    });

  program
    .command('deploy-gate')
    .description("show (or set) what a version's newest completed evaluation must meet to be promoted to a live tier; with --model, the gate's verdict on it (exit code 0 only when it passes)")
    .option('--min-win-rate <share>', 'set: the win rate (a tie counts half) at least this, 0–1', share('--min-win-rate'))
    .option('--min-interval-low <share>', "set: the 95% interval's lower bound at least this, 0–1", share('--min-interval-low'))
    .option('--min-judged <count>', 'set: at least this many operator verdicts', verdicts)
    .option('--model <repo@rev>', "the gate's verdict on this registered version (owner/name@commit or its id)")
    .addOption(new Option('--tier <tier>', "the tier to judge it for (default: the version's own)").choices([...TIERS]))
    .option('--json', 'print the thresholds (and the verdict) as JSON')
    .action(async (options: { minWinRate?: number; minIntervalLow?: number; minJudged?: number; model?: string; tier?: Tier; json?: boolean }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const change = { minWinRate: options.minWinRate, minIntervalLow: options.minIntervalLow, minJudged: options.minJudged };
        const changing = Object.values(change).some((v) => v !== undefined);
        const current = await services.settings.get('deploy.gate');
        const thresholds = changing ? await services.settings.set('deploy.gate', { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) }) : current;
        let verdict: GateVerdict | undefined;
        let tier: Tier | null = null;
        if (options.model) {
          const model = (await services.store.registry.list()).find((m) => m.id === options.model || `${m.name}@${m.version}` === options.model);
          if (!model) throw new CliError(`${options.model} is not a registered model version (owner/name@commit)`, EXIT.badInput);
          tier = options.tier ?? model.tier;
          if (!tier) throw new CliError(`${options.model} is registered for no tier: say which with --tier`, EXIT.badInput);
          verdict = await services.deployer.gateVerdict(model, `${model.name}@${model.version}`, tier);
        }
        if (options.json) printData(JSON.stringify({ thresholds, ...(verdict && { verdict }) }));
        else {
          printData(`the gate needs a win rate ≥ ${thresholds.minWinRate}, a lower bound ≥ ${thresholds.minIntervalLow} and at least ${thresholds.minJudged} verdicts${changing ? ' (saved)' : ''}`);
          if (verdict) printData(`${verdict.status}: ${verdict.message}${verdict.advice ? `. To promote it: ${verdict.advice}` : ''}`);
        }
        if (verdict && verdict.status !== 'passed') throw new CliError(`${options.model} does not pass the gate of the ${tier} tier`);
      });
    });

  program
    .command('deployments')
    .description('the deployment history, newest first, with each step')
    .addOption(new Option('--tier <tier>', 'only this tier').choices([...TIERS]))
    .option('--json', 'print a JSON array')
    .option('--mark-failed <deployment-id>', 'mark failed a deploy still running after the longest a deploy runs (its app was closed on a computer that has not started again); ML leads and admins')
    .action(async (options: { tier?: Tier; json?: boolean; markFailed?: string }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        if (options.markFailed) {
          const record = await services.deployer.markStuckFailed(options.markFailed, await currentOperator(services));
          if (options.json) printData(JSON.stringify(record));
          else for (const line of describeDeployment(record, true)) printData(line);
          return;
        }
        const all = (await services.store.registry.listDeployments()).filter((d) => !options.tier || d.tier === options.tier);
        if (options.json) printData(JSON.stringify(all));
        else for (const d of all) for (const line of describeDeployment(d, true)) printData(line);
      });
    });
}
