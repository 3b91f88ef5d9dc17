import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/open-store';
import { loadLabelledCorpus } from '../datasets/anonymiser/labelled-corpus';

const ROOT = join(import.meta.dirname, '../..');

/** Runs `triad` as a user would, in a child process. */
function triad(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/triad.mjs'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Each run starts Node and tsx, which takes seconds on a busy machine. */
const SLOW = { timeout: 180_000 };

interface OutputLine {
  id: string | number;
  anonymised: string;
  spans: Array<{ start: number; end: number; type: string }>;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'triad-anonymise-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, lines: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

const INPUT = [
  { id: 'a1', text: 'Hi, my name is Chidi Okafor from Globex; call me on +44 20 7946 0958.' },
  { id: 2, text: 'Refund card 4111 1111 1111 1111 to IBAN DE89 3704 0044 0532 0130 00 please.' },
  { id: 'a3', text: 'Version 10.2.0.1 shipped on 2024-03-15.' },
];

describe('triad anonymise', () => {
  it('writes one line per input line, with placeholders and spans that are offsets into the input', SLOW, async () => {
    const input = await file('in.jsonl', INPUT);
    const companies = await file('companies.json', [JSON.stringify([{ slug: 'globex', name: 'Globex Ltd' }])]);
    const run = await triad(['anonymise', '--in', input, '--companies', companies, '--no-store']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as OutputLine);
    expect(lines.map((line) => line.id)).toEqual(['a1', 2, 'a3']);
    expect(lines.map((line) => line.anonymised)).toEqual([
      'Hi, my name is <PERSON_1> from <COMPANY_1>; call me on <PHONE_1>.',
      'Refund card <CREDIT_CARD_1> to IBAN <IBAN_1> please.',
      'Version 10.2.0.1 shipped on 2024-03-15.',
    ]);
    expect(lines[0]?.spans.map((span) => [INPUT[0]?.text.slice(span.start, span.end), span.type])).toEqual([
      ['Chidi Okafor', 'PERSON'],
      ['Globex', 'COMPANY'],
      ['+44 20 7946 0958', 'PHONE'],
    ]);
    expect(Object.keys(lines[1]?.spans[0] ?? {}).sort()).toEqual(['end', 'start', 'type']);
    expect(run.stderr).toContain('anonymised 3 lines: PHONE 1, CREDIT_CARD 1, IBAN 1, PERSON 1, COMPANY 1');
  });

  it("finds the companies of the store in the app's data folder, and writes --out whole", SLOW, async () => {
    const dataDir = join(dir, 'data');
    const store = await openStore({ backend: 'pglite', dataDir: join(dataDir, 'db') });
    try {
      await store.directory.createCompany({ slug: 'blue-harbor', name: 'Blue Harbor Logistics' });
    } finally {
      await store.close();
    }
    const input = await file('store-in.jsonl', [{ id: 'x', text: 'Blue Harbor Logistics (blue-harbor) shipped it; blue skies today.' }]);
    await mkdir(join(dir, 'out'));
    const out = join(dir, 'out', 'anonymised.jsonl');
    const run = await triad(['--data-dir', dataDir, 'anonymise', '--in', input, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const [line] = (await readFile(out, 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as OutputLine);
    expect(line?.anonymised).toBe('<COMPANY_1> (<COMPANY_1>) shipped it; blue skies today.');
    expect(await readdir(join(dir, 'out'))).toEqual(['anonymised.jsonl']);
  });

  it('stops at a bad line with exit code 2, naming its number and what is wrong, before writing anything', SLOW, async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['missing.jsonl', [JSON.stringify({ id: 1, text: 'fine' }), JSON.stringify({ id: 2 })], /missing\.jsonl:2: "text" is missing/],
      ['number.jsonl', [JSON.stringify({ id: 1, text: 42 })], /number\.jsonl:1: "text" must be a string/],
      ['extra.jsonl', [JSON.stringify({ id: 1, text: 'a', meta: {} })], /extra\.jsonl:1: unexpected field "meta"/],
      ['broken.jsonl', [JSON.stringify({ id: 1, text: 'a' }), '', '{"id": 3, "text": '], /broken\.jsonl:3: not valid JSON/],
      ['array.jsonl', ['[1, 2]'], /array\.jsonl:1: expected a JSON object \{"id","text"\}/],
    ];
    const runs = await Promise.all(cases.map(async ([name, lines]) => triad(['anonymise', '--no-store', '--in', await file(name, lines), '--out', join(dir, `${name}.out`)])));
    runs.forEach((run, index) => {
      const [name, , message] = cases[index]!;
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(message);
    });
    expect((await readdir(dir)).filter((name) => name.endsWith('.out') || name.includes('.partial-'))).toEqual([]);
  });

  it('says which input or companies file is missing or malformed', SLOW, async () => {
    const missing = await triad(['anonymise', '--no-store', '--in', join(dir, 'nope.jsonl')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('nope.jsonl: no such file')]);
    const badCompanies = await file('bad-companies.jsonl', [JSON.stringify({ slug: 'acme' })]);
    const input = await file('ok.jsonl', [{ id: 1, text: 'hello' }]);
    const companies = await triad(['anonymise', '--no-store', '--in', input, '--companies', badCompanies]);
    expect([companies.code, companies.stderr]).toEqual([2, expect.stringContaining('bad-companies.jsonl:1: "name" is missing')]);
  });

  it('reports progress on stderr while a large file takes more than a second, and drops no line', SLOW, async () => {
    const texts = loadLabelledCorpus().map((item) => item.text);
    const lines = Array.from({ length: 1000 }, (_, index) => ({ id: index, text: texts[index % texts.length] }));
    const run = await triad(['anonymise', '--no-store', '--in', await file('large.jsonl', lines)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as OutputLine).id)).toEqual(lines.map((line) => line.id));
    expect(run.stderr).toMatch(/anonymised \d+\/1000 lines/);
  });

  it('explains itself with --help', SLOW, async () => {
    const help = await triad(['anonymise', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--in <file>');
    expect(help.stdout).toContain('--no-store');
    expect(help.stdout).toContain('offsets into the input text');
  });
});
