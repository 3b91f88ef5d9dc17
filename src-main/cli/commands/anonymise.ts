/**
 * `triad anonymise --in FILE.jsonl`: the anonymiser every dataset goes through (issue 8 §4), for texts from
 * elsewhere. Reads {"id","text"} lines, writes {"id","anonymised","spans":[{"start","end","type"}]} lines,
 * offsets into the input text. The whole file is checked before anything is written, so a bad line stops
 * the command (exit code 2, naming the line) without half an output.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Anonymiser } from '../../datasets/anonymiser/anonymiser';
import { PII_TYPES, type PiiType } from '../../datasets/anonymiser/pii-span';
import { badInput, printProgress, readJsonLines } from '../cli-io';
import type { DataOptions } from '../cli-services';

interface AnonymiseOptions {
  in: string;
  out?: string;
  companies?: string;
  store: boolean;
}

type CompanyName = { slug: string; name: string };

const InputLineSchema = z.strictObject({
  id: z.union([z.string(), z.number()], { error: 'must be a string or a number' }),
  text: z.string({ error: 'must be a string' }),
});

const CompanySchema = z.strictObject({
  slug: z.string().trim().min(1, { error: 'must not be empty' }),
  name: z.string().trim().min(1, { error: 'must not be empty' }),
});

/** What is wrong with one object, field by field ("text" is missing; "id" must be a string or a number). */
function describeIssues(error: z.ZodError, value: object, allowed: string): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')} (${allowed} only)`;
      const field = issue.path.join('.');
      if (!field) return issue.message;
      return field in value ? `"${field}" ${issue.message}` : `"${field}" is missing`;
    })
    .join('; ');
}

/** One input line as {id, text}, or a bad-input error naming the line and what is wrong. */
function inputLine(path: string, line: number, value: unknown): z.infer<typeof InputLineSchema> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput(`${path}:${line}: expected a JSON object {"id","text"}`);
  const parsed = InputLineSchema.safeParse(value);
  if (!parsed.success) throw badInput(`${path}:${line}: ${describeIssues(parsed.error, value, 'a line has "id" and "text"')}`);
  return parsed.data;
}

/** Checks every line of the input; returns how many there are. */
async function checkInput(path: string): Promise<number> {
  let lines = 0;
  for await (const { line, value } of readJsonLines(path)) {
    inputLine(path, line, value);
    lines++;
  }
  return lines;
}

/** A companies file: a JSON array of {"slug","name"}, or one such object a line. */
async function readCompaniesFile(path: string): Promise<CompanyName[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw badInput(code === 'ENOENT' ? `--companies ${path}: no such file` : `--companies ${path}: cannot be read (${code ?? String(error)})`);
  }
  const entries: Array<{ where: string; value: unknown }> = [];
  const trimmed = content.trim();
  if (trimmed.startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(trimmed);
    } catch {
      throw badInput(`--companies ${path}: not valid JSON`);
    }
    if (!Array.isArray(array)) throw badInput(`--companies ${path}: expected an array of {"slug","name"}`);
    array.forEach((value, index) => entries.push({ where: `${path}: entry ${index + 1}`, value }));
  } else {
    content.split('\n').forEach((text, index) => {
      if (text.trim() === '') return;
      try {
        entries.push({ where: `${path}:${index + 1}`, value: JSON.parse(text) });
      } catch {
        throw badInput(`--companies ${path}:${index + 1}: not valid JSON`);
      }
    });
  }
  return entries.map(({ where, value }) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput(`--companies ${where}: expected a JSON object {"slug","name"}`);
    const parsed = CompanySchema.safeParse(value);
    if (!parsed.success) throw badInput(`--companies ${where}: ${describeIssues(parsed.error, value, 'a company has "slug" and "name"')}`);
    return parsed.data;
  });
}

/** The companies of the app's store, through the app's own services (loaded only when needed). */
async function storeCompanies(data: DataOptions): Promise<CompanyName[]> {
  const { withAppServices } = await import('../cli-services');
  return withAppServices(data, async (services) => (await services.store.directory.listCompanies()).map(({ slug, name }) => ({ slug, name })));
}

/** Writes lines to a stream, waiting when it is full, so a large file is not held in memory. */
async function writeLine(stream: NodeJS.WritableStream | WriteStream, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await once(stream, 'drain');
}

async function anonymiseFile(inPath: string, total: number, anonymiser: Anonymiser, output: NodeJS.WritableStream): Promise<Record<PiiType, number>> {
  const counts = Object.fromEntries(PII_TYPES.map((type) => [type, 0])) as Record<PiiType, number>;
  const started = Date.now();
  let lastReport = started;
  let done = 0;
  // The file was checked whole before; checking again keeps a file changed in between from slipping through.
  for await (const { line, value } of readJsonLines(inPath)) {
    const { id, text } = inputLine(inPath, line, value);
    const { anonymised, spans } = anonymiser.anonymise(text);
    for (const span of spans) counts[span.type]++;
    await writeLine(output, JSON.stringify({ id, anonymised, spans: spans.map(({ start, end, type }) => ({ start, end, type })) }));
    done++;
    // Progress once a second while it takes longer than that.
    if (Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      printProgress(`anonymised ${done}/${total} lines`, true);
    }
  }
  if (Date.now() - started >= 1000 && process.stderr.isTTY) process.stderr.write('\n');
  return counts;
}

/** `triad anonymise`: registered on the program by triad.ts. */
export function registerAnonymiseCommand(program: Command): void {
  program
    .command('anonymise')
    .description('replace personal data, secrets and company names in texts with placeholders such as <PERSON_1>')
    .requiredOption('--in <file>', 'a JSONL file of {"id","text"} lines (id: string or number; no other fields)')
    .option('--out <file>', 'write the output here instead of stdout (written whole or not at all)')
    .option('--companies <file>', 'company names to find, besides those in the store: a JSON array of {"slug","name"}, or one a line')
    .option('--no-store', "do not read company names from Triad's store (no data folder needed); only --companies")
    .addHelpText(
      'after',
      `
Output: one {"id","anonymised","spans":[{"start","end","type"}]} line per input line, in input order;
start/end are offsets into the input text (UTF-16 code units). Types: ${PII_TYPES.join(', ')}.
Company names come from the companies table of the data folder (--data-dir), plus --companies.
A bad line stops the command with exit code 2 and its line number, before any output is written.`,
    )
    .action(async (options: AnonymiseOptions, command: Command) => {
      const inPath = resolve(options.in);
      const companies = [...(options.companies ? await readCompaniesFile(resolve(options.companies)) : [])];
      const total = await checkInput(inPath);
      if (options.store) companies.push(...(await storeCompanies(command.optsWithGlobals<DataOptions>())));
      // Loaded here, not with the command: its NER lexicon takes about half a second to load, which every
      // other `triad` command would pay too.
      const { Anonymiser } = await import('../../datasets/anonymiser/anonymiser');
      const anonymiser = new Anonymiser({ companies });
      printProgress(`anonymising ${total} line${total === 1 ? '' : 's'} (${companies.length} compan${companies.length === 1 ? 'y' : 'ies'} to look for)`);

      let counts: Record<PiiType, number>;
      if (options.out) {
        const outPath = resolve(options.out);
        const partial = `${outPath}.partial-${process.pid}`;
        const stream = createWriteStream(partial, { encoding: 'utf8' });
        try {
          counts = await anonymiseFile(inPath, total, anonymiser, stream);
          stream.end();
          await once(stream, 'finish');
          await rename(partial, outPath);
        } catch (error) {
          stream.destroy();
          await rm(partial, { force: true });
          throw error;
        }
      } else {
        counts = await anonymiseFile(inPath, total, anonymiser, process.stdout);
      }
      const found = PII_TYPES.filter((type) => counts[type] > 0).map((type) => `${type} ${counts[type]}`);
      printProgress(`anonymised ${total} line${total === 1 ? '' : 's'}: ${found.length > 0 ? found.join(', ') : 'nothing found'}`);
    });
}
