/**
 * The optional judge model (setting `evaluation.judge`, off by default): an LLM, through the same ChatModelFactory
 * as the facade, reads each answered pair in the blind order the operator sees and says which answer is better.
 * Its verdicts are reported beside the operator's, with how often the two agree; they never stand in for them.
 */
import type { ChatMessage } from '../../src-shared/chat';
import type { BlindVerdict } from '../../src-shared/evaluation-contract';
import type { SettingsService } from '../config/settings-service';
import type { ChatModel } from '../llm/chat-model';
import type { ModelTarget } from '../llm/model-target';
import type { EvaluationItem } from '../store/repositories';

/** The judge's target and the name the run records, or undefined when no judge is configured. */
export async function judgeTarget(settings: SettingsService): Promise<{ target: ModelTarget; name: string } | undefined> {
  const judge = await settings.get('evaluation.judge');
  if (judge.provider === 'off') return undefined;
  if (judge.provider === 'local') {
    if (!judge.model) return undefined;
    return { target: { provider: 'local', modelPath: judge.model }, name: `local:${judge.model.split(/[\\/]/).pop()}` };
  }
  const openai = await settings.get('openai');
  const model = judge.model ?? openai.model;
  return { target: { provider: 'openai', model, baseUrl: openai.baseUrl }, name: `openai:${model}` };
}

const INSTRUCTIONS =
  'You compare two answers to the same conversation. Judge helpfulness, correctness and clarity; ignore length and order. ' +
  'Reply with exactly one word: A if answer A is better, B if answer B is better, TIE if neither is.';

/** The judge's prompt: the conversation, the reference answer when the example has one, and the two answers in blind order. */
export function judgePrompt(item: EvaluationItem): ChatMessage[] {
  const [a, b] = item.candidateFirst ? [item.candidate!, item.serving!] : [item.serving!, item.candidate!];
  const conversation = item.messages.map((m) => `${m.role.toUpperCase()}: ${m.content}`).join('\n');
  const reference = item.reference ? `\n\nA reference answer (for you only): ${item.reference}` : '';
  return [
    { role: 'system', content: INSTRUCTIONS },
    { role: 'user', content: `Conversation:\n${conversation}${reference}\n\nAnswer A:\n${a.text}\n\nAnswer B:\n${b.text}\n\nWhich is better: A, B or TIE?` },
  ];
}

/** The verdict in a judge's reply: its first A, B or TIE as a word; null when it gave none. */
export function parseJudgeVerdict(reply: string): BlindVerdict | null {
  const word = /\b(TIE|A|B)\b/i.exec(reply)?.[1]?.toUpperCase();
  return word === 'TIE' ? 'tie' : word === 'A' ? 'a' : word === 'B' ? 'b' : null;
}

/** Asks the judge about one pair; null when it failed or answered something else. */
export async function askJudge(model: ChatModel, item: EvaluationItem, signal: AbortSignal): Promise<BlindVerdict | null> {
  let reply = '';
  for await (const part of model.stream({ messages: judgePrompt(item), params: { maxTokens: 8, temperature: 0 } }, signal)) {
    if (part.type === 'text-delta') reply += part.text;
  }
  return parseJudgeVerdict(reply);
}
