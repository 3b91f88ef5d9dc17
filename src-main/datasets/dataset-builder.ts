/**
 * Builds one tier's SFT or DPO dataset from the store's sources (docs/datasets.md): examples → scope (one
 * company for Company) → anonymisation → the k-companies rule (Abstraction) → exact and near-duplicate prompts
 * → a train/eval split from the seed. Pure: the same sources and parameters give the same dataset.
 */
import { createHash } from 'node:crypto';
import { DATASET_DEFAULTS, type DatasetBuildParams, type DatasetCounts, type DatasetRow } from '../../src-shared/dataset-contract';
import { TriadError } from '../../src-shared/errors';
import type { DatasetSources } from '../store/repositories';
import { extractExamples, type RawExample } from './dataset-examples';
import { characterShingles, contentWords, normalisePrompt, similarGroups } from './text-similarity';

/** Anonymises the texts of one example together (the same person gets the same placeholder in all). */
export interface ExampleAnonymiser {
  readonly version: string;
  anonymiseAll(texts: readonly string[]): string[];
}

/** A finished dataset: the rows of each split and what the build counted. */
export interface BuiltDataset {
  params: DatasetBuildParams;
  train: DatasetRow[];
  eval: DatasetRow[];
  counts: DatasetCounts;
  anonymiserVersion: string;
}

/** Where a build is, for a progress bar: `done` of `total` examples through `stage`. */
export interface BuildProgress {
  stage: 'reading' | 'anonymising' | 'filtering' | 'splitting';
  done: number;
  total: number;
}

/** An example after anonymisation, with the keys the filters use. */
interface PreparedExample extends RawExample {
  normalised: string;
}

const NEAR_DUPLICATE_LSH = { bands: 32, rows: 4 };
const PATTERN_LSH = { bands: 64, rows: 2 };

function describeScope(params: DatasetBuildParams): string {
  return `${params.kind.toUpperCase()} dataset of the ${params.tier} tier${params.company ? ` of company '${params.company}'` : ''}`;
}

/** The refusal when nothing is left, naming what each filter removed. */
function emptyDatasetError(params: DatasetBuildParams, counts: DatasetCounts): TriadError {
  const read = `${counts.requestsRead} answered request(s)${params.kind === 'dpo' ? ` and ${counts.votesRead} Compare vote(s)` : ''} read`;
  const made =
    counts.candidates === 0
      ? params.kind === 'sft'
        ? 'none is labelled accepted in Review or has a corrected answer'
        : 'none gives a pair: no Compare vote with a winner, no prompt with both a thumbs-up and a thumbs-down answer, no correction'
      : `${counts.candidates} example(s) made`;
  const removed = counts.removed.filter((f) => f.removed > 0).map((f) => `${f.removed} removed by ${f.filter} (${f.detail})`);
  return new TriadError({
    code: 'validation_failed',
    message: `no ${describeScope(params)} is left after filtering: ${[read, made, ...removed].join('; ')}`,
  });
}

/** A number in [0, 1) from the seed and a key: the split does not move an example when others are added. */
function splitRank(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}\u0000${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Rows name their source and requests; an Abstraction row names no request, which would lead back to its company. */
function toRow(example: PreparedExample, tier: DatasetBuildParams['tier']): DatasetRow {
  const provenance = { source: example.source, request_ids: tier === 'abstraction' ? [] : example.requestIds };
  if (example.kind === 'sft') {
    return {
      messages: [
        { role: 'user', content: example.prompt },
        { role: 'assistant', content: example.chosen },
      ],
      ...provenance,
    };
  }
  return { prompt: example.prompt, chosen: example.chosen, rejected: example.rejected ?? '', ...provenance };
}

/** SFT keeps the reviewer's correction over an accepted answer over a feedback correction, then the oldest. */
const SFT_PRIORITY: Record<string, number> = { label_correction: 0, accepted: 1, feedback_correction: 2 };

/** Examples anonymised between two turns of the event loop: the main process keeps answering during a build. */
const EXAMPLES_PER_TURN = 20;

/** Builds the dataset; rejects with `validation_failed` naming the filters when no example is left. */
export async function buildDataset(
  sources: DatasetSources,
  params: DatasetBuildParams,
  anonymiser: ExampleAnonymiser,
  onProgress: (progress: BuildProgress) => void = () => undefined,
): Promise<BuiltDataset> {
  const requestsRead = sources.requests.filter((r) => r.tier === params.tier).length;
  const removed: DatasetCounts['removed'] = [];
  let examples: RawExample[] = extractExamples(sources, params.tier, params.kind);
  const candidates = examples.length;

  if (params.tier === 'company') {
    const before = examples.length;
    examples = examples.filter((e) => e.companies.every((c) => c === params.company));
    removed.push({ filter: 'company scope', removed: before - examples.length, detail: `pairs with an answer of another company than '${params.company}'` });
  }

  // Anonymised before anything else looks at the text: the filters and the pattern rule see what leaves the machine.
  const prepared: PreparedExample[] = [];
  for (const [index, example] of examples.entries()) {
    if (index % EXAMPLES_PER_TURN === 0) {
      onProgress({ stage: 'anonymising', done: index, total: examples.length });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const texts = anonymiser.anonymiseAll(example.kind === 'sft' ? [example.prompt, example.chosen] : [example.prompt, example.chosen, example.rejected ?? '']);
    prepared.push({ ...example, prompt: texts[0]!, chosen: texts[1]!, rejected: example.kind === 'dpo' ? texts[2]! : null, normalised: normalisePrompt(texts[0]!) });
  }
  onProgress({ stage: 'filtering', done: 0, total: prepared.length });

  let kept = prepared;
  if (params.kind === 'dpo') {
    const before = kept.length;
    kept = kept.filter((e) => e.chosen.trim() !== (e.rejected ?? '').trim());
    removed.push({ filter: 'identical pair', removed: before - kept.length, detail: 'chosen and rejected answers the same after anonymisation' });
  }

  let patterns: number | null = null;
  if (params.tier === 'abstraction') {
    const groups = similarGroups(kept.map((e) => contentWords(e.prompt)), DATASET_DEFAULTS.patternThreshold, PATTERN_LSH);
    const companiesOf = new Map<number, Set<string>>();
    groups.forEach((group, i) => {
      const company = kept[i]!.company;
      if (company === null) return;
      const set = companiesOf.get(group) ?? new Set<string>();
      set.add(company);
      companiesOf.set(group, set);
    });
    const before = kept.length;
    kept = kept.filter((_, i) => (companiesOf.get(groups[i]!)?.size ?? 0) >= params.k);
    patterns = new Set(groups.filter((g) => (companiesOf.get(g)?.size ?? 0) >= params.k)).size;
    removed.push({ filter: `k-companies rule (k = ${params.k})`, removed: before - kept.length, detail: `examples whose prompt pattern appears in fewer than ${params.k} companies` });
  }

  // Deduplication. SFT keeps one example per prompt; DPO keeps every pair of a prompt, one prompt per near-duplicate group.
  if (params.kind === 'sft') kept = [...kept].sort((a, b) => (SFT_PRIORITY[a.source] ?? 9) - (SFT_PRIORITY[b.source] ?? 9));
  {
    const before = kept.length;
    const seen = new Set<string>();
    kept = kept.filter((e) => {
      const key = params.kind === 'sft' ? e.normalised : `${e.normalised}\u0000${e.chosen.trim()}\u0000${(e.rejected ?? '').trim()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    removed.push({ filter: 'exact duplicates', removed: before - kept.length, detail: params.kind === 'sft' ? 'the same prompt (case, accents, punctuation ignored)' : 'the same prompt, chosen and rejected answer' });
  }
  {
    const before = kept.length;
    const groups = similarGroups(kept.map((e) => characterShingles(e.prompt)), DATASET_DEFAULTS.nearDuplicateThreshold, NEAR_DUPLICATE_LSH);
    kept = kept.filter((e, i) => {
      const first = kept[groups[i]!]!;
      return params.kind === 'sft' ? groups[i] === i : first.normalised === e.normalised;
    });
    removed.push({
      filter: 'near duplicates',
      removed: before - kept.length,
      detail: `prompts whose character 5-grams overlap ${DATASET_DEFAULTS.nearDuplicateThreshold * 100}% or more (Jaccard) with a kept one`,
    });
  }

  onProgress({ stage: 'splitting', done: kept.length, total: kept.length });
  // Whole prompt groups go to one split, so that eval never holds a prompt train has seen.
  const promptKeys = [...new Set(kept.map((e) => e.normalised))].sort((a, b) => splitRank(params.seed, a) - splitRank(params.seed, b) || a.localeCompare(b));
  const evalPrompts = new Set<string>();
  const evalTarget = Math.round(kept.length * params.evalShare);
  let evalCount = 0;
  for (const key of promptKeys) {
    if (evalCount >= evalTarget) break;
    const size = kept.filter((e) => e.normalised === key).length;
    evalPrompts.add(key);
    evalCount += size;
  }
  const evalExamples = kept.filter((e) => evalPrompts.has(e.normalised));
  const trainExamples = kept.filter((e) => !evalPrompts.has(e.normalised));

  const tally = (list: PreparedExample[], key: (e: PreparedExample) => string) => {
    const counts: Record<string, number> = {};
    for (const e of list) counts[key(e)] = (counts[key(e)] ?? 0) + 1;
    return counts;
  };
  const counts: DatasetCounts = {
    requestsRead,
    votesRead: sources.votes.length,
    candidates,
    train: trainExamples.length,
    eval: evalExamples.length,
    bySource: { train: tally(trainExamples, (e) => e.source), eval: tally(evalExamples, (e) => e.source) },
    byLabel: { train: tally(trainExamples, (e) => e.label), eval: tally(evalExamples, (e) => e.label) },
    removed,
    companies: new Set(kept.map((e) => e.company).filter((c) => c !== null)).size,
    patterns,
  };
  if (kept.length === 0) throw emptyDatasetError(params, counts);
  return { params, train: trainExamples.map((e) => toRow(e, params.tier)), eval: evalExamples.map((e) => toRow(e, params.tier)), counts, anonymiserVersion: anonymiser.version };
}
