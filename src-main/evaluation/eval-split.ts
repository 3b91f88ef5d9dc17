/**
 * Reading what an evaluation replays from the Hub: a dataset version's eval split (`eval.jsonl`, written by
 * src-main/datasets) and, for a candidate answered locally, its GGUF from the model repo. Both go through
 * `@huggingface/hub`'s downloadFile (the Hub's `resolve` endpoint at HF_ENDPOINT) with the Hub fetch, which waits
 * as a 429's `Retry-After` / `RateLimit` says.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { downloadFile } from '@huggingface/hub';
import { TriadError } from '../../src-shared/errors';
import { DpoRowSchema, SftRowSchema } from '../../src-shared/dataset-contract';
import { DATASET_FILES } from '../datasets/dataset-card';
import { hubFailure } from '../hub/hub-errors';
import type { EvaluationItem, TriadStore } from '../store/repositories';

/** Where the Hub is and how to reach it. */
export interface HubAccess {
  hubUrl: string;
  fetch: typeof fetch;
  token: string | undefined;
}

/** One eval example as a run replays it: the conversation up to the prompt, and the reference answer. */
export interface EvalExample {
  messages: EvaluationItem['messages'];
  reference: string | null;
  /** The logged requests the example was made from (the company is read from them when the dataset has none). */
  requestIds: string[];
}

/** `owner/name@commit` → its parts; a clear error for anything else. */
export function parseRepoVersion(version: string, what: string): { repo: string; revision: string } {
  const match = /^([A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*)@([\w.-]+)$/.exec(version);
  if (!match) throw new TriadError({ code: 'validation_failed', message: `${what} must be owner/name@revision, got ${JSON.stringify(version)}` });
  return { repo: match[1]!, revision: match[2]! };
}

/**
 * One line of eval.jsonl as an example: an SFT row's messages up to its last assistant turn (that turn is the
 * reference), or a DPO row's prompt (its chosen answer is the reference).
 */
export function toEvalExample(row: unknown, where: string): EvalExample {
  const sft = SftRowSchema.safeParse(row);
  if (sft.success) {
    const messages = [...sft.data.messages];
    const last = messages.at(-1);
    const reference = last?.role === 'assistant' ? (messages.pop()!.content) : null;
    if (!messages.some((m) => m.role === 'user')) throw new TriadError({ code: 'validation_failed', message: `${where}: the example has no user turn` });
    return { messages, reference, requestIds: sft.data.request_ids };
  }
  const dpo = DpoRowSchema.safeParse(row);
  if (dpo.success) return { messages: [{ role: 'user', content: dpo.data.prompt }], reference: dpo.data.chosen, requestIds: dpo.data.request_ids };
  throw new TriadError({ code: 'validation_failed', message: `${where}: neither an SFT row ({messages}) nor a DPO row ({prompt, chosen, rejected})` });
}

/** Parses eval.jsonl; a line that is not an example is named by its number. */
export function parseEvalSplit(text: string, datasetVersion: string): EvalExample[] {
  const examples: EvalExample[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${datasetVersion} ${DATASET_FILES.eval} line ${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new TriadError({ code: 'validation_failed', message: `${where}: not JSON` });
    }
    examples.push(toEvalExample(row, where));
  });
  return examples;
}

/** The eval split of a pushed dataset version; refused when the version has no eval.jsonl or it holds no example. */
export async function readEvalSplit(datasetVersion: string, hub: HubAccess): Promise<EvalExample[]> {
  const { repo, revision } = parseRepoVersion(datasetVersion, 'the dataset version');
  const action = `reading the eval split of ${datasetVersion}`;
  let blob: Blob | null;
  let text: string;
  try {
    blob = await downloadFile({ repo: { type: 'dataset', name: repo }, path: DATASET_FILES.eval, revision, hubUrl: hub.hubUrl, fetch: hub.fetch, accessToken: hub.token, xet: false });
    text = blob ? await blob.text() : '';
  } catch (error) {
    throw hubFailure(action, error);
  }
  if (!blob) throw new TriadError({ code: 'validation_failed', message: `${action}: the dataset has no ${DATASET_FILES.eval}: nothing to evaluate on` });
  const examples = parseEvalSplit(text, datasetVersion);
  if (examples.length === 0) {
    throw new TriadError({ code: 'validation_failed', message: `${action}: the eval split has no examples: build the dataset again with more answered requests, then train and evaluate` });
  }
  return examples;
}

/**
 * A model repo's file in `cacheDir/<repo>/<revision>/<path>`, downloaded once (to a temporary name first, so an
 * interrupted download is never taken for the file). Returns its path.
 */
export async function downloadModelFile(
  request: { repo: string; revision: string; path: string; cacheDir: string },
  hub: HubAccess,
  onProgress?: (progress: { downloadedBytes: number; totalBytes: number }) => void,
): Promise<string> {
  const target = join(request.cacheDir, ...request.repo.split('/'), request.revision, ...request.path.split('/'));
  if (await stat(target).then((s) => s.isFile() && s.size > 0, () => false)) return target;
  const action = `downloading ${request.path} of ${request.repo}@${request.revision}`;
  let blob: Blob | null;
  try {
    blob = await downloadFile({ repo: { type: 'model', name: request.repo }, path: request.path, revision: request.revision, hubUrl: hub.hubUrl, fetch: hub.fetch, accessToken: hub.token, xet: false });
  } catch (error) {
    throw hubFailure(action, error);
  }
  if (!blob) throw new TriadError({ code: 'validation_failed', message: `${action}: the model repo has no such file` });
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.part`;
  let downloaded = 0;
  const total = blob.size;
  try {
    const counted = Readable.fromWeb(blob.stream() as WebReadableStream<Uint8Array>);
    counted.on('data', (chunk: Buffer) => {
      downloaded += chunk.length;
      onProgress?.({ downloadedBytes: downloaded, totalBytes: total });
    });
    await pipeline(counted, createWriteStream(partial));
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw hubFailure(action, error);
  }
  return target;
}

/** Each example's company: the dataset version's own, else that of the first logged request it came from. */
export async function companiesOfExamples(
  store: Pick<TriadStore, 'datasets' | 'requests'>,
  datasetVersion: string,
  examples: EvalExample[],
): Promise<Array<string | null>> {
  const { repo, revision } = parseRepoVersion(datasetVersion, 'the dataset version');
  const built = (await store.datasets.list(500).catch(() => [])).find((d) => d.repo === repo && d.commitSha === revision);
  if (built?.companySlug) return examples.map(() => built.companySlug);
  return Promise.all(
    examples.map(async (example) => {
      const first = example.requestIds[0];
      if (!first) return null;
      return (await store.requests.get(first).catch(() => undefined))?.companySlug ?? null;
    }),
  );
}
