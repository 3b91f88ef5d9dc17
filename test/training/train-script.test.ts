import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The training script that Hugging Face Jobs run (training/train.py), tested where it can be without a GPU or
 * the training stack: its arguments, and the dataset rows it accepts, which must be what Triad's dataset builder
 * writes (TRL's conversational SFT format and DPO's prompt / chosen / rejected).
 */
const SCRIPT = join(import.meta.dirname, '../../training/train.py');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function train(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('python3', [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function events(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('TRIAD_EVENT '))
    .map((line) => JSON.parse(line.slice('TRIAD_EVENT '.length)) as Record<string, unknown>);
}

describe('training/train.py', () => {
  let dir: string;
  const file = async (name: string, rows: unknown[] | string) => {
    const path = join(dir, name);
    await writeFile(path, typeof rows === 'string' ? rows : rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'triad-train-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts conversational SFT rows and reports how many, as an event the app reads', async () => {
    const path = await file('sft.jsonl', [
      { messages: [{ role: 'user', content: 'What is our refund window?' }, { role: 'assistant', content: '60 days for unused parts.' }] },
      { messages: [{ role: 'system', content: 'You answer for Acme.' }, { role: 'user', content: 'Lead time?' }, { role: 'assistant', content: 'Three working days.' }] },
    ]);
    const outcome = await train('--kind', 'sft', '--dataset-file', path, '--validate-only');
    expect(outcome.code).toBe(0);
    expect(events(outcome.stdout)).toEqual([expect.objectContaining({ event: 'validated', kind: 'sft', rows: 2 })]);
  });

  it('accepts DPO preference rows', async () => {
    const path = await file('dpo.jsonl', [{ prompt: 'Lead time?', chosen: 'Three working days for standard parts.', rejected: 'It depends.' }]);
    const outcome = await train('--kind', 'dpo', '--dataset-file', path, '--validate-only');
    expect(outcome.code).toBe(0);
    expect(events(outcome.stdout)[0]).toMatchObject({ event: 'validated', rows: 1 });
  });

  it('refuses rows TRL would choke on, naming each bad line, with exit code 2', async () => {
    const sft = await file('bad-sft.jsonl', [
      { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] },
      { messages: [{ role: 'user', content: 'Hi' }] },
      { messages: [{ role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Hi' }] },
      { messages: [{ role: 'robot', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] },
      { prompt: 'Hi', chosen: 'Hello', rejected: 'Go away' },
    ]);
    const outcome = await train('--kind', 'sft', '--dataset-file', sft, '--validate-only');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('4 of 5 rows are not SFT examples');
    expect(outcome.stderr).toMatch(/line 2: needs 'messages': a list of at least two turns/);
    expect(outcome.stderr).toMatch(/line 3: the last turn must be the assistant's answer/);
    expect(outcome.stderr).toMatch(/line 4: messages\[0\] needs a role/);
    expect(outcome.stderr).toMatch(/line 5: needs 'messages'/);
    expect(events(outcome.stdout)).toEqual([expect.objectContaining({ event: 'error', reason: 'bad_input' })]);

    const dpo = await file('bad-dpo.jsonl', [{ prompt: 'Hi', chosen: 'Same', rejected: 'Same' }, { prompt: 'Hi', chosen: '', rejected: 'x' }]);
    const refused = await train('--kind', 'dpo', '--dataset-file', dpo, '--validate-only');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 1: 'chosen' and 'rejected' are the same answer/);
    expect(refused.stderr).toMatch(/line 2: needs a non-empty 'chosen' string/);
  });

  it('refuses a file that is not JSONL, or empty, or missing', async () => {
    expect((await train('--kind', 'sft', '--dataset-file', await file('broken.jsonl', '{"messages": [\n'), '--validate-only')).stderr).toMatch(/broken\.jsonl:1: not valid JSON/);
    expect((await train('--kind', 'sft', '--dataset-file', await file('empty.jsonl', '\n'), '--validate-only')).stderr).toMatch(/has no rows/);
    expect((await train('--kind', 'sft', '--dataset-file', join(dir, 'absent.jsonl'), '--validate-only')).stderr).toMatch(/absent\.jsonl: cannot be read/);
  });

  it('checks its arguments before touching the training stack', async () => {
    expect(await train('--kind', 'ppo', '--dataset', 'acme/ds@abc')).toMatchObject({ code: 2, stderr: expect.stringMatching(/invalid choice: 'ppo'/) });
    expect(await train('--kind', 'sft', '--dataset', 'not-a-repo')).toMatchObject({ code: 2, stderr: expect.stringMatching(/'not-a-repo' is not owner\/name\[@revision\]/) });
    expect(await train('--kind', 'sft', '--dataset', 'acme/ds@abc')).toMatchObject({ code: 2, stderr: expect.stringMatching(/training needs --base-model and --output-repo/) });
    expect(await train('--kind', 'sft', '--dataset', 'acme/ds@abc', '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--output-repo', 'acme/out', '--epochs', '0')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--epochs: must be > 0/),
    });
    // Without a token the job could neither read the dataset nor push: refused before any download.
    const noToken = await train('--kind', 'sft', '--dataset', 'acme/ds@abc', '--base-model', 'Qwen/Qwen2.5-0.5B-Instruct', '--output-repo', 'acme/out');
    expect(noToken).toMatchObject({ code: 2, stderr: expect.stringMatching(/HF_TOKEN is not set/) });
  });

  it('declares its dependencies inline, so `uv run` in a Job installs them', async () => {
    const { readFile } = await import('node:fs/promises');
    const header = /# \/\/\/ script\n([\s\S]*?)# \/\/\//.exec(await readFile(SCRIPT, 'utf8'))?.[1] ?? '';
    for (const dependency of ['trl', 'transformers', 'datasets', 'peft', 'huggingface_hub']) expect(header).toMatch(new RegExp(`"${dependency}>=`));
  });
});
