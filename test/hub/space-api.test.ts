import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hubFailure } from '../../src-main/hub/hub-errors';
import { createHubFetch } from '../../src-main/hub/hub-fetch';
import { SpaceApi } from '../../src-main/hub/space-api';
import { createHubSpaces, DEFAULT_BUILD, type HubSpaces } from '../support/hub/spaces-routes';
import { startHubServer, type HubServer } from '../support/hub/hub-server';
import { thrownBy } from '../store/support';

/** The Space management calls (huggingface_hub's HfApi paths and bodies) against the Hub stand-in. */
const TOKEN = 'hf_space_admin_token_77';
const SPACE = 'acme-ml/triad-company';

describe('SpaceApi', () => {
  let hub: HubServer;
  let spaces: HubSpaces;
  let api: SpaceApi;
  let token: string | undefined;

  beforeEach(async () => {
    hub = await startHubServer((shared) => [(spaces = createHubSpaces(shared.accounts, shared.rateLimit))]);
    spaces.created(SPACE, 'acme-ml');
    token = TOKEN;
    api = new SpaceApi({ hubUrl: hub.url, fetch: createHubFetch({ sleep: async () => undefined }), getToken: async () => token });
  });
  afterEach(() => hub.close());

  it('follows a restarted Space through its stages to RUNNING', async () => {
    expect((await api.getRuntime(SPACE)).stage).toBe('NO_APP_FILE');
    expect((await api.restart(SPACE)).stage).toBe('BUILDING');
    const seen = new Set<string>();
    for (let i = 0; i < 100 && !seen.has('RUNNING'); i++) {
      seen.add((await api.getRuntime(SPACE)).stage);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect([...seen]).toEqual(['BUILDING', 'APP_STARTING', 'RUNNING']);
    expect((await api.pause(SPACE)).stage).toBe('PAUSED');
  });

  it('sets and removes variables, and sets secrets whose values never come back', async () => {
    await api.addVariable(SPACE, 'MODEL_REPO', 'acme-ml/triad-company-sft');
    await api.addVariable(SPACE, 'CONTEXT_SIZE', '4096');
    await api.deleteVariable(SPACE, 'CONTEXT_SIZE');
    expect(await api.getVariables(SPACE)).toEqual({ MODEL_REPO: 'acme-ml/triad-company-sft' });
    await api.addSecret(SPACE, 'TRIAD_SPACE_API_KEY', 'space-key-secret-value', 'the key Triad sends');
    expect(await api.getSecretNames(SPACE)).toEqual(['TRIAD_SPACE_API_KEY']);
    expect(spaces.environmentOf(SPACE)).toMatchObject({ MODEL_REPO: 'acme-ml/triad-company-sft', TRIAD_SPACE_API_KEY: 'space-key-secret-value' });
    const refused = await thrownBy(() => api.addVariable(SPACE, 'not a name', 'x'));
    expect(hubFailure('setting a variable', refused).message).toMatch(/setting a variable: the Hub refused it \(400\): key must be a valid environment variable name/);
  });

  it('requests hardware with a sleep time, and reads the price list per hour', async () => {
    const runtime = await api.requestHardware(SPACE, 'cpu-upgrade', 3600);
    expect(runtime.hardware.requested).toBe('cpu-upgrade');
    expect(runtime.sleepTimeSeconds).toBe(3600);
    expect((await api.setSleepTime(SPACE, 600)).sleepTimeSeconds).toBe(600);
    const prices = await api.listHardware();
    expect(prices.find((f) => f.name === 'a10g-small')?.usdPerHour).toBeCloseTo(1.0, 2);
    expect(prices.find((f) => f.name === 'cpu-basic')?.usdPerHour).toBe(0);
  });

  it('streams the build log line by line as Server-Sent Events', async () => {
    await api.restart(SPACE);
    const lines: string[] = [];
    for await (const entry of api.streamLogs(SPACE, 'build')) lines.push(entry.line);
    expect(lines).toEqual(DEFAULT_BUILD.buildLines);
  });

  it('explains a revoked token, an unknown Space and a Space of someone else, without the token', async () => {
    hub.accounts.revoked.add(TOKEN);
    const revoked = hubFailure('reading the runtime', await thrownBy(() => api.getRuntime(SPACE)));
    expect(revoked).toMatchObject({ code: 'upstream_auth_failed' });
    expect(revoked.message).toMatch(/refused the Hugging Face token/);
    expect(revoked.message).not.toContain(TOKEN);
    hub.accounts.revoked.clear();

    expect(hubFailure('reading the runtime', await thrownBy(() => api.getRuntime('acme-ml/absent'))).message).toMatch(/reading the runtime: not found on the Hub/);
    spaces.created('other/space', 'other');
    expect(hubFailure('restarting', await thrownBy(() => api.restart('other/space'))).code).toBe('forbidden');
  });

  it('waits out a 429 as the Hub says and goes on', async () => {
    spaces.failNext('GET', /runtime$/, 429, 2);
    expect((await api.getRuntime(SPACE)).stage).toBe('NO_APP_FILE');
  });
});
