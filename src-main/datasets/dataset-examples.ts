/**
 * Examples as they come out of the store, before anonymisation and the filters: which answers teach what
 * (docs/datasets.md, "Sources"). Every example keeps the requests it came from and the company they named.
 */
import type { DatasetKind } from '../../src-shared/dataset-contract';
import type { Tier } from '../../src-shared/domain';
import type { DatasetSourceRequest, DatasetSources } from '../store/repositories';
import { normalisePrompt } from './text-similarity';

/** Where an example came from. */
export type ExampleSource = 'accepted' | 'label_correction' | 'feedback_correction' | 'vote' | 'thumbs' | 'correction_pair';

/** An example's texts: SFT has a prompt and an answer, DPO a prompt, a chosen and a rejected answer. */
export interface RawExample {
  kind: DatasetKind;
  source: ExampleSource;
  prompt: string;
  /** SFT: the answer taught; DPO: the chosen answer. */
  chosen: string;
  /** DPO only. */
  rejected: string | null;
  requestIds: string[];
  /** The company of the requests (for a pair, the chosen answer's); null when they named none. */
  company: string | null;
  /** Every company the example's requests named, to keep a Company dataset to one company. */
  companies: Array<string | null>;
  /** The review label of the answer the example teaches (the chosen one). */
  label: 'accepted' | 'rejected' | 'needs_fix' | 'unlabelled';
  createdAt: Date;
}

const present = (text: string | null | undefined): text is string => typeof text === 'string' && text.trim() !== '';

/** The correction of an answer: the reviewer's label first, else the newest feedback's. */
function correctionOf(request: DatasetSourceRequest): { text: string; by: 'label_correction' | 'feedback_correction' } | null {
  if (present(request.label?.correctedAnswer)) return { text: request.label.correctedAnswer, by: 'label_correction' };
  const fromFeedback = request.feedback.find((f) => present(f.correctedAnswer));
  return fromFeedback && present(fromFeedback.correctedAnswer) ? { text: fromFeedback.correctedAnswer, by: 'feedback_correction' } : null;
}

function labelOf(request: DatasetSourceRequest): RawExample['label'] {
  return request.label?.label ?? 'unlabelled';
}

/** SFT: a corrected answer (the label's, else the feedback's), else an answer labelled accepted. */
function sftExamples(requests: DatasetSourceRequest[]): RawExample[] {
  const examples: RawExample[] = [];
  for (const request of requests) {
    if (!present(request.prompt)) continue;
    const correction = correctionOf(request);
    const base = { kind: 'sft' as const, prompt: request.prompt, rejected: null, requestIds: [request.id], company: request.companySlug, companies: [request.companySlug], label: labelOf(request), createdAt: request.createdAt };
    if (correction) examples.push({ ...base, source: correction.by, chosen: correction.text });
    else if (request.label?.label === 'accepted' && present(request.answer)) examples.push({ ...base, source: 'accepted', chosen: request.answer });
  }
  return examples;
}

/** Thumbs of an answer: up when someone gave thumbs up and nobody down, and the other way round. */
function thumbsOf(request: DatasetSourceRequest): 1 | -1 | null {
  const up = request.feedback.some((f) => f.thumbs === 1);
  const down = request.feedback.some((f) => f.thumbs === -1);
  return up === down ? null : up ? 1 : -1;
}

/**
 * DPO: each Compare winner against each answer it beat (pairs with an answer of the tier), the same prompt's
 * thumbs-up answer against its thumbs-down one, and a correction against the answer it corrects.
 */
function dpoExamples(sources: DatasetSources, tier: Tier): RawExample[] {
  const byId = new Map(sources.requests.map((r) => [r.id, r]));
  const ofTier = sources.requests.filter((r) => r.tier === tier);
  const examples: RawExample[] = [];
  const pair = (source: ExampleSource, prompt: string, chosen: DatasetSourceRequest, chosenText: string, rejected: DatasetSourceRequest, rejectedText: string, at: Date) => {
    const ids = chosen.id === rejected.id ? [chosen.id] : [chosen.id, rejected.id];
    examples.push({
      kind: 'dpo',
      source,
      prompt,
      chosen: chosenText,
      rejected: rejectedText,
      requestIds: ids,
      company: chosen.companySlug,
      companies: [chosen.companySlug, rejected.companySlug],
      label: labelOf(chosen),
      createdAt: at,
    });
  };

  for (const vote of sources.votes) {
    const winner = byId.get(vote.winnerRequestId);
    if (!winner || !present(winner.answer)) continue;
    for (const id of vote.requestIds) {
      const loser = byId.get(id);
      if (!loser || id === winner.id || !present(loser.answer)) continue;
      if (winner.tier !== tier && loser.tier !== tier) continue;
      pair('vote', present(vote.prompt) ? vote.prompt : (winner.prompt ?? ''), winner, winner.answer, loser, loser.answer, vote.createdAt);
    }
  }

  // Thumbs pairs: the same prompt (normalised) within one company.
  const groups = new Map<string, { up: DatasetSourceRequest[]; down: DatasetSourceRequest[] }>();
  for (const request of ofTier) {
    const thumbs = thumbsOf(request);
    if (thumbs === null || !present(request.prompt) || !present(request.answer)) continue;
    const key = `${request.companySlug ?? ''}\u0000${normalisePrompt(request.prompt)}`;
    const group = groups.get(key) ?? { up: [], down: [] };
    (thumbs === 1 ? group.up : group.down).push(request);
    groups.set(key, group);
  }
  for (const { up, down } of groups.values()) {
    if (up.length === 0) continue;
    down.forEach((bad, i) => {
      const good = up[i % up.length]!;
      pair('thumbs', good.prompt!, good, good.answer!, bad, bad.answer!, bad.createdAt > good.createdAt ? bad.createdAt : good.createdAt);
    });
  }

  for (const request of ofTier) {
    const correction = correctionOf(request);
    if (!correction || !present(request.prompt) || !present(request.answer)) continue;
    pair('correction_pair', request.prompt, request, correction.text, request, request.answer, request.createdAt);
  }
  return examples;
}

/** The examples a tier's sources give, oldest first; Compare pairs and thumbs pairs only for DPO. */
export function extractExamples(sources: DatasetSources, tier: Tier, kind: DatasetKind): RawExample[] {
  const examples = kind === 'sft' ? sftExamples(sources.requests.filter((r) => r.tier === tier)) : dpoExamples(sources, tier);
  return examples.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.requestIds.join().localeCompare(b.requestIds.join()));
}
