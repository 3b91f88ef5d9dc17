import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { RENDERER_CSP } from '../server/content-security-policy';
import { resolveRendererFile } from '../server/static-files';
import { APP_SCHEME } from './app-origin';

/**
 * The built renderer is served on app://triad/ rather than loaded from file://: a file:// page gets no
 * response headers (so no CSP header), and its origin covers every file on disk. Must run before `ready`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Answers app://triad/<path> with the file of the built renderer, with the CSP header; anything else is 404. */
export function serveRenderer(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'triad' && request.method === 'GET' ? await resolveRendererFile(rendererDir, url.pathname) : undefined;
    if (!file) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(await readFile(file.path), {
      headers: { 'content-type': file.contentType, 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff' },
    });
  });
}
