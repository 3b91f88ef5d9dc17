/**
 * How every `triad` subcommand talks to its caller, the way the `hf` CLI does: data on stdout, progress and
 * messages on stderr, and exit codes scripts can trust (0 done, 1 failed, 2 bad input).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { TriadError } from '../../src-shared/errors';

/** Exit codes of the `triad` command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** A failure the user can act on: printed as one line, with its exit code, never as a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** Bad input (a flag, a file, a line of a file): exit code 2. */
export function badInput(message: string): CliError {
  return new CliError(message, EXIT.badInput);
}

/** Writes one line of data to stdout. */
export function printData(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a progress or status line to stderr (overwriting the previous one on a terminal when `transient`). */
export function printProgress(message: string, transient = false): void {
  if (transient && process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${message}`);
  else process.stderr.write(`${message}\n`);
}

/** Reads a JSONL file line by line, parsing each non-empty line; a bad line fails naming its number. */
export async function* readJsonLines(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', (error: NodeJS.ErrnoException) =>
      reject(badInput(error.code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${error.code ?? error.message})`)),
    );
  });
  await opened;
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch {
      throw badInput(`${path}:${line}: not valid JSON`);
    }
  }
}

/** Turns any error into the message and exit code the command ends with. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (TriadError.isInstance(error)) {
    return { message: `${error.message} [${error.code}]`, exitCode: error.code === 'validation_failed' ? EXIT.badInput : EXIT.failed };
  }
  if (error instanceof Error && 'code' in error && error.code === 'commander.invalidArgument') return { message: error.message, exitCode: EXIT.badInput };
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.failed };
}
