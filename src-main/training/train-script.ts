/**
 * training/train.py as a Hugging Face Job runs it: the reviewed script from the repository travels with the job
 * (base64 in an environment variable, decoded by the job's shell), so what ran is exactly what was reviewed, and
 * its sha256 is recorded with the run. Its `TRIAD_EVENT {json}` output lines are parsed here.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingLaunch } from '../../src-shared/training';

/** Where the training script lives: `training/train.py` at the project's root. */
export const DEFAULT_TRAIN_SCRIPT = join(import.meta.dirname, '../../training/train.py');

/** huggingface_hub's default image for uv scripts (HfApi.run_uv_job). */
export const UV_IMAGE = 'ghcr.io/astral-sh/uv:python3.12-bookworm';

export interface TrainScript {
  base64: string;
  sha256: string;
}

export async function loadTrainScript(path = DEFAULT_TRAIN_SCRIPT): Promise<TrainScript> {
  const content = await readFile(path);
  return { base64: content.toString('base64'), sha256: createHash('sha256').update(content).digest('hex') };
}

/** The job's command: decode the script, then `uv run` it with the run's arguments. */
export function trainCommand(launch: TrainingLaunch, outputRepo: string): string[] {
  const p = launch.params;
  const args = [
    '--kind', launch.kind,
    '--dataset', `${launch.dataset.repo}@${launch.dataset.revision}`,
    '--base-model', launch.baseModel,
    '--output-repo', outputRepo,
    '--epochs', String(p.epochs),
    '--max-steps', String(p.maxSteps),
    '--batch-size', String(p.batchSize),
    '--grad-accum', String(p.gradAccum),
    '--max-length', String(p.maxLength),
    '--seed', '42',
    ...(p.learningRate === undefined ? [] : ['--learning-rate', String(p.learningRate)]),
    ...(launch.kind === 'dpo' ? ['--beta', String(p.beta)] : []),
    ...(p.lora ? ['--lora', '--lora-r', String(p.loraR), '--lora-alpha', String(p.loraAlpha)] : []),
    ...(p.gguf ? ['--gguf'] : []),
  ];
  return ['bash', '-c', 'printf %s "$TRIAD_TRAIN_SCRIPT" | base64 -d > /tmp/train.py && exec uv run /tmp/train.py "$@"', 'train.py', ...args];
}

/** One event the script printed. */
export type TrainEvent =
  | { event: 'stage'; stage: string }
  | { event: 'progress'; step: number; max_steps?: number; loss?: number; eval_loss?: number; learning_rate?: number }
  | { event: 'result'; model_repo: string; commit: string; gguf_file: string | null; base_model: string; dataset: string; metrics: Record<string, number> }
  | { event: 'error'; reason: string; message: string }
  | { event: 'validated'; rows: number };

/** The event of a log line, or undefined for a line meant for people (or a malformed event, which is only logged). */
export function parseTrainEvent(line: string): TrainEvent | undefined {
  if (!line.startsWith('TRIAD_EVENT ')) return undefined;
  try {
    const value = JSON.parse(line.slice('TRIAD_EVENT '.length)) as { event?: unknown };
    return typeof value.event === 'string' ? (value as TrainEvent) : undefined;
  } catch {
    return undefined;
  }
}
