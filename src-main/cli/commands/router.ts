import { InvalidArgumentError, type Command } from 'commander';
import { ROUTER_DEFAULTS, type RouterMetrics, type RouterStatus, type TierRouterView } from '../../../src-shared/router-contract';
import { currentOperator } from '../../api/operator';
import { printData, printProgress } from '../cli-io';
import { withAppServices, type DataOptions } from '../cli-services';

interface CompanyOptions {
  company: string;
  maxShare: number;
  json?: boolean;
}

const share = (text: string): number => {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError(`--max-share must be a share between 0 and 1 (0.3 for 30%), got '${text}'`);
  }
  return value;
};

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** The held-out numbers as a table a person reads. */
function metricsTable(metrics: RouterMetrics, chosen: number): string[] {
  const rows = metrics.points.map((p) => [percent(p.targetShare), percent(p.strongShare), percent(p.agreement), percent(p.randomAgreement), p.threshold.toFixed(3), p.targetShare === chosen ? '← chosen' : '']);
  rows.push(['rules', percent(metrics.rules.strongShare), percent(metrics.rules.agreement), '', '', '']);
  const header = ['target', 'to company', 'agrees', 'random', 'threshold', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const format = (row: string[]) => row.map((cell, c) => (c === 5 ? cell : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [format(header), ...rows.map(format)];
}

function heldOutLine(metrics: RouterMetrics): string {
  return `held out ${metrics.heldOutVotes} of ${metrics.heldOutVotes + metrics.trainVotes} votes (seed ${metrics.seed})${metrics.auc === null ? '' : `, AUC ${metrics.auc.toFixed(2)}`}`;
}

function statusLines(status: RouterStatus): string[] {
  const rows = status.companies.map((c) =>
    c.router
      ? [c.slug, percent(c.router.targetShare), c.router.threshold.toFixed(3), String(c.router.voteCounts.votes), c.router.trainedAt]
      : [c.slug, '–', '–', '–', 'no router: the rules decide'],
  );
  const header = ['company', 'max share', 'threshold', 'votes', 'trained'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const format = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [format(header), ...rows.map(format)];
}

/** `triad router train|status|evaluate`: the learned tier routers, through the same service as Settings. */
export function registerRouterCommands(program: Command): void {
  const router = program.command('router').description("the learned tier router: per company, trained on Compare votes, chooses between the company and base tiers in auto routing (flag router.learned)");

  router
    .command('train')
    .description("train the company's router from the votes you may see and store it; it serves from the next request")
    .requiredOption('--company <slug>', 'the company whose router to train')
    .option('--max-share <share>', 'the largest share of requests to send to the company tier, 0–1', share, ROUTER_DEFAULTS.maxShare)
    .option('--json', 'print the stored router (without its weights) as JSON')
    .action(async (options: CompanyOptions, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const operator = await currentOperator(services);
        printProgress(`training the router of ${options.company} from the votes ${operator.displayName} may see…`);
        const trained: TierRouterView = await services.routers.train(operator.id, { company: options.company, maxShare: options.maxShare });
        printProgress(
          `trained on ${trained.voteCounts.votes} votes and ${trained.voteCounts.thumbs} thumbs: at most ${percent(trained.targetShare)} to the company tier, threshold ${trained.threshold.toFixed(3)}`,
        );
        if (options.json) return printData(JSON.stringify(trained));
        if (trained.metrics) {
          printData(heldOutLine(trained.metrics));
          for (const line of metricsTable(trained.metrics, trained.targetShare)) printData(line);
        }
      });
    });

  router
    .command('status')
    .description("each of your companies' router, and whether auto routing follows them")
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const status = await services.routers.status((await currentOperator(services)).id);
        if (options.json) return printData(JSON.stringify(status));
        printData(`learned routing is ${status.flag.on ? 'on' : 'off'} (router.learned, ${status.flag.source}; TRIAD_ROUTER_LEARNED overrides)`);
        for (const line of statusLines(status)) printData(line);
      });
    });

  router
    .command('evaluate')
    .description("the router's held-out agreement with the votes against the rules', at several target shares; stores nothing")
    .requiredOption('--company <slug>', 'the company whose votes to evaluate on')
    .option('--max-share <share>', 'a target share to report besides the usual ones, 0–1', share, ROUTER_DEFAULTS.maxShare)
    .option('--json', 'print {company, voteCounts, metrics} as JSON')
    .action(async (options: CompanyOptions, command: Command) => {
      await withAppServices(command.optsWithGlobals<DataOptions>(), async (services) => {
        const operator = await currentOperator(services);
        printProgress(`evaluating a router of ${options.company} on held-out votes…`);
        const result = await services.routers.evaluate(operator.id, { company: options.company, maxShare: options.maxShare });
        if (options.json) return printData(JSON.stringify(result));
        printData(heldOutLine(result.metrics));
        for (const line of metricsTable(result.metrics, options.maxShare)) printData(line);
      });
    });
}
