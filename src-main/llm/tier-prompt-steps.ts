import type { ChatMessage } from '../../src-shared/chat';
import type { Tier } from '../../src-shared/domain';
import type { KnowledgeRepository, KnowledgeSnippet } from '../store/repositories';

/**
 * Prepares the prompt for a tier that runs on a generic model (local or OpenAI): what makes the Company and
 * Abstraction tiers different there is their system prompt and the context they add. A tier's own Hugging
 * Face Space is trained for it and gets the messages unchanged.
 */
export interface TierPromptStep {
  prepare(input: { messages: ChatMessage[]; company?: string }): Promise<ChatMessage[]>;
}

const SNIPPETS_PER_PROMPT = 3;

/** Base: a general assistant with no company context. */
export class BasePromptStep implements TierPromptStep {
  async prepare({ messages }: { messages: ChatMessage[] }): Promise<ChatMessage[]> {
    return withSystem(messages, 'You are Triad Base, a general assistant. You have no knowledge of any particular company.');
  }
}

/** Company: adds the company's knowledge snippets most relevant to the question. */
export class CompanyKnowledgeStep implements TierPromptStep {
  constructor(private readonly knowledge: KnowledgeRepository) {}

  async prepare({ messages, company }: { messages: ChatMessage[]; company?: string }): Promise<ChatMessage[]> {
    const snippets = company ? await this.knowledge.searchCompanySnippets(company, lastUserText(messages), SNIPPETS_PER_PROMPT).catch(() => undefined) : [];
    return withSystem(
      messages,
      `You are Triad Company, the assistant for the company '${company ?? 'unknown'}'. ` +
        'Answer from the company knowledge below when it is relevant, and say when it does not cover the question.' +
        formatSnippets('Company knowledge', snippets),
    );
  }
}

/** Abstraction: adds anonymised insights across similar businesses. */
export class CrossCompanyInsightsStep implements TierPromptStep {
  constructor(private readonly knowledge: KnowledgeRepository) {}

  async prepare({ messages }: { messages: ChatMessage[] }): Promise<ChatMessage[]> {
    const insights = await this.knowledge.searchCrossCompanyInsights(lastUserText(messages), SNIPPETS_PER_PROMPT).catch(() => undefined);
    return withSystem(
      messages,
      'You are Triad Abstraction. You answer with patterns and benchmarks across similar businesses, from anonymised ' +
        'data; never name or identify an individual company.' +
        formatSnippets('Anonymised cross-company insights', insights),
    );
  }
}

/** The default step for each tier. */
export function createTierPromptSteps(knowledge: KnowledgeRepository): Record<Tier, TierPromptStep> {
  return { base: new BasePromptStep(), company: new CompanyKnowledgeStep(knowledge), abstraction: new CrossCompanyInsightsStep(knowledge) };
}

function lastUserText(messages: ChatMessage[]): string {
  return messages.findLast((m) => m.role === 'user')?.content ?? '';
}

/** The snippets as a prompt section; `undefined` means the store could not be read, which the model is told. */
function formatSnippets(heading: string, snippets: KnowledgeSnippet[] | undefined): string {
  // Answering without the context beats not answering; the model is told so it can say so.
  if (snippets === undefined) return `\n\n${heading} is unavailable right now; say that your answer does not use it.`;
  if (snippets.length === 0) return '';
  return `\n\n${heading}:\n${snippets.map((s) => `- ${s.title}: ${s.content}`).join('\n')}`;
}

/** Puts the tier's system prompt first, keeping any system message the caller sent after it. */
function withSystem(messages: ChatMessage[], system: string): ChatMessage[] {
  return [{ role: 'system', content: system }, ...messages];
}
