import { CHAT_LIMITS } from '../../src-shared/chat';

const count = new Intl.NumberFormat('en-US');

/** Whether a prompt may be sent: the main process trims it and refuses more than the limit, so we check the same. */
export type PromptCheck = { ok: true; text: string } | { ok: false; reason: 'empty' | 'too-long'; message: string };

/**
 * Checks a prompt before anything is sent, so an oversized paste never leaves the renderer and the user learns
 * the numbers instead of a validation error from the main process.
 */
export function checkPrompt(draft: string, limit: number = CHAT_LIMITS.maxMessageChars): PromptCheck {
  const text = draft.trim();
  if (text.length === 0) return { ok: false, reason: 'empty', message: 'Type a message first.' };
  if (text.length > limit) {
    return {
      ok: false,
      reason: 'too-long',
      message: `Your message is ${count.format(text.length)} characters; the limit is ${count.format(limit)}.`,
    };
  }
  return { ok: true, text };
}
