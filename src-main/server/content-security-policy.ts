/**
 * The renderer's Content-Security-Policy, sent as a header by both hosts of the renderer (Electron's app://
 * protocol and the browser-mode server). Only the app's own files run: no inline or remote scripts, no eval,
 * no plugins, no frames, no form posts. Inline styles stay allowed because Vite's dev client injects CSS as
 * <style> elements; they cannot run code.
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-src', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a <meta> policy cannot carry (browsers ignore them there, with a console warning). */
const HEADER_ONLY = new Set(['frame-ancestors']);

/** The policy as a response header value. */
export const RENDERER_CSP = DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/** The same policy as src-renderer/index.html's <meta> carries it, for pages opened without the header. */
export const RENDERER_META_CSP = DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name))
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');
