import type { z } from 'zod';
import type { ContentFilterSettingsSchema } from '../../src-shared/settings';

/** Content-filter settings: mode and terms. */
export type ContentFilterSettings = z.output<typeof ContentFilterSettingsSchema>;

/** What a filter step lets through. */
export interface FilteredText {
  text: string;
  /** True once a term was found in `block` mode: the answer must end here. */
  blocked: boolean;
}

export const MASK = '[filtered]';

/** What a filter needs from its settings, compiled once per settings object (the facade passes the memoised one). */
interface CompiledTerms {
  terms: string[];
  pattern: RegExp | undefined;
  /** Longest prefix of a term that may still be completed by the next chunk. */
  longestPartial: number;
}

const compiled = new WeakMap<ContentFilterSettings, CompiledTerms>();

function compile(settings: ContentFilterSettings): CompiledTerms {
  let known = compiled.get(settings);
  if (!known) {
    const terms = settings.mode === 'off' ? [] : settings.terms.map((t) => t.toLowerCase());
    known = {
      terms,
      pattern: terms.length > 0 ? new RegExp(terms.map(escapeRegExp).join('|'), 'i') : undefined,
      longestPartial: Math.max(0, ...terms.map((t) => t.length)) - 1,
    };
    compiled.set(settings, known);
  }
  return known;
}

/**
 * Applies the content filter to a stream of text. A term may be split across chunks, so the filter holds
 * back the shortest tail that could still become a term (only when terms are configured).
 */
export class StreamingContentFilter {
  private readonly terms: string[];
  private readonly pattern: RegExp | undefined;
  private readonly longestPartial: number;
  private pending = '';
  private blocked = false;

  constructor(private readonly settings: ContentFilterSettings) {
    ({ terms: this.terms, pattern: this.pattern, longestPartial: this.longestPartial } = compile(settings));
  }

  /** False when there is nothing to filter: text may bypass `push` (and its allocation per chunk). */
  get active(): boolean {
    return this.pattern !== undefined;
  }

  push(chunk: string): FilteredText {
    if (!this.pattern || this.blocked) return { text: this.blocked ? '' : chunk, blocked: this.blocked };
    let buffer = this.pending + chunk;
    let out = '';
    for (let match = this.pattern.exec(buffer); match; match = this.pattern.exec(buffer)) {
      out += buffer.slice(0, match.index);
      if (this.settings.mode === 'block') {
        this.blocked = true;
        this.pending = '';
        return { text: out, blocked: true };
      }
      out += MASK;
      buffer = buffer.slice(match.index + match[0].length);
    }
    const hold = this.partialTermSuffixLength(buffer);
    this.pending = buffer.slice(buffer.length - hold);
    return { text: out + buffer.slice(0, buffer.length - hold), blocked: false };
  }

  /** Whatever was held back, at the end of the stream (a partial term is not a term). */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.blocked ? '' : rest;
  }

  private partialTermSuffixLength(buffer: string): number {
    const lower = buffer.toLowerCase();
    for (let length = Math.min(this.longestPartial, lower.length); length > 0; length--) {
      const suffix = lower.slice(lower.length - length);
      if (this.terms.some((t) => t.startsWith(suffix))) return length;
    }
    return 0;
  }
}

/** Filters a whole text at once (for tests and for text that does not stream). */
export function filterText(settings: ContentFilterSettings, text: string): FilteredText {
  const filter = new StreamingContentFilter(settings);
  const first = filter.push(text);
  return first.blocked ? first : { text: first.text + filter.flush(), blocked: false };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
