/** Schemes an answer's link may use; anything else (javascript:, data:, file:, app-relative) is shown as text. */
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The href a link in model output may keep, or null. react-markdown's default urlTransform already empties
 * `javascript:` and friends; this also refuses relative links, which would navigate the app itself.
 */
export function safeLinkHref(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
