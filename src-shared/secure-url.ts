/**
 * The one rule for where Triad sends credentials and prompts: https anywhere, plain http only to this computer
 * (a local model server, a local team stack, a test stand-in), where nothing crosses a network.
 */

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether a URL's host name is this computer: `localhost`, 127.0.0.0/8 or `[::1]` (WHATWG URL spelling). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || IPV4_LOOPBACK.test(hostname);
}

/** Whether `url` is https, or http to this computer. A string that is not a URL is not. */
export function isHttpsOrLoopback(url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
}

/** Why Spaces must be reached over https, from the product's security requirements. */
export const SPACE_HTTPS_REASON = 'all communication with Hugging Face Spaces is encrypted via HTTPS';

/** Why an OpenAI-compatible server must be reached over https. */
export const OPENAI_HTTPS_REASON = 'the API key and every prompt would otherwise cross the network unencrypted';

/**
 * The message for a URL refused by {@link isHttpsOrLoopback}: what was refused, why, and what to do, e.g.
 * `plain http is allowed only to this computer (localhost, 127.0.0.1, [::1]): all communication … HTTPS; use https://host`.
 */
export function plainHttpRefusal(url: string, reason: string): string {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // Not a URL: the caller's own parse reports that.
  }
  return `plain http is allowed only to this computer (localhost, 127.0.0.1, [::1]): ${reason}; use https://${host}`;
}
