import type { CallResult, Channel } from '../../src-shared/ipc-contract';
import type { TriadBridge } from './triad-bridge';
import { TriadCallError, type TriadClient } from './triad-client';

/** The TriadClient of the desktop app, over the preload's `window.triad`. */
export function createElectronClient(bridge: TriadBridge): TriadClient {
  return {
    runtime: 'electron',
    async call(channel, input) {
      const invoke = bridge[channel as Channel] as (input: unknown) => Promise<CallResult<unknown>>;
      let result: CallResult<unknown>;
      try {
        result = await invoke(input);
      } catch (error) {
        // Only IPC itself fails this way (no handler yet, main process going down): calls' errors are data.
        throw new TriadCallError({ code: 'internal', message: `IPC failed: ${error instanceof Error ? error.message : String(error)}`, retryable: true });
      }
      if (!result.ok) throw new TriadCallError(result.error);
      return result.value as never;
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}
