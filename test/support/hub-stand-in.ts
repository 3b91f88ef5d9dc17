import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubAccounts, HubRateLimit } from './hub/hub-protocol';
import type { HubRoutes } from './hub/hub-server';

/**
 * A local stand-in for the Hugging Face Hub, speaking the Hub's wire format so that `@huggingface/hub` is what
 * is tested (paths and payloads as packages/hub/src/lib/{who-am-i,create-repo,commit,list-files}.ts send and
 * read them, status codes and `{"error": …}` bodies as the Hub answers):
 *
 * - Spaces: `GET /api/spaces/{id}/revision/HEAD?expand=runtime` answers the Space's info with its runtime stage,
 *   `POST /api/spaces/{id}/restart` (bearer token required) restarts it;
 * - `GET /api/whoami-v2`: the token's user;
 * - `POST /api/repos/create {name, organization, type, visibility|private}`: 409 when the repo exists, 403 in a
 *   namespace the token is not;
 * - `POST /api/{type}s/{ns}/{name}/preupload/{rev}`: `regular` for small text files, `lfs` from 10 MB or a binary
 *   sample (the Hub's rule); LFS batch `POST /{type}s/{ns}/{name}.git/info/lfs/objects/batch` with the `basic`
 *   transfer, whose upload URL takes a `PUT` of the bytes (sha256 checked);
 * - `POST /api/{type}s/{ns}/{name}/commit/{rev}` (application/x-ndjson: a header line, `file` lines with base64
 *   content, `lfsFile` lines naming an uploaded object): a new commit with a 40-hex id;
 * - `GET /api/{type}s/{ns}/{name}/tree/{rev}`: the files at a branch or commit.
 *
 * Every answer carries `RateLimit` and `X-Request-Id`; errors carry `X-Error-Message` too. Faults: the next call
 * of a route can answer a status or drop the connection after reading the request.
 */
export interface HubStandIn {
  url: string;
  /** Sets a Space's stage; the next stages, if given, follow one per runtime poll. */
  setStages(spaceId: string, ...stages: string[]): void;
  restarts: string[];
  polls: number;
  /** Tokens the stand-in accepts: write tokens (the default `hf_standin_write`) and read-only ones. */
  addToken(token: string, role: 'write' | 'read', user?: string): void;
  /** The token stops working (401), as a revoked one does. */
  revokeToken(token: string): void;
  /** The next call of `route` fails with `status` (and the Hub's message), or its connection drops. */
  failNext(route: HubRoute, fault: { status: number; message?: string } | 'drop'): void;
  /** Repos by `type/ns/name` (`datasets/triad-ml/x`), with their commits. */
  repos: Map<string, StandInRepo>;
  /** Every call, `METHOD path`. */
  calls: string[];
  close(): Promise<void>;
}

/** The routes faults can be set on. */
export type HubRoute = 'whoami' | 'create' | 'preupload' | 'lfs-batch' | 'lfs-upload' | 'commit' | 'tree';

export interface StandInCommit {
  oid: string;
  title: string;
  files: Map<string, { content: Buffer; lfs: boolean }>;
}

export interface StandInRepo {
  private: boolean;
  owner: string;
  commits: StandInCommit[];
}

/** A token every test may use: write access to the namespace `triad-ml`. */
export const STAND_IN_TOKEN = 'hf_standin_write_0123456789';
const LFS_THRESHOLD = 10 * 1024 * 1024;

/** More of the Hub in the same server (the Space and Jobs APIs of test/support/hub/), told of repos as they change. */
export interface HubStandInOptions {
  routes?: (shared: { accounts: HubAccounts; rateLimit: HubRateLimit }) => HubRoutes[];
  onRepoCreated?: (type: string, id: string, owner: string) => void;
  onCommit?: (type: string, id: string) => void;
}

export async function startHubStandIn(options: HubStandInOptions = {}): Promise<HubStandIn> {
  const stages = new Map<string, string[]>();
  const state = { restarts: [] as string[], polls: 0 };
  const tokens = new Map<string, { role: 'write' | 'read'; user: string }>([[STAND_IN_TOKEN, { role: 'write', user: 'triad-ml' }]]);
  const faults = new Map<HubRoute, { status: number; message?: string } | 'drop'>();
  const repos = new Map<string, StandInRepo>();
  const lfsObjects = new Map<string, Buffer>();
  const calls: string[] = [];
  let requestCount = 0;
  let baseUrl = '';
  // The route modules' view of the same accounts: the default token's user, revocations mirrored.
  const accounts: HubAccounts = { tokens: new Map([[STAND_IN_TOKEN, 'triad-ml']]), revoked: new Set(), defaultUser: 'triad-ml' };
  const rateLimit: HubRateLimit = { limit: 1_000, windowSeconds: 300, used: 0, windowStartedAt: Date.now() };
  const extraRoutes = options.routes?.({ accounts, rateLimit }) ?? [];

  const headersFor = () => ({ 'x-request-id': `standin-${++requestCount}`, ratelimit: `"api";r=${Math.max(0, 1000 - requestCount)};t=300`, 'ratelimit-policy': '"fixed window";"api";q=1000;w=300' });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    const extra = status >= 400 && body && typeof body === 'object' && 'error' in body ? { 'x-error-message': String((body as { error: unknown }).error) } : {};
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headersFor(), ...extra });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  /** The token's user, or the 401 the Hub answers. */
  const who = (req: IncomingMessage, res: ServerResponse) => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const found = match ? tokens.get(match[1]!) : undefined;
    if (!found) json(res, 401, { error: 'Invalid credentials in Authorization header' });
    return found;
  };
  /** The fault set on a route, applied: true when the call was answered by it. */
  const faulted = async (route: HubRoute, req: IncomingMessage, res: ServerResponse) => {
    const fault = faults.get(route);
    if (!fault) return false;
    faults.delete(route);
    await readBody(req);
    if (fault === 'drop') {
      req.socket.destroy();
      return true;
    }
    const messages: Record<number, string> = {
      401: 'Invalid credentials in Authorization header',
      403: 'You don\'t have the rights to create a dataset under the namespace "triad-ml"',
      409: 'A commit has happened since. Please refresh and try again.',
      429: 'You have exceeded our hourly quotas for action: commit',
      500: 'Internal Error - We\'re working hard to fix this as soon as possible!',
      503: 'Service Unavailable',
    };
    json(res, fault.status, { error: fault.message ?? messages[fault.status] ?? `error ${fault.status}` });
    return true;
  };
  const repoOf = (res: ServerResponse, user: { user: string }, key: string) => {
    const repo = repos.get(key);
    // The Hub hides a private repo from others behind a 404.
    if (!repo || (repo.private && repo.owner !== user.user)) {
      json(res, 404, { error: 'Repository not found' });
      return undefined;
    }
    return repo;
  };
  const headOf = (repo: StandInRepo, rev: string) => (rev === 'main' ? repo.commits.at(-1) : repo.commits.find((c) => c.oid === rev));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const path = decodeURIComponent(url.pathname);
    calls.push(`${req.method} ${path}`);
    for (const route of extraRoutes) if (route.handle(req, res, url)) return;
    const info = /^\/api\/spaces\/([^/]+\/[^/]+)\/revision\/HEAD$/.exec(path);
    const restart = /^\/api\/spaces\/([^/]+\/[^/]+)\/restart$/.exec(path);
    if (req.method === 'GET' && info) {
      const id = info[1]!;
      const queue = stages.get(id);
      if (!queue) return json(res, 404, { error: `Repository not found: ${id}` });
      state.polls++;
      const stage = queue.length > 1 ? queue.shift()! : queue[0]!;
      return json(res, 200, {
        _id: `id-${id}`,
        id,
        sdk: 'docker',
        likes: 0,
        private: false,
        lastModified: '2026-11-01T00:00:00.000Z',
        ...(url.searchParams.getAll('expand').includes('runtime') && { runtime: { stage, hardware: { current: 'cpu-basic', requested: 'cpu-basic' } } }),
      });
    }
    if (req.method === 'POST' && restart) {
      if (!/^Bearer hf_/.test(req.headers.authorization ?? '')) return json(res, 401, { error: 'Invalid credentials in Authorization header' });
      state.restarts.push(restart[1]!);
      stages.set(restart[1]!, ['APP_STARTING', 'RUNNING']);
      return json(res, 200, {});
    }

    if (req.method === 'GET' && path === '/api/whoami-v2') {
      if (await faulted('whoami', req, res)) return;
      const user = who(req, res);
      if (!user) return;
      return json(res, 200, {
        type: 'user',
        id: createHash('sha1').update(user.user).digest('hex').slice(0, 24),
        name: user.user,
        fullname: 'Triad ML',
        email: `${user.user}@example.com`,
        emailVerified: true,
        isPro: false,
        canPay: false,
        avatarUrl: '',
        orgs: [],
        auth: { type: 'access_token', accessToken: { displayName: 'triad', role: user.role, createdAt: '2026-11-01T00:00:00.000Z' } },
      });
    }

    if (req.method === 'POST' && path === '/api/repos/create') {
      if (await faulted('create', req, res)) return;
      const user = who(req, res);
      if (!user) return;
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { name?: string; organization?: string; type?: string; private?: boolean; visibility?: string };
      const type = body.type ?? 'model';
      const namespace = body.organization ?? user.user;
      if (!body.name) return json(res, 400, { error: 'name is required' });
      if (namespace !== user.user || user.role !== 'write') {
        return json(res, 403, { error: `You don't have the rights to create a ${type} under the namespace "${namespace}"` });
      }
      const key = `${type}s/${namespace}/${body.name}`;
      const repoUrl = `${baseUrl}/${type === 'model' ? '' : `${type}s/`}${namespace}/${body.name}`;
      if (repos.has(key)) return json(res, 409, { error: `You already created this ${type} repo`, url: repoUrl });
      const initial: StandInCommit = { oid: commitId('initial', key), title: 'initial commit', files: new Map([['.gitattributes', { content: Buffer.from('*.parquet filter=lfs diff=lfs merge=lfs -text\n'), lfs: false }]]) };
      repos.set(key, { private: body.visibility ? body.visibility === 'private' : body.private === true, owner: namespace, commits: [initial] });
      options.onRepoCreated?.(type, `${namespace}/${body.name}`, namespace);
      return json(res, 200, { url: repoUrl, name: `${namespace}/${body.name}`, id: createHash('sha1').update(key).digest('hex').slice(0, 24) });
    }

    const repoRoute = /^\/api\/(models|datasets|spaces)\/([^/]+\/[^/]+)\/(preupload|commit|tree)\/([^/]+)$/.exec(path);
    if (repoRoute) {
      const [, type, name, action, rev] = repoRoute as unknown as [string, string, string, 'preupload' | 'commit' | 'tree', string];
      if (await faulted(action, req, res)) return;
      const user = who(req, res);
      if (!user) return;
      const repo = repoOf(res, user, `${type}/${name}`);
      if (!repo) return;
      if (action === 'tree' && req.method === 'GET') {
        const commit = headOf(repo, rev);
        if (!commit) return json(res, 404, { error: `Invalid rev id: ${rev}` });
        return json(
          res,
          200,
          [...commit.files.entries()].map(([filePath, file]) => ({
            type: 'file',
            oid: createHash('sha1').update(file.content).digest('hex'),
            size: file.content.length,
            path: filePath,
            ...(file.lfs && { lfs: { oid: createHash('sha256').update(file.content).digest('hex'), size: file.content.length, pointerSize: 134 } }),
          })),
        );
      }
      if (req.method !== 'POST') return json(res, 405, { error: 'Method not allowed' });
      if (user.role !== 'write' || repo.owner !== user.user) return json(res, 403, { error: `You don't have write access to ${name}` });
      const head = headOf(repo, rev);
      if (!head) return json(res, 404, { error: `Invalid rev id: ${rev}` });
      if (action === 'preupload') {
        const body = JSON.parse((await readBody(req)).toString('utf8')) as { files: Array<{ path: string; size: number; sample: string }> };
        return json(res, 200, {
          files: body.files.map((f) => ({ path: f.path, uploadMode: f.size >= LFS_THRESHOLD || Buffer.from(f.sample, 'base64').includes(0) ? 'lfs' : 'regular', shouldIgnore: false })),
          commitOid: head.oid,
        });
      }
      const lines = (await readBody(req)).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { key: string; value: Record<string, unknown> });
      const header = lines.find((l) => l.key === 'header');
      if (!header || typeof header.value.summary !== 'string' || header.value.summary === '') return json(res, 400, { error: 'A commit needs a header line with a summary' });
      if (typeof header.value.parentCommit === 'string' && header.value.parentCommit !== head.oid) {
        return json(res, 409, { error: 'A commit has happened since. Please refresh and try again.' });
      }
      const files = new Map(head.files);
      for (const line of lines) {
        if (line.key === 'file') {
          if (line.value.encoding !== 'base64' || typeof line.value.content !== 'string') return json(res, 400, { error: `file ${String(line.value.path)}: content must be base64` });
          files.set(String(line.value.path), { content: Buffer.from(line.value.content, 'base64'), lfs: false });
        } else if (line.key === 'lfsFile') {
          const object = lfsObjects.get(String(line.value.oid));
          if (!object) return json(res, 422, { error: `Your push was rejected because an LFS pointer pointed to a file that does not exist: ${String(line.value.path)}` });
          files.set(String(line.value.path), { content: object, lfs: true });
        } else if (line.key === 'deletedFile') {
          files.delete(String(line.value.path));
        }
      }
      const oid = commitId(header.value.summary, `${name}:${repo.commits.length}:${[...files.keys()].join(',')}`);
      repo.commits.push({ oid, title: header.value.summary, files });
      options.onCommit?.(type.slice(0, -1), name);
      return json(res, 200, { success: true, commitOid: oid, commitUrl: `${baseUrl}/${type}/${name}/commit/${oid}`, hookOutput: '' });
    }

    const batch = /^\/(?:(datasets|spaces)\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path);
    if (req.method === 'POST' && batch) {
      if (await faulted('lfs-batch', req, res)) return;
      const user = who(req, res);
      if (!user) return;
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { objects: Array<{ oid: string; size: number }> };
      res.writeHead(200, { 'content-type': 'application/vnd.git-lfs+json', ...headersFor() });
      return res.end(
        JSON.stringify({
          transfer: 'basic',
          objects: body.objects.map((o) => ({
            oid: o.oid,
            size: o.size,
            authenticated: true,
            ...(!lfsObjects.has(o.oid) && { actions: { upload: { href: `${baseUrl}/lfs-upload/${o.oid}`, expires_at: '2099-01-01T00:00:00Z' } } }),
          })),
        }),
      );
    }
    const upload = /^\/lfs-upload\/([0-9a-f]{64})$/.exec(path);
    if (req.method === 'PUT' && upload) {
      if (await faulted('lfs-upload', req, res)) return;
      const bytes = await readBody(req);
      if (createHash('sha256').update(bytes).digest('hex') !== upload[1]) return json(res, 400, { error: 'the uploaded bytes do not match the object id' });
      lfsObjects.set(upload[1]!, bytes);
      res.writeHead(200, headersFor());
      return res.end();
    }
    json(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: `stand-in failure: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    setStages: (id, ...list) => stages.set(id, list),
    get restarts() {
      return state.restarts;
    },
    get polls() {
      return state.polls;
    },
    addToken: (token, role, user = 'triad-ml') => {
      tokens.set(token, { role, user });
      accounts.tokens.set(token, user);
    },
    revokeToken: (token) => {
      tokens.delete(token);
      accounts.revoked.add(token);
    },
    failNext: (route, fault) => faults.set(route, fault),
    repos,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A git-like commit id: 40 hex digits. */
function commitId(title: string, salt: string): string {
  return createHash('sha1').update(`${title}\u0000${salt}\u0000${Date.now()}\u0000${Math.random()}`).digest('hex');
}
