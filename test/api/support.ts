import { randomUUID } from 'node:crypto';
import type { Caller } from '../../src-main/api/api-context';
import { createTriadApi } from '../../src-main/api/triad-api';
import type { TestApp } from '../support/test-app';

/** Who a call is made as: the app's own operator (an admin), or an analyst created for the test. */
export type CallAs = 'operator' | 'analyst';

/** The app's channels, called as the handler tests call them. */
export interface ApiChannels {
  /** The call's value; a refused call throws with its code and message. */
  call<T>(channel: string, input: unknown, as?: CallAs): Promise<T>;
  /** The error of a call that must be refused; a call that succeeds throws. */
  refusal(channel: string, input: unknown, as?: CallAs): Promise<{ code: string; message: string }>;
  close(): void;
}

/**
 * The channels of `app` as its operator, whose broadcasts go to `onEvent`, and as an analyst "Ari (analyst)"
 * (whom the refusals name), each call from one renderer.
 */
export async function apiChannels(app: TestApp, onEvent: (event: string, payload: unknown) => void = () => undefined): Promise<ApiChannels> {
  const operator = createTriadApi(app, { userId: app.localOperator.id, broadcast: onEvent });
  const analyst = await app.store.directory.createUser({ displayName: 'Ari (analyst)', role: 'analyst' });
  const apis = { operator, analyst: createTriadApi(app, { userId: analyst.id, broadcast: () => undefined }) };
  const caller: Caller = { clientId: randomUUID(), emit: () => undefined };
  return {
    async call<T>(channel: string, input: unknown, as: CallAs = 'operator') {
      const result = await apis[as].call(channel, input, caller);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as T;
    },
    async refusal(channel, input, as = 'operator') {
      const result = await apis[as].call(channel, input, caller);
      if (result.ok) throw new Error(`${channel} was not refused`);
      return result.error;
    },
    close() {
      apis.operator.close();
      apis.analyst.close();
    },
  };
}
