import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/** The only file types the renderer is made of; anything else is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** A file of the built renderer, safe to send. */
export interface RendererFile {
  path: string;
  contentType: string;
  size: number;
}

/**
 * Maps a URL path (as it arrived, still percent-encoded) to a file inside `root`, or undefined. `/` is
 * `index.html`. A path with a `.` or `..` segment (encoded or not), a backslash or a NUL byte is refused
 * rather than normalised, and the resolved file must still be inside `root` after following symlinks.
 */
export async function resolveRendererFile(root: string, rawPath: string): Promise<RendererFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || /[\\\0]/.test(decoded)) return undefined;
  const segments = decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const contentType = CONTENT_TYPES[extname(relative).toLowerCase()];
  if (!contentType) return undefined;
  try {
    const rootReal = await realpath(root);
    const real = await realpath(resolve(rootReal, relative));
    if (!real.startsWith(rootReal + sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, contentType, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}
