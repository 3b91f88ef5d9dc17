import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hubError, rateLimited, type HubAccounts, type HubRateLimit } from './hub-protocol';
import type { HubRoutes } from './hub-server';

/**
 * The Hub's file downloads, `GET|HEAD /{repo}/resolve/{rev}/{path}` for models and `/datasets/{repo}/resolve/…`
 * for datasets, answered as huggingface_hub's file_download.py (get_hf_file_metadata, hf_raise_for_status) and
 * `@huggingface/hub`'s downloadFile read them: `ETag` (the git blob id, quoted), for an LFS file also
 * `X-Linked-Etag` (its sha256) and `X-Linked-Size`, `X-Repo-Commit`, `Content-Length`, `Accept-Ranges: bytes` and a
 * 206 with `Content-Range` for a `Range` request (downloadFile asks for `bytes=0-0` first). Errors as the Hub
 * sends them: 401 for a private repo without a valid token, 404 with `X-Error-Code` RepoNotFound,
 * RevisionNotFound or EntryNotFound. The real Hub redirects LFS downloads to its CDN; the stand-in answers them
 * itself, with the same headers.
 */
export interface HubFiles extends HubRoutes {
  /** Commits `files` to a repo (created on first use) and returns the commit id; later commits keep earlier files. */
  commit(repo: { type: 'model' | 'dataset'; id: string; private?: boolean }, files: Record<string, string | Buffer>): string;
  /** The next download answers `status` (with the Hub's message and `headers`, e.g. a 429's Retry-After), once. */
  failNext(status: number, headers?: Record<string, string>): void;
  /** Every full download (not the `bytes=0-0` probe), as `type/id@rev:path`. */
  downloads: string[];
}

interface StoredRepo {
  private: boolean;
  commits: Array<{ oid: string; files: Map<string, Buffer> }>;
}

/** Files from this size, and every .gguf / .safetensors, are LFS on the Hub. */
const LFS_THRESHOLD = 10 * 1024 * 1024;
const isLfs = (path: string, size: number) => size >= LFS_THRESHOLD || /\.(gguf|safetensors|bin)$/.test(path);

function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function notFound(res: ServerResponse, code: 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound', message: string, extra: Record<string, string> = {}): void {
  hubError(res, 404, message, { 'x-error-code': code, ...extra });
}

export function createHubFiles(accounts: HubAccounts, rateLimit: HubRateLimit): HubFiles {
  const repos = new Map<string, StoredRepo>();
  const downloads: string[] = [];
  let fault: { status: number; headers: Record<string, string> } | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const match = /^\/(datasets\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match || url.pathname.startsWith('/api/')) return false;
    const type = match[1] ? 'dataset' : 'model';
    const id = match[2]!;
    const rev = decodeURIComponent(match[3]!);
    const path = decodeURIComponent(match[4]!);
    if (rateLimited(res, rateLimit)) return true;
    if (fault !== undefined) {
      const { status, headers } = fault;
      fault = undefined;
      const messages: Record<number, string> = {
        401: 'Invalid credentials in Authorization header',
        403: 'Access to this resource is disabled.',
        429: 'You have exceeded our hourly quotas for action: resolve. Retry later.',
        500: 'Internal Error',
        503: 'Service Unavailable',
      };
      hubError(res, status, messages[status] ?? `error ${status}`, headers);
      return true;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const validToken = token !== undefined && token.startsWith('hf_') && !accounts.revoked.has(token);
    if (token !== undefined && !validToken) {
      hubError(res, 401, 'Invalid credentials in Authorization header', { 'x-error-code': 'RepoNotFound' });
      return true;
    }
    const repo = repos.get(`${type}/${id}`);
    // The Hub does not tell a missing repo from a private one to a caller without access.
    if (!repo || (repo.private && !validToken)) {
      if (!validToken) hubError(res, 401, 'Invalid username or password.', { 'x-error-code': 'RepoNotFound' });
      else notFound(res, 'RepoNotFound', 'Repository not found');
      return true;
    }
    const commit = rev === 'main' ? repo.commits.at(-1) : repo.commits.find((c) => c.oid === rev);
    if (!commit) {
      notFound(res, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      return true;
    }
    const content = commit.files.get(path);
    if (!content) {
      notFound(res, 'EntryNotFound', 'Entry not found', { 'x-repo-commit': commit.oid });
      return true;
    }
    const lfs = isLfs(path, content.length);
    const headers: Record<string, string> = {
      'content-type': path.endsWith('.jsonl') || path.endsWith('.md') ? 'text/plain; charset=utf-8' : 'application/octet-stream',
      etag: `"${gitBlobId(content)}"`,
      'x-repo-commit': commit.oid,
      'accept-ranges': 'bytes',
    };
    if (lfs) {
      headers['x-linked-etag'] = `"${createHash('sha256').update(content).digest('hex')}"`;
      headers['x-linked-size'] = String(content.length);
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), content.length - 1) : content.length - 1;
      if (start >= content.length) {
        res.writeHead(416, { ...headers, 'content-range': `bytes */${content.length}` });
        res.end();
        return true;
      }
      const part = content.subarray(start, end + 1);
      if (!(start === 0 && end === 0)) downloads.push(`${type}/${id}@${rev}:${path}`);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${content.length}`, 'content-length': String(part.length) });
      res.end(req.method === 'HEAD' ? undefined : part);
      return true;
    }
    if (req.method === 'GET') downloads.push(`${type}/${id}@${rev}:${path}`);
    res.writeHead(200, { ...headers, 'content-length': String(content.length) });
    res.end(req.method === 'HEAD' ? undefined : content);
    return true;
  };

  return {
    handle,
    downloads,
    failNext(status, headers = {}) {
      fault = { status, headers };
    },
    commit(repo, files) {
      const key = `${repo.type}/${repo.id}`;
      const stored = repos.get(key) ?? { private: repo.private ?? true, commits: [] };
      repos.set(key, stored);
      const previous = stored.commits.at(-1)?.files ?? new Map<string, Buffer>();
      const next = new Map(previous);
      for (const [path, content] of Object.entries(files)) next.set(path, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
      const oid = randomBytes(20).toString('hex');
      stored.commits.push({ oid, files: next });
      return oid;
    },
  };
}
