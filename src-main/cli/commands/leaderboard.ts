import { InvalidArgumentError, Option, type Command } from 'commander';
import { LEADERBOARD_DEFAULTS, type Leaderboard } from '../../../src-shared/leaderboard-contract';
import { buildLeaderboard, MIN_RESAMPLES, type LeaderboardOptions } from '../../leaderboard/leaderboard';
import { votesOfCompany, type RatedVote } from '../../leaderboard/rated-vote';
import { voteFromLine } from '../../leaderboard/vote-file';
import { badInput, printData, printProgress, readJsonLines } from '../cli-io';
import type { DataOptions } from '../cli-services';

interface LeaderboardCommandOptions {
  votes?: string;
  company?: string;
  json?: boolean;
  seed: number;
  resamples: number;
  preliminaryBelow: number;
  allBad: 'tie' | 'omit';
}

function wholeNumber(what: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`${what} must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got '${text}'`);
    }
    return value;
  };
}

/** `triad leaderboard`: the Bradley–Terry leaderboard of the store's Compare votes, or of a file of votes. */
export function registerLeaderboardCommand(program: Command): void {
  program
    .command('leaderboard')
    .description('Bradley–Terry ratings of each tier@model from Compare votes, with bootstrap 95% intervals and ranks')
    .option('--votes <file>', 'a JSONL file of {"a","b","winner":"a"|"b"|"tie"|"both_bad","company"?} lines instead of the store')
    .option('--company <slug>', "only the votes on this company's requests")
    .option('--json', 'print [{"model","rating","ci":[lo,hi],"votes","rank"}] instead of a table')
    .option('--seed <n>', 'seed of the bootstrap resampling', wholeNumber('--seed', Number.MIN_SAFE_INTEGER), LEADERBOARD_DEFAULTS.seed)
    .option('--resamples <n>', `bootstrap resamples over votes (≥ ${MIN_RESAMPLES})`, wholeNumber('--resamples', MIN_RESAMPLES), LEADERBOARD_DEFAULTS.resamples)
    .option('--preliminary-below <n>', 'votes under which a rating is marked preliminary', wholeNumber('--preliminary-below', 0), LEADERBOARD_DEFAULTS.preliminaryBelow)
    .addOption(new Option('--all-bad <rule>', 'how an "all bad" vote counts').choices(['tie', 'omit']).default('tie'))
    .action(async (options: LeaderboardCommandOptions, command: Command) => {
      const fit: LeaderboardOptions = {
        seed: options.seed,
        resamples: options.resamples,
        preliminaryBelow: options.preliminaryBelow,
        bothBad: options.allBad,
        onProgress: (done, total) => {
          // A terminal sees the count move; a log gets the start and the end.
          if (process.stderr.isTTY ? done % 10 === 0 || done === total : done === 1 || done === total) printProgress(`resampling: ${done}/${total}`, true);
        },
      };
      const board = options.votes
        ? buildLeaderboard(votesOfCompany(await readVoteFile(options.votes), options.company), { ...fit, company: options.company ?? null })
        : await fromStore(command.optsWithGlobals<DataOptions>(), { ...fit, company: options.company ?? null });
      if (process.stderr.isTTY) process.stderr.write('\n');
      printProgress(`${board.ratedVotes} of ${board.totalVotes} votes rated, ${board.method.resamples} resamples, seed ${board.method.seed}`);
      if (board.notice) printProgress(board.notice);
      if (options.json) printData(JSON.stringify(board.entries.map(({ model, rating, ci, votes, rank }) => ({ model, rating: round(rating), ci: [round(ci[0]), round(ci[1])], votes, rank }))));
      else if (board.entries.length > 0) for (const line of tableOf(board)) printData(line);
    });
}

/**
 * The leaderboard of the store's votes, through the app's own services. Imported when needed: the services
 * load the whole app (the local model runtime, supabase-js), which a votes file does not need.
 */
async function fromStore(data: DataOptions, options: LeaderboardOptions & { company: string | null }): Promise<Leaderboard> {
  const [{ withAppServices }, { leaderboardFromStore }] = await Promise.all([import('../cli-services'), import('../../leaderboard/store-leaderboard')]);
  return withAppServices(data, (services) => leaderboardFromStore(services.store.preferences, options));
}

/** Every vote of a votes file; a bad line stops the command naming it (exit code 2). */
async function readVoteFile(path: string): Promise<RatedVote[]> {
  const votes: RatedVote[] = [];
  for await (const { line, value } of readJsonLines(path)) {
    const read = voteFromLine(value);
    if ('error' in read) throw badInput(`${path}:${line}: ${read.error}`);
    votes.push(read.vote);
  }
  if (votes.length === 0) throw badInput(`${path}: no votes in it (expected JSON lines {"a","b","winner"})`);
  return votes;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function tableOf(board: Leaderboard): string[] {
  const rows = board.entries.map((e) => [String(e.rank), e.model, e.rating.toFixed(1), `${e.ci[0].toFixed(1)} – ${e.ci[1].toFixed(1)}`, String(e.votes), e.preliminary ? 'preliminary' : '']);
  const header = ['rank', 'model', 'rating', '95% CI', 'votes', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const right = new Set([0, 2, 3, 4]);
  const format = (row: string[]) => row.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [format(header), ...rows.map(format)];
}
