import { describe, expect, it } from 'vitest';
import { CHAT_LIMITS } from '../../src-shared/chat';
import { checkPrompt } from '../../src-renderer/common/prompt-limit';

describe('checking a prompt before sending it', () => {
  it('refuses a prompt over the limit with both numbers', () => {
    expect(checkPrompt('x'.repeat(40_000))).toEqual({
      ok: false,
      reason: 'too-long',
      message: 'Your message is 40,000 characters; the limit is 32,000.',
    });
  });

  it('accepts a prompt exactly at the limit, and counts it as the main process does (trimmed)', () => {
    expect(checkPrompt('x'.repeat(CHAT_LIMITS.maxMessageChars)).ok).toBe(true);
    expect(checkPrompt(`  ${'x'.repeat(CHAT_LIMITS.maxMessageChars)}\n\n`)).toEqual({ ok: true, text: 'x'.repeat(CHAT_LIMITS.maxMessageChars) });
  });

  it('refuses an empty or blank prompt', () => {
    expect(checkPrompt('   \n')).toMatchObject({ ok: false, reason: 'empty' });
  });
});
