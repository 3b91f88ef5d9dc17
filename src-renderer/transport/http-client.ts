import type { TriadErrorShape } from '../../src-shared/errors';
import type { CallResult, ChannelOutput, EventName, EventPayload } from '../../src-shared/ipc-contract';
import { TriadCallError, type TriadClient } from './triad-client';

/** The part of EventSource the client uses. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

/** What the client takes from the page; tests pass stand-ins. */
export interface HttpClientEnvironment {
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSourceLike;
  location: { readonly href: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void; readonly state: unknown };
  randomUUID(): string;
}

/** Browser mode's TriadClient, with a way to stop its event stream. */
export interface HttpTriadClient extends TriadClient {
  /** This tab's id, sent with every call; the server routes the tab's stream parts by it. */
  readonly clientId: string;
  close(): void;
}

const CLOSED = 2;
/** Calls wait this long at most for the event stream to (re)connect before going ahead without it. */
const READY_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 30_000;

type Listener = (payload: unknown) => void;

/**
 * The TriadClient of browser mode: calls are `POST /api/call/<channel>` answered with the CallResult
 * envelope, events arrive on one EventSource (`/api/events?clientId=`). The session token arrives once, in
 * the address the server printed; the server answered that page load with a session cookie, which every
 * later request carries, so the token is only taken out of the address bar (and history) here.
 *
 * Calls wait until the event stream is open, so the first parts of a stream are not missed. When the
 * connection drops, the server cancels this tab's streams; the client ends each stream it knows of with an
 * `aborted` error part, so no answer waits forever, and reconnects (the browser does, or the client with a
 * backoff when the browser gives up).
 */
export function createHttpClient(environment: HttpClientEnvironment = browserEnvironment()): HttpTriadClient {
  const { location } = environment;
  const clientId = environment.randomUUID();
  removeTokenFromAddress(environment);

  const listeners = new Map<string, Set<Listener>>();
  /** Streams started by this tab and not finished yet: streamId → requestId. */
  const openStreams = new Map<string, string>();
  /** Streams that finished before their call's answer arrived (parts can overtake it). */
  const finishedEarly = new Set<string>();

  let source: EventSourceLike | undefined;
  let connected = false;
  let closed = false;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  // Calls wait for the event stream: pending while (re)connecting, settled once open or once connecting
  // has failed (calls then go ahead and fail with the server's own answer rather than wait).
  let markReady: () => void = () => {};
  let ready!: Promise<void>;
  const resetReady = () => {
    ready = new Promise<void>((resolve) => (markReady = resolve));
  };
  resetReady();

  const dispatch = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`a listener of '${event}' failed`, error);
      }
    }
  };

  const connect = () => {
    const current = new environment.EventSource(new URL(`/api/events?clientId=${clientId}`, location.href).href);
    source = current;
    current.onopen = () => {
      connected = true;
      attempts = 0;
      markReady();
    };
    current.onmessage = (message) => {
      let data: { event: string; payload: unknown };
      try {
        data = JSON.parse(message.data) as typeof data;
      } catch {
        return;
      }
      if (data.event === 'chat.part') noteStreamPart(data.payload as EventPayload<'chat.part'>);
      dispatch(data.event, data.payload);
    };
    current.onerror = () => {
      if (connected) {
        connected = false;
        resetReady();
        abandonOpenStreams();
      } else {
        markReady();
      }
      // The browser retries a dropped stream by itself, but gives up on an error status (401 after a
      // restart of the server, for instance): then retry here, backing off.
      if (current.readyState === CLOSED && !closed) {
        current.close();
        const delay = Math.min(MAX_RECONNECT_DELAY_MS, 1_000 * 2 ** attempts++);
        reconnectTimer = setTimeout(connect, delay);
      }
    };
  };

  const noteStreamPart = ({ streamId, part }: EventPayload<'chat.part'>) => {
    if (part.type !== 'finish' && part.type !== 'error') return;
    if (!openStreams.delete(streamId)) finishedEarly.add(streamId);
  };

  const noteStreamStarted = (streamId: string, requestId: string) => {
    if (!finishedEarly.delete(streamId)) openStreams.set(streamId, requestId);
  };

  const abandonOpenStreams = () => {
    const error: TriadErrorShape = { code: 'aborted', message: 'the connection to Triad was lost, so the answer stopped', retryable: true };
    for (const [streamId, requestId] of [...openStreams]) {
      openStreams.delete(streamId);
      dispatch('chat.part', { streamId, part: { type: 'error', requestId, error } } satisfies EventPayload<'chat.part'>);
    }
  };

  const eventStreamReady = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, READY_TIMEOUT_MS)))]);
    clearTimeout(timer);
  };

  connect();

  return {
    runtime: 'browser',
    clientId,
    async call(channel, input) {
      await eventStreamReady();
      let response: Response;
      try {
        response = await environment.fetch(new URL(`/api/call/${encodeURIComponent(channel)}`, location.href).href, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-triad-client': clientId },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch (error) {
        throw new TriadCallError({ code: 'internal', message: `cannot reach Triad: ${error instanceof Error ? error.message : String(error)}`, retryable: true });
      }
      const result = await readEnvelope(response);
      if (!result.ok) throw new TriadCallError(result.error);
      if (channel === 'chat.start') {
        const { streamId, requestId } = result.value as ChannelOutput<'chat.start'>;
        noteStreamStarted(streamId, requestId);
      } else if (channel === 'compare.start') {
        for (const column of (result.value as ChannelOutput<'compare.start'>).columns) noteStreamStarted(column.streamId, column.requestId);
      }
      return result.value as never;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => {
        set.delete(listener as Listener);
      };
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      source?.close();
    },
  };
}

/** The body of any answer of the server is the envelope; anything else (a proxy's page) becomes one. */
async function readEnvelope(response: Response): Promise<CallResult<unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    const envelope = body as { ok: unknown; error?: Partial<TriadErrorShape> };
    if (envelope.ok === true) return body as CallResult<unknown>;
    if (envelope.ok === false && typeof envelope.error?.code === 'string' && typeof envelope.error.message === 'string') return body as CallResult<unknown>;
  }
  return { ok: false, error: { code: 'internal', message: `Triad answered HTTP ${response.status} without a result`, retryable: response.status >= 500 } };
}

/** Takes `?token=` out of the address bar and the history entry; the session cookie replaces it. */
function removeTokenFromAddress({ location, history }: HttpClientEnvironment): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

function browserEnvironment(): HttpClientEnvironment {
  return {
    fetch: (input, init) => window.fetch(input, init),
    EventSource: window.EventSource,
    location: window.location,
    history: window.history,
    randomUUID: () => window.crypto.randomUUID(),
  };
}
