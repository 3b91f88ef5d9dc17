/**
 * The `triad` command: a thin shell over the services the app uses, for ML leads who automate their work.
 * `triad <group> <verb>`, `--help` everywhere, data on stdout, progress on stderr (see cli-io.ts).
 * Each subcommand lives in commands/ and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { describeFailure, EXIT } from './cli-io';
import { registerAnonymiseCommand } from './commands/anonymise';
import { registerDatasetCommands } from './commands/dataset';
import { registerLeaderboardCommand } from './commands/leaderboard';
import { registerRouterCommands } from './commands/router';
import { registerTrainCommands } from './commands/train';
import { registerDeployCommands } from './commands/deploy';
import { registerEvalCommands } from './commands/eval';

const program = new Command('triad')
  .description('Triad from the command line: the same store, facade and Hub clients as the app')
  .option('--data-dir <dir>', "Triad's data folder (default: the app's, or TRIAD_DATA_DIR)")
  .showHelpAfterError()
  .exitOverride();

/** Each subcommand group: a function that adds its commands to the program (commands/<group>.ts). */
const COMMANDS: Array<(program: Command) => void> = [registerTrainCommands, registerEvalCommands, registerDeployCommands, registerLeaderboardCommand, registerRouterCommands, registerDatasetCommands, registerAnonymiseCommand];
for (const register of COMMANDS) register(program);

program.configureOutput({ writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with exit code 0; a usage error has already been printed.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else {
    const { message, exitCode } = describeFailure(error);
    process.stderr.write(`triad: ${message}\n`);
    process.exitCode = exitCode;
  }
}
