/** Hosts where plain http is accepted: a team stack on this computer (the main process accepts the same). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

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
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return null;
  if (parsed.protocol === 'http:') return `plain http is accepted only on this computer (localhost, 127.0.0.1): use https://${parsed.host}`;
  return `the project URL must start with https:// (got ${parsed.protocol}//)`;
}
