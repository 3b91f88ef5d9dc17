/**
 * Decides whether a question is about patterns across businesses, which the Abstraction tier answers.
 *
 * Rule: the question must look beyond one company. It matches when it names a cross-business scope
 * ("across companies", "similar businesses", "industry average", "compared to competitors", "benchmark",
 * "trends in the retail sector"). Analysis words alone ("trends in our sales") stay with the company: they
 * ask about the user's own data. The matched phrases are returned so the routing reason can quote them.
 */
export interface AbstractionIntent {
  matched: boolean;
  /** The phrases that matched, lowercased, in order of appearance. */
  signals: string[];
}

const ENTITIES = String.raw`(?:businesses|companies|firms|organi[sz]ations|industries|sectors|markets|competitors|peers|clients|customers)`;

const CROSS_BUSINESS_PATTERNS: readonly RegExp[] = [
  // "across similar businesses", "among other companies", "between firms"
  new RegExp(String.raw`\b(?:across|among|between)\s+(?:all\s+|many\s+|most\s+|(?:the\s+)?other\s+|similar\s+|comparable\s+|different\s+)?${ENTITIES}\b`, 'gi'),
  // "similar companies", "comparable firms", "peer companies", "other businesses"
  new RegExp(String.raw`\b(?:similar|comparable|peer|other)\s+${ENTITIES}\b`, 'gi'),
  // "industry average", "sector-wide", "market benchmarks"
  /\b(?:industry|sector|market)[\s-](?:wide|averages?|benchmarks?|norms?|standards?|medians?|trends?|patterns?)\b/gi,
  // "compared to competitors", "versus the industry"
  /\b(?:compared?\s+(?:to|with)|versus|vs\.?|relative\s+to)\s+(?:our\s+|the\s+)?(?:competitors|peers|others|industry|sector|market)\b/gi,
  // "trends in the retail industry", "patterns across the sector"
  /\b(?:trends?|patterns?|benchmarks?|norms?)\s+(?:in|across|for)\s+(?:the\s+)?(?:\w+\s+)?(?:industry|sector|market)\b/gi,
  // "benchmark", "benchmarks", "benchmarking": a comparison against others by definition
  /\bbenchmark(?:s|ing)?\b/gi,
  /\bpeer\s+group\b/gi,
];

/**
 * A word every pattern above needs (an entity, a scope, "others", "benchmark"). Most questions have none, and
 * one scan for it costs a tenth of running the seven patterns; this runs on every request.
 */
const NEEDED_WORD = /compan|business|firm|organi[sz]ation|industr|sector|market|competitor|peer|client|customer|others|benchmark/i;

/** Classifies one question (usually the user's last message). */
export function classifyAbstractionIntent(text: string): AbstractionIntent {
  if (!NEEDED_WORD.test(text)) return { matched: false, signals: [] };
  const found: Array<{ index: number; phrase: string }> = [];
  for (const pattern of CROSS_BUSINESS_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const phrase = match[0].toLowerCase().replace(/\s+/g, ' ');
      if (!found.some((f) => f.phrase.includes(phrase) || phrase.includes(f.phrase))) found.push({ index: match.index, phrase });
    }
  }
  found.sort((a, b) => a.index - b.index);
  return { matched: found.length > 0, signals: found.map((f) => f.phrase) };
}
