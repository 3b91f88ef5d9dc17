import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../../src-main/datasets/anonymiser/secret-detectors';

function secrets(text: string): string[] {
  return findSecrets(text).map((span) => text.slice(span.start, span.end));
}

const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
const payload = Buffer.from('{"sub":"42"}').toString('base64url');

describe('findSecrets', () => {
  it.each([
    ['Hugging Face', 'hf_uhng2u0zRLQK55KhBcMq0vrCKE4uX51jV3'],
    ['OpenAI project', 'sk-proj-bPewIaNJzml2h3GJquuifjkxVmsaWRudRNdFcGLs4c6AwiRZ'],
    ['OpenAI', 'sk-wUf4YfqktgLJ9IrcypDWHhg3cQgBoxOzNy4RQq7ECqCDnBBi'],
    ['AWS access key', 'AKIAKDP7XO2ZPIXPD7FE'],
    ['AWS temporary key', 'ASIACTOH2KR457EWIOAW'],
    ['GitHub', 'ghp_NEfXmAbASYvU1ftUHxMZWBEe9EEF3wtYqzJu'],
    ['GitHub OAuth', 'gho_yJ1Drx4SxvZ75oejYnlyRG0RKOg1rfLAaxG4'],
    ['GitHub fine-grained', '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'],
    ['Slack', 'xoxb-060893707805-0482079931221-FwdLsW7I7j3QVzM1vRWugE7v'],
    ['Google API', 'AIza26e-fcz_n0OWaEwKooiXyIydPTawbajyE8l'],
    ['Stripe', 'sk_live_BcmMrHOfhB4asRyRTgxV6OMp'],
    ['Stripe webhook', 'whsec_bMmL6k18n0FyULq6BBZehYsbxKAxv0Ro'],
    ['JWT', `${header}.${payload}.c2lnbmF0dXJl`],
    ['private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----'],
  ])('finds a %s token whole', (_, token) => {
    expect(secrets(`the token ${token} leaked.`)).toEqual([token]);
  });

  it('finds an AWS secret access key and a password by what precedes them', () => {
    expect(secrets('aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
    expect(secrets('The password for the kiosk account is Kiosk#2024 — change it.')).toEqual(['Kiosk#2024']);
  });

  it('does not take a base64 string whose first part is not a JSON header for a JWT', () => {
    const notJwt = `${Buffer.from('hello world!').toString('base64url')}.${payload}.abcd`;
    expect(secrets(`value ${notJwt}`)).toEqual([]);
  });

  it('leaves ordinary words after "password" and short prefixes alone', () => {
    expect(secrets('The password is expired, please reset it. Use sk-short as the example prefix.')).toEqual([]);
  });
});
