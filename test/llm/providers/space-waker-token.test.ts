import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpaceWaker } from '../../../src-main/llm/routing/space-waker';
import { STAND_IN_TOKEN, startHubStandIn, type HubStandIn } from '../../support/hub-stand-in';

let hub: HubStandIn;
beforeAll(async () => {
  hub = await startHubStandIn();
});
afterAll(() => hub.close());

/** The network between Triad and a Hub mirror named by its host: requests go to the stand-in, headers are recorded. */
function network(mirrorOrigin: string, seen: Array<string | null>): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input).replace(mirrorOrigin, hub.url);
    seen.push(new Headers(init?.headers).get('authorization'));
    return fetch(url, init);
  };
}

describe('waking a paused Space through the Hub', () => {
  it('restarts it with the token when the Hub is reached over https or on this computer', async () => {
    hub.setStages('acme/triad-paused-a', 'PAUSED');
    const seen: Array<string | null> = [];
    const waker = new SpaceWaker({ hubUrl: hub.url, getToken: async () => STAND_IN_TOKEN, fetch: network(hub.url, seen) });
    await waker.wake('acme/triad-paused-a');
    expect(hub.restarts).toContain('acme/triad-paused-a');
    expect(seen).toContain(`Bearer ${STAND_IN_TOKEN}`);
  });

  it('never sends the token to a mirror (HF_ENDPOINT) over plain http to another computer', async () => {
    hub.setStages('acme/triad-paused-b', 'PAUSED');
    const seen: Array<string | null> = [];
    const mirror = 'http://hub-mirror.example.com';
    const waker = new SpaceWaker({ hubUrl: mirror, getToken: async () => STAND_IN_TOKEN, fetch: network(mirror, seen) });
    expect(await waker.stage('acme/triad-paused-b')).toBe('PAUSED');
    await waker.wake('acme/triad-paused-b');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((header) => header === null)).toBe(true);
    expect(hub.restarts).not.toContain('acme/triad-paused-b');
  });
});
