/**
 * `npm run bench:anonymiser`: the anonymiser's quality and speed (issue 8, §4).
 *  1. Recall and precision per type on the labelled corpus (test/datasets/anonymiser/corpus/), for the whole
 *     corpus, for the files the detectors were tuned on, and for the held-out file alone. Matching is
 *     span-level, as in test/datasets/anonymiser/corpus-scoring.ts: a gold span is recalled when predicted
 *     spans of its type cover all its letters and digits; a prediction is precise when it overlaps a gold
 *     span of its type.
 *  2. Throughput: the corpus anonymised text by text (median of 5 rounds), and a 100 KB text in one call.
 * Writes src-main/datasets/anonymiser/measured-quality.json, which measuredQuality() (and so the dataset
 * card) reads, and prints the markdown tables for docs/benchmarks.md. Not a test: it asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ANONYMISER_VERSION, Anonymiser, PII_TYPES, STRUCTURED_PII_TYPES, type PiiType } from '../../src-main/datasets/anonymiser/anonymiser';
import { scoreCorpus, type CorpusScore } from '../../test/datasets/anonymiser/corpus-scoring';
import { CORPUS_COMPANIES, loadLabelledCorpus, type LabelledText } from '../../test/datasets/anonymiser/labelled-corpus';

const OUTPUT = fileURLToPath(new URL('../../src-main/datasets/anonymiser/measured-quality.json', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function score(anonymiser: Anonymiser, corpus: readonly LabelledText[]): CorpusScore {
  return scoreCorpus(
    corpus,
    corpus.map((item) => anonymiser.anonymise(item.text).spans),
  );
}

function table(title: string, result: CorpusScore, texts: number): string {
  const rows = PII_TYPES.map((type) => {
    const s = result.perType[type];
    return `| ${type} | ${s.gold} | ${s.recall.toFixed(3)} | ${s.predicted} | ${s.precision.toFixed(3)} | ${s.exact} |`;
  });
  return [
    `**${title}** (${texts} texts, ${result.goldSpans} labelled spans; overall precision ${result.overallPrecision.toFixed(3)})`,
    '',
    '| type | labelled | recall | predicted | precision | exact boundaries |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

const corpus = loadLabelledCorpus();
const heldOut = corpus.filter((item) => item.source.startsWith('held-out'));
const tuned = corpus.filter((item) => !item.source.startsWith('held-out'));
const anonymiser = new Anonymiser({ companies: CORPUS_COMPANIES });

const whole = score(anonymiser, corpus);
const tunedScore = score(anonymiser, tuned);
const heldOutScore = score(anonymiser, heldOut);

const characters = corpus.reduce((sum, item) => sum + item.text.length, 0);
const rounds: number[] = [];
for (let round = 0; round < 5; round++) {
  const start = performance.now();
  for (const item of corpus) anonymiser.anonymise(item.text);
  rounds.push(performance.now() - start);
}
const corpusMs = median(rounds);

const longText = Array.from({ length: 1000 }, (_, i) => corpus[i % corpus.length]?.text ?? '').join('\n').slice(0, 100_000);
const longRounds: number[] = [];
for (let round = 0; round < 3; round++) {
  const start = performance.now();
  anonymiser.anonymise(longText);
  longRounds.push(performance.now() - start);
}
const longMs = median(longRounds);

const perType = (pick: (type: PiiType) => number) => Object.fromEntries(PII_TYPES.map((type) => [type, Number(pick(type).toFixed(4))])) as Record<PiiType, number>;
const measured = {
  version: ANONYMISER_VERSION,
  measuredAt: new Date().toISOString(),
  recall: perType((type) => whole.perType[type].recall),
  precision: perType((type) => whole.perType[type].precision),
  overallPrecision: Number(whole.overallPrecision.toFixed(4)),
  matching: 'span-level: a labelled span is recalled when spans of its type cover all its letters and digits; a predicted span is precise when it overlaps a labelled span of its type',
  corpus: { texts: corpus.length, labelledSpans: whole.goldSpans, heldOutTexts: heldOut.length, heldOutSpans: heldOutScore.goldSpans },
  heldOut: { recall: perType((type) => heldOutScore.perType[type].recall), precision: perType((type) => heldOutScore.perType[type].precision) },
};
writeFileSync(OUTPUT, `${JSON.stringify(measured, null, 2)}\n`);

const structuredRecall = Math.min(...STRUCTURED_PII_TYPES.map((type) => whole.perType[type].recall));
console.log(`Anonymiser ${ANONYMISER_VERSION}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`);
console.log('');
console.log(table('Whole corpus', whole, corpus.length));
console.log('');
console.log(table('Tuned-on files', tunedScore, tuned.length));
console.log('');
console.log(table('Held-out files', heldOutScore, heldOut.length));
console.log('');
console.log(`Lowest recall of a structured type: ${structuredRecall.toFixed(3)}.`);
console.log('');
console.log('| throughput | value |');
console.log('| --- | ---: |');
console.log(`| corpus, text by text (${corpus.length} texts, ${characters} chars; median of 5) | ${(corpus.length / (corpusMs / 1000)).toFixed(0)} texts/s, ${(characters / 1024 / (corpusMs / 1000)).toFixed(1)} KB/s, ${(corpusMs / corpus.length).toFixed(2)} ms/text |`);
console.log(`| one 100 KB text (median of 3) | ${(longMs / 1000).toFixed(2)} s, ${(100_000 / 1024 / (longMs / 1000)).toFixed(1)} KB/s |`);
console.log('');
const errors = whole.errors.map((error) => `- ${error.kind} ${error.type} ${JSON.stringify(error.value)} (${error.source})`);
console.log(`Errors on the whole corpus (${errors.length}):`);
console.log(errors.join('\n'));
console.error(`wrote ${OUTPUT}`);
