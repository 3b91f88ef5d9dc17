/**
 * The dataset card: README.md with the Hub's YAML front matter (license, task categories, tags, the configs
 * whose data_files name the splits), then what the dataset is made of and how it was filtered and anonymised.
 * Strings are written as JSON strings, which YAML reads as double-quoted scalars: nothing needs escaping rules
 * of its own.
 */
import { DATASET_DEFAULTS } from '../../src-shared/dataset-contract';
import type { MeasuredQuality } from './anonymiser/measured-quality';
import { PII_TYPES, STRUCTURED_PII_TYPES } from './anonymiser/pii-span';
import type { BuiltDataset } from './dataset-builder';

/** The files of a dataset, in the order they are uploaded. */
export const DATASET_FILES = { train: 'train.jsonl', eval: 'eval.jsonl', card: 'README.md' } as const;

const SOURCE_NAMES: Record<string, string> = {
  accepted: 'answers labelled accepted in Review',
  label_correction: "reviewers' corrected answers",
  feedback_correction: "operators' corrected answers (feedback)",
  vote: 'Compare votes: the winner against each answer it beat',
  thumbs: 'the same prompt answered with thumbs up and with thumbs down',
  correction_pair: 'a corrected answer against the answer it corrects',
};

function sizeCategory(n: number): string {
  if (n < 1_000) return 'n<1K';
  if (n < 10_000) return '1K<n<10K';
  if (n < 100_000) return '10K<n<100K';
  return '100K<n<1M';
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The card's text for a built dataset; `quality` is the anonymiser's measured recall, or why it is missing. */
export function renderDatasetCard(dataset: BuiltDataset, quality: MeasuredQuality | { unavailable: string }, builtAt: Date): string {
  const { params, counts } = dataset;
  const q = JSON.stringify;
  const title = `Triad ${params.tier} tier ${params.kind.toUpperCase()} dataset${params.company ? ` (${params.company})` : ''}`;
  const frontMatter = [
    '---',
    'license: other',
    `license_name: ${q('private-operator-data')}`,
    `pretty_name: ${q(title)}`,
    'language:',
    '- en',
    'task_categories:',
    '- text-generation',
    'tags:',
    ...['triad', params.kind, `tier-${params.tier}`, 'anonymised', params.kind === 'dpo' ? 'preference' : 'conversational'].map((t) => `- ${q(t)}`),
    'size_categories:',
    `- ${q(sizeCategory(counts.train + counts.eval))}`,
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    `    path: ${q(DATASET_FILES.train)}`,
    '  - split: eval',
    `    path: ${q(DATASET_FILES.eval)}`,
    '---',
  ].join('\n');

  const sources = [...new Set([...Object.keys(counts.bySource.train ?? {}), ...Object.keys(counts.bySource.eval ?? {})])].sort();
  const labels = [...new Set([...Object.keys(counts.byLabel.train ?? {}), ...Object.keys(counts.byLabel.eval ?? {})])].sort();
  const recall =
    'unavailable' in quality
      ? `The anonymiser's measured recall is not available: ${quality.unavailable}.`
      : [
          `Recall and precision measured on Triad's labelled corpus on ${quality.measuredAt.slice(0, 10)}, anonymiser version ${quality.version}` +
            (quality.version === dataset.anonymiserVersion ? ':' : ` (this dataset was anonymised with version ${dataset.anonymiserVersion}, which has not been measured yet):`),
          '',
          table(
            ['type', 'kind', 'recall', 'precision'],
            PII_TYPES.map((type) => [type, STRUCTURED_PII_TYPES.includes(type) ? 'pattern' : 'NER / directory', quality.recall[type].toFixed(3), quality.precision[type].toFixed(3)]),
          ),
        ].join('\n');

  const body = [
    `# ${title}`,
    '',
    `Built by Triad on ${builtAt.toISOString()} from the operators' logged answers, reviews, feedback and Compare votes.`,
    params.kind === 'sft'
      ? 'Rows are in TRL\'s conversational format: `{"messages": [{"role": "user", …}, {"role": "assistant", …}]}`.'
      : 'Rows are preference pairs for TRL\'s DPO trainer: `{"prompt", "chosen", "rejected"}`.',
    'Each row also names its `source` and, except in the Abstraction tier, the `request_ids` of the logged answers it came from.',
    '',
    '## Sources',
    '',
    table(
      ['source', 'what', 'train', 'eval'],
      sources.map((s) => [s, SOURCE_NAMES[s] ?? s, counts.bySource.train?.[s] ?? 0, counts.bySource.eval?.[s] ?? 0]),
    ),
    '',
    `Read: ${counts.requestsRead} answered requests of the ${params.tier} tier${params.company ? ` of company \`${params.company}\`` : ''}` +
      (params.kind === 'dpo' ? ` and ${counts.votesRead} Compare votes with a winner.` : '.') +
      ` Examples made from them before filtering: ${counts.candidates}.`,
    '',
    '## Splits and labels',
    '',
    table(['split', 'examples', ...labels], (['train', 'eval'] as const).map((split) => [split, counts[split], ...labels.map((l) => counts.byLabel[split]?.[l] ?? 0)])),
    '',
    `The split is by prompt (every row of one prompt is in one split), from seed ${params.seed}, ${Math.round(params.evalShare * 100)}% of the examples to eval.`,
    '',
    '## Filters',
    '',
    table(['filter', 'removed', 'what it removes'], counts.removed.map((f) => [f.filter, f.removed, f.detail])),
    '',
    params.tier === 'abstraction'
      ? `Abstraction mixes companies only after anonymisation; a prompt's pattern is the set of its content words, and prompts whose sets overlap ${DATASET_DEFAULTS.patternThreshold * 100}% or more (Jaccard) share one. A pattern is kept only when it appears in at least k = ${params.k} companies; ${counts.patterns ?? 0} patterns from ${counts.companies} companies were kept.`
      : params.tier === 'company'
        ? `Only answers of company \`${params.company}\` are included.`
        : 'Base answers of every company the builder may read are included.',
    '',
    '## Anonymisation',
    '',
    `Every text was anonymised before it left the machine by Triad's anonymiser, version ${dataset.anonymiserVersion}: ${PII_TYPES.join(', ')} are replaced by numbered placeholders (\`<PERSON_1>\`), consistent within a row.` +
      (params.tier === 'company' ? ` The company's own name is kept; other companies' are replaced.` : ' Company names are replaced.'),
    '',
    recall,
    '',
  ].join('\n');
  return `${frontMatter}\n${body}`;
}
