import { randomUUID } from 'node:crypto';
import type { Caller } from '../../src-main/api/api-context';
import { createTriadApi, type TriadApi } from '../../src-main/api/triad-api';
import type { AppServices } from '../../src-main/app-services';
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload, TeamView } from '../../src-shared/ipc-contract';
import type { TriadErrorShape } from '../../src-shared/errors';
import type { StreamPart } from '../../src-shared/stream-parts';

/** The API as the renderer sees it, with what it broadcast and the parts of the streams it started. */
export interface ApiClient {
  api: TriadApi;
  /** Every `team.changed` payload so far. */
  teamEvents: TeamView[];
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  /** The error of a call expected to fail. */
  refusal(channel: Channel, input: unknown): Promise<TriadErrorShape>;
  /** Waits for the stream to end; its parts. */
  streamed(streamId: string): Promise<StreamPart[]>;
  close(): void;
}

/** The main-process API over `services`, as the Electron binding and browser mode build it (no fixed operator). */
export function apiClient(services: AppServices): ApiClient {
  const teamEvents: TeamView[] = [];
  const api = createTriadApi(services, {
    broadcast: <E extends EventName>(event: E, payload: EventPayload<E>) => {
      if (event === 'team.changed') teamEvents.push(payload as TeamView);
    },
  });
  const parts = new Map<string, StreamPart[]>();
  const waiters = new Map<string, () => void>();
  const caller: Caller = {
    clientId: randomUUID(),
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (event !== 'chat.part') return;
      const { streamId, part } = payload as EventPayload<'chat.part'>;
      parts.set(streamId, [...(parts.get(streamId) ?? []), part]);
      if (part.type === 'finish' || part.type === 'error') waiters.get(streamId)?.();
    },
  };
  return {
    api,
    teamEvents,
    async call(channel, input) {
      const result = await api.call(channel, input, caller);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
    async refusal(channel, input) {
      const result = await api.call(channel, input, caller);
      if (result.ok) throw new Error(`${channel} was expected to fail`);
      return result.error;
    },
    streamed(streamId) {
      const last = parts.get(streamId)?.at(-1);
      if (last && (last.type === 'finish' || last.type === 'error')) return Promise.resolve(parts.get(streamId)!);
      return new Promise((resolve) => waiters.set(streamId, () => resolve(parts.get(streamId)!)));
    },
    close: () => api.close(),
  };
}
