import { describe, expect, it } from 'vitest';
import { REDACTED, TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';

const hf = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const openai = 'sk-AbCdEfGhIjKlMnOpQrStUvWx0123456789';
const openaiProject = 'sk-proj-Ab_Cd-EfGhIjKlMnOpQrStUvWxYz0123456789';
const jwt =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwicm9sZSI6ImF1dGhlbnRpY2F0ZWQifQ.' +
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('TokenSecretRedactor.redact', () => {
  const redactor = new TokenSecretRedactor();

  it.each([
    ['a Hugging Face token', `token=${hf} end`, `token=${REDACTED} end`],
    ['an OpenAI key', `key ${openai}.`, `key ${REDACTED}.`],
    ['an OpenAI project key', `"${openaiProject}"`, `"${REDACTED}"`],
    ['a Bearer header value', 'Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${REDACTED}`],
    ['a lower-case bearer value', 'authorization=bearer x1', `authorization=bearer ${REDACTED}`],
    ['a JWT', `jwt ${jwt} used`, `jwt ${REDACTED} used`],
    ['a password in a URL', 'postgres://triad:s3cr%40t@db.local:5432/app', 'postgres://triad:***@db.local:5432/app'],
    ['a password with no user', 'redis://:pw123@cache:6379', 'redis://:***@cache:6379'],
  ])('%s', (_label, input, expected) => {
    expect(redactor.redact(input)).toBe(expected);
  });

  it('leaves ordinary text, short prefixes and URLs without passwords alone', () => {
    for (const text of [
      'loading model tiny-random on tier local',
      'hf_short and sk-short',
      'risk-assessmentforproductiondeployment123',
      'https://huggingface.co/api/models?search=llama',
      'http://localhost:8080/path@version',
      'user@example.com',
    ]) {
      expect(redactor.redact(text)).toBe(text);
    }
  });

  it('redacts every occurrence of a remembered value, whatever it looks like', () => {
    const r = new TokenSecretRedactor();
    const secret = 'correct horse/battery"staple';
    expect(r.redact(secret)).toBe(secret);
    r.remember(secret);
    expect(r.redact(`a ${secret} b ${secret}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
    // As it appears in a query string and inside serialised JSON.
    expect(r.redact(`?key=${encodeURIComponent(secret)}`)).toBe(`?key=${REDACTED}`);
    expect(r.redact(JSON.stringify({ key: secret }))).toBe(`{"key":"${REDACTED}"}`);
  });

  it('replaces the longer of two overlapping remembered values whole', () => {
    const r = new TokenSecretRedactor();
    r.remember('abcd');
    r.remember('abcdefgh');
    expect(r.redact('xabcdefghx')).toBe(`x${REDACTED}x`);
  });

  it('ignores values too short to be secrets', () => {
    const r = new TokenSecretRedactor();
    r.remember('');
    r.remember('abc');
    expect(r.redact('abc cab')).toBe('abc cab');
  });
});

describe('TokenSecretRedactor.redactDeep', () => {
  it('redacts strings at any depth in objects and arrays without touching the input', () => {
    const r = new TokenSecretRedactor();
    r.remember('remembered-value-1');
    const input = {
      message: `calling with ${hf}`,
      count: 3,
      ok: true,
      none: null,
      request: { headers: { 'x-trace': 'abc', forwarded: 'remembered-value-1' }, urls: [`https://u:p4ss@h/x`, 7] },
      list: [[{ deep: `Bearer ${openai}` }]],
    };
    const before = structuredClone(input);
    const output = r.redactDeep(input);
    expect(output).toEqual({
      message: `calling with ${REDACTED}`,
      count: 3,
      ok: true,
      none: null,
      request: { headers: { 'x-trace': 'abc', forwarded: REDACTED }, urls: ['https://u:***@h/x', 7] },
      list: [[{ deep: `Bearer ${REDACTED}` }]],
    });
    expect(input).toEqual(before);
    expect(output).not.toBe(input);
  });

  it('redacts string values under credential-named keys whatever they contain', () => {
    const r = new TokenSecretRedactor();
    const output = r.redactDeep({
      headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k-123', Cookie: 'session=abc' },
      password: 'hunter2',
      apiKey: 'plainvalue',
      usage: { promptTokens: 12, totalTokens: 40 },
      tokenizer: 'llama',
    });
    expect(output).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, Cookie: REDACTED },
      password: REDACTED,
      apiKey: REDACTED,
      usage: { promptTokens: 12, totalTokens: 40 },
      tokenizer: 'llama',
    });
  });

  it('copies Errors with message, stack, cause and own fields redacted, keeping their class', () => {
    class UpstreamError extends Error {
      constructor(
        message: string,
        readonly url: string,
        options?: { cause?: unknown },
      ) {
        super(message, options);
        this.name = 'UpstreamError';
      }
    }
    const cause = new Error(`401 for ${openaiProject}`);
    const error = new UpstreamError(`request with ${hf} failed`, 'https://bot:pw@api.local/v1', { cause });
    const output = new TokenSecretRedactor().redactDeep({ error });

    expect(output.error).toBeInstanceOf(UpstreamError);
    expect(output.error).not.toBe(error);
    expect(output.error.name).toBe('UpstreamError');
    expect(output.error.message).toBe(`request with ${REDACTED} failed`);
    expect(output.error.stack).toContain(`UpstreamError: request with ${REDACTED} failed`);
    expect(output.error.stack).toContain('secret-redactor.test.ts');
    expect(output.error.url).toBe('https://bot:***@api.local/v1');
    const copiedCause = output.error.cause as Error;
    expect(copiedCause).toBeInstanceOf(Error);
    expect(copiedCause.message).toBe(`401 for ${REDACTED}`);
    expect(copiedCause.stack).not.toContain(openaiProject);
    expect(Object.keys(output.error)).toEqual(Object.keys(error));

    expect(error.message).toContain(hf);
    expect(error.stack).toContain(hf);
    expect(cause.message).toContain(openaiProject);
    expect(error.url).toContain(':pw@');
  });

  it('redacts what objects serialise to, Map and Set contents, and survives cycles', () => {
    const r = new TokenSecretRedactor();
    const cyclic: { name: string; self?: unknown } = { name: hf };
    cyclic.self = cyclic;
    const output = r.redactDeep({
      url: new URL('https://user:topsecret@example.com/a'),
      when: new Date(0),
      map: new Map([['k', hf]]),
      set: new Set([openai]),
      cyclic,
      bytes: new Uint8Array([1, 2]),
    });
    expect(JSON.stringify(output.url)).toBe('"https://user:***@example.com/a"');
    expect(output.when).toEqual(new Date(0));
    expect([...output.map]).toEqual([['k', REDACTED]]);
    expect([...output.set]).toEqual([REDACTED]);
    expect(output.cyclic.name).toBe(REDACTED);
    expect(output.cyclic.self).toBe(output.cyclic);
    expect(output.bytes).toEqual(new Uint8Array([1, 2]));
    expect(cyclic.name).toBe(hf);
  });

  it('returns primitives unchanged and redacts a bare string', () => {
    const r = new TokenSecretRedactor();
    expect(r.redactDeep(42)).toBe(42);
    expect(r.redactDeep(undefined)).toBeUndefined();
    expect(r.redactDeep(hf)).toBe(REDACTED);
  });
});
