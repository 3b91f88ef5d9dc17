import { describe, expect, it } from 'vitest';
import { MASK, StreamingContentFilter, filterText } from '../../src-main/llm/content-filter';

function streamThrough(filter: StreamingContentFilter, chunks: string[]): { text: string; blocked: boolean } {
  let text = '';
  for (const chunk of chunks) {
    const out = filter.push(chunk);
    text += out.text;
    if (out.blocked) return { text, blocked: true };
  }
  return { text: text + filter.flush(), blocked: false };
}

describe('content filter', () => {
  it('passes text through unchanged when off', () => {
    expect(filterText({ mode: 'off', terms: ['secret'] }, 'a secret plan')).toEqual({ text: 'a secret plan', blocked: false });
  });

  it('masks every term, case-insensitively', () => {
    expect(filterText({ mode: 'mask', terms: ['Project Falcon', 'acme'] }, 'ACME runs project falcon and Acme again').text).toBe(
      `${MASK} runs ${MASK} and ${MASK} again`,
    );
  });

  it('masks a term split across stream chunks and releases held-back text at the end', () => {
    const filter = new StreamingContentFilter({ mode: 'mask', terms: ['falcon'] });
    expect(streamThrough(filter, ['Project fa', 'lc', 'on is go', ' fal'])).toEqual({ text: `Project ${MASK} is go fal`, blocked: false });
  });

  it('does not hold back text that cannot start a term', () => {
    const filter = new StreamingContentFilter({ mode: 'mask', terms: ['falcon'] });
    expect(filter.push('hello wor').text).toBe('hello wor');
  });

  it('blocks: keeps the text before the first term and reports the block', () => {
    const filter = new StreamingContentFilter({ mode: 'block', terms: ['password'] });
    expect(streamThrough(filter, ['the pass', 'word is hunter2'])).toEqual({ text: 'the ', blocked: true });
    expect(filter.push('more text')).toEqual({ text: '', blocked: true });
  });
});
