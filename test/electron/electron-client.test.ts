import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../src-shared/ipc-contract';
import { createElectronClient } from '../../src-renderer/transport/electron-client';
import type { TriadBridge } from '../../src-renderer/transport/triad-bridge';
import { TriadCallError } from '../../src-renderer/transport/triad-client';

/** A `window.triad` stand-in: every channel answers with `answer(channel, input)`. */
function bridge(answer: (channel: string, input: unknown) => Promise<CallResult<unknown>>): TriadBridge & { listeners: Array<[string, unknown]> } {
  const listeners: Array<[string, unknown]> = [];
  return new Proxy({} as TriadBridge & { listeners: Array<[string, unknown]> }, {
    get(_target, key) {
      if (key === 'runtime') return 'electron';
      if (key === 'listeners') return listeners;
      if (key === 'on')
        return (event: string, listener: unknown) => {
          listeners.push([event, listener]);
          return () => listeners.splice(listeners.findIndex(([, l]) => l === listener), 1);
        };
      return (input: unknown) => answer(String(key), input);
    },
  });
}

describe('Electron client', () => {
  it('resolves with the value of an ok envelope', async () => {
    const client = createElectronClient(bridge(async (channel, input) => ({ ok: true, value: { channel, input } })));
    expect(client.runtime).toBe('electron');
    await expect(client.call('chat.cancel', { streamId: 'x' })).resolves.toEqual({ channel: 'chat.cancel', input: { streamId: 'x' } });
  });

  it('rejects with TriadCallError carrying the shape of a failed envelope', async () => {
    const shape = { code: 'tier_disabled', message: 'the company tier is off', retryable: false, tier: 'company' } as const;
    const client = createElectronClient(bridge(async () => ({ ok: false, error: shape })));
    const failure = await client.call('status.get', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TriadCallError);
    expect((failure as TriadCallError).shape).toEqual(shape);
    expect((failure as TriadCallError).message).toBe('the company tier is off');
  });

  it('turns a failure of IPC itself into TriadCallError too', async () => {
    const client = createElectronClient(bridge(async () => Promise.reject(new Error("No handler registered for 'triad:status.get'"))));
    const failure = (await client.call('status.get', {}).catch((error: unknown) => error)) as TriadCallError;
    expect(failure.shape).toMatchObject({ code: 'internal', message: expect.stringContaining('No handler registered'), retryable: true });
  });

  it('subscribes through the bridge and returns its unsubscribe function', () => {
    const triad = bridge(async () => ({ ok: true, value: null }));
    const unsubscribe = createElectronClient(triad).on('status.changed', () => {});
    expect(triad.listeners.map(([event]) => event)).toEqual(['status.changed']);
    unsubscribe();
    expect(triad.listeners).toEqual([]);
  });
});
