import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Hugging Face Hub's Space endpoints Triad uses, speaking the Hub's wire format so
 * that `@huggingface/hub` is what is tested: `GET /api/spaces/{id}/revision/HEAD?expand=runtime` answers the
 * Space's info with its runtime stage, `POST /api/spaces/{id}/restart` (bearer token required) restarts it.
 */
export interface HubStandIn {
  url: string;
  /** Sets a Space's stage; the next stages, if given, follow one per runtime poll. */
  setStages(spaceId: string, ...stages: string[]): void;
  restarts: string[];
  polls: number;
  close(): Promise<void>;
}

export async function startHubStandIn(): Promise<HubStandIn> {
  const stages = new Map<string, string[]>();
  const state = { restarts: [] as string[], polls: 0 };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const info = /^\/api\/spaces\/([^/]+\/[^/]+)\/revision\/HEAD$/.exec(url.pathname);
    const restart = /^\/api\/spaces\/([^/]+\/[^/]+)\/restart$/.exec(url.pathname);
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
    json(res, 404, { error: 'not found' });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setStages: (id, ...list) => stages.set(id, list),
    get restarts() {
      return state.restarts;
    },
    get polls() {
      return state.polls;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
