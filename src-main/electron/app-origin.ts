/** The custom scheme the packaged renderer is served on (see app-protocol.ts). */
export const APP_SCHEME = 'app';
/** The origin of the packaged renderer. */
export const APP_ORIGIN = `${APP_SCHEME}://triad`;

/**
 * Whether a URL belongs to the app's own pages: app://triad in a build, or the electron-vite dev server's
 * origin when one is given (development). Compared by origin, never by prefix (`http://localhost:5173.evil`).
 */
export function appUrlCheck(devServerUrl: string | undefined): (url: string) => boolean {
  const origins = new Set([APP_ORIGIN]);
  if (devServerUrl) origins.add(new URL(devServerUrl).origin);
  return (url) => {
    try {
      const parsed = new URL(url);
      // URL.origin is the string "null" for non-special schemes such as app:, so build it from the parts.
      return origins.has(`${parsed.protocol}//${parsed.host}`);
    } catch {
      return false;
    }
  };
}

/** Only https links leave the app, and only to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
