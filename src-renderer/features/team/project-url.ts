import { isHttpsOrLoopback } from '../../../src-shared/secure-url';

/**
 * Why a Supabase project URL is refused before anything is sent, or null when it may be sent: it must be
 * https, or plain http to this computer. The main process checks the same and has the last word.
 */
export function projectUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${url}' is not a URL: paste the project URL, e.g. https://abcd.supabase.co`;
  }
  // The same rule as the main process's (src-shared/secure-url.ts).
  if (isHttpsOrLoopback(parsed)) return null;
  if (parsed.protocol === 'http:') return `plain http is accepted only on this computer (localhost, 127.0.0.1): use https://${parsed.host}`;
  return `the project URL must start with https:// (got ${parsed.protocol}//)`;
}
