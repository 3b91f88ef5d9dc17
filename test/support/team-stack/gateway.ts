import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthStandIn } from './auth-stand-in';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** PostgREST's own URL, served here under /rest/v1. */
  postgrestUrl: string;
  auth: AuthStandIn;
  /** Keys a request must present in `apikey`, as Supabase's API gateway demands. */
  apiKeys: string[];
  /** Default: any free port. */
  port?: number;
}

/** The gateway, listening on 127.0.0.1. */
export interface Gateway {
  url: string;
  /** Stops accepting requests and drops the open ones (keep-alive sockets included). */
  close(): Promise<void>;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, apikey, content-type, content-profile, accept-profile, prefer, range, x-client-info, x-supabase-api-version, x-retry-count',
  'Access-Control-Expose-Headers': 'content-range, x-supabase-api-version',
};

/**
 * What Supabase's API gateway does for the two services Triad uses: `/rest/v1/*` goes to PostgREST with the
 * prefix removed (supabase-js always adds it), `/auth/v1/*` to the Auth stand-in; a request without a
 * known `apikey` is refused with Supabase's own answer. Anything else is a 404.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const postgrest = new URL(options.postgrestUrl);
  const server: Server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) respond(response, 500, { message: `gateway error: ${(error as Error).message}` });
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const url = new URL(request.url ?? '/', 'http://gateway');
    const apiKey = request.headers.apikey ?? url.searchParams.get('apikey');
    if (!apiKey) return respond(response, 401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
    if (typeof apiKey !== 'string' || !options.apiKeys.includes(apiKey)) {
      return respond(response, 401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
    }
    const rest = /^\/rest\/v1(\/.*)?$/.exec(url.pathname);
    if (rest) return proxy(request, response, postgrest, `${rest[1] ?? '/'}${url.search}`);
    const auth = /^\/auth\/v1(\/.*)?$/.exec(url.pathname);
    if (auth) return options.auth.handle(request, response, `${auth[1] ?? '/'}${url.search}`);
    respond(response, 404, { message: 'no Route matched with those values' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function proxy(request: IncomingMessage, response: ServerResponse, target: URL, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, method: request.method, path, headers: { ...request.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    // PostgREST down: the 502 a real gateway gives, which supabase-js reports as a failed request.
    upstream.on('error', () => {
      respond(response, 502, { message: 'An invalid response was received from the upstream server' });
      resolve();
    });
    request.pipe(upstream);
  });
}

function respond(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
