import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/logging/logger';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';

// One remembered value with no token shape (only remembering can catch it) and unknown token-shaped ones.
const remembered = 'plain-words-battery-staple-7731';
const hf = 'hf_LoggerTestTokenAbcdefghijklmnop0123';
const openai = 'sk-proj-LoggerTest_Key-abcdefghijklmnopqrstuvwxyz';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2dnZXIiLCJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const urlPassword = 'UrlPassw0rdLoggerTest';
const secrets = [remembered, hf, openai, jwt, urlPassword];

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines, output: () => lines.join('\n') };
}

function expectNoSecret(output: string): void {
  for (const secret of secrets) expect(output).not.toContain(secret);
  // Not even a recognisable piece of one.
  expect(output).not.toMatch(/battery-staple|LoggerTestToken|LoggerTest_Key|eyJzdWIi|UrlPassw0rd/);
}

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('createLogger', () => {
  it('writes no secret whichever argument of whichever call carries it', () => {
    const redactor = new TokenSecretRedactor();
    redactor.remember(remembered);
    const sink = capture();
    const log = createLogger({ redactor, destination: sink.stream, level: 'trace' });

    const cause = new Error(`upstream said 401 for ${openai}`);
    const error = Object.assign(new Error(`request failed with ${hf}`, { cause }), {
      config: { headers: { authorization: `Bearer ${jwt}` } },
      body: `echo ${remembered}`,
    });
    const aggregate = new AggregateError([new Error(`inner ${remembered}`)], `all failed ${hf}`);

    log.info(`message with ${remembered} and ${hf}`);
    log.info('format %s and %o', openai, { nested: remembered });
    log.info({ token: hf, nested: { deeper: [{ jwt }] } }, 'object fields');
    log.warn({ url: `postgres://triad:${urlPassword}@db.local/app` }, 'database');
    log.error(error);
    log.error(error, `while saving ${openai}`);
    log.error({ err: error, extra: remembered }, 'err field');
    log.error({ error }, 'error under another key');
    log.error(aggregate);
    log.debug({ headers: { 'x-api-key': 'plain-api-key-value' } }, 'headers');
    log.child({ requestToken: hf, user: `u ${remembered}` }).info('child bindings');
    log.child({ tier: 'cloud' }, { msgPrefix: `[${openai}] ` }).info('prefixed');

    expect(sink.lines).toHaveLength(12);
    const output = sink.output();
    expectNoSecret(output);
    expect(output).not.toContain('plain-api-key-value');

    // Every line is still valid JSON, and what is not secret is still there.
    const entries = sink.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries[0]?.msg).toBe('message with [redacted] and [redacted]');
    expect(entries[1]?.msg).toBe('format [redacted] and {"nested":"[redacted]"}');
    expect(entries[2]).toMatchObject({ token: '[redacted]', nested: { deeper: [{ jwt: '[redacted]' }] } });
    expect(entries[3]?.url).toBe('postgres://triad:***@db.local/app');
    expect(entries[4]).toMatchObject({
      msg: 'request failed with [redacted]',
      err: {
        type: 'Error',
        // pino's error serialiser appends the causes' messages.
        message: 'request failed with [redacted]: upstream said 401 for [redacted]',
        config: { headers: { authorization: '[redacted]' } },
        body: 'echo [redacted]',
      },
    });
    const serialisedError = entries[4]?.err as { stack: string };
    expect(serialisedError.stack).toContain('Error: request failed with [redacted]');
    expect(serialisedError.stack).toContain('caused by: Error: upstream said 401 for [redacted]');
    expect(entries[5]?.msg).toBe('while saving [redacted]');
    expect(entries[6]).toMatchObject({ msg: 'err field', extra: '[redacted]' });
    expect(entries[7]).toMatchObject({ error: { type: 'Error', message: expect.stringMatching(/^request failed with \[redacted\]/) } });
    expect(entries[8]).toMatchObject({ msg: 'all failed [redacted]', err: { aggregateErrors: [{ message: 'inner [redacted]' }] } });
    expect(entries[9]).toMatchObject({ headers: { 'x-api-key': '[redacted]' } });
    expect(entries[10]).toMatchObject({ msg: 'child bindings', requestToken: '[redacted]', user: 'u [redacted]' });
    expect(entries[11]).toMatchObject({ msg: '[[redacted]] prefixed', tier: 'cloud' });
  });

  it('redacts what the error serialiser reads from an error class rather than the error', () => {
    // pino's serialiser copies inherited enumerable properties too; a log-call copy keeps only own ones.
    class ClientError extends Error {}
    Object.assign(ClientError.prototype, { password: 'inherited-plain-password', endpoint: 'api.local' });
    const sink = capture();
    createLogger({ redactor: new TokenSecretRedactor(), destination: sink.stream }).error(new ClientError('boom'));
    expect(sink.output()).not.toContain('inherited-plain-password');
    expect(JSON.parse(sink.lines[0]!)).toMatchObject({ err: { password: '[redacted]', endpoint: 'api.local' } });
  });

  it('redacts a value remembered after the logger was created', () => {
    const redactor = new TokenSecretRedactor();
    const sink = capture();
    const log = createLogger({ redactor, destination: sink.stream });
    log.info(`before ${remembered}`);
    redactor.remember(remembered);
    log.info(`after ${remembered}`);
    expect(sink.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      `before ${remembered}`,
      'after [redacted]',
    ]);
  });

  it('leaves the objects it was given untouched', () => {
    const sink = capture();
    const log = createLogger({ redactor: new TokenSecretRedactor(), destination: sink.stream });
    const fields = { token: hf, list: [openai] };
    const error = new Error(`with ${hf}`);
    log.info(fields, 'fields');
    log.error(error);
    expect(fields).toEqual({ token: hf, list: [openai] });
    expect(error.message).toBe(`with ${hf}`);
    expect(error.stack).toContain(hf);
  });

  it('appends to a file path, creating its folder, honouring the level', () => {
    scratch = mkdtempSync(join(tmpdir(), 'triad-logger-test-'));
    const file = join(scratch, 'logs', 'triad.log');
    const redactor = new TokenSecretRedactor();
    redactor.remember(remembered);
    const log = createLogger({ redactor, destination: file, level: 'warn' });
    log.info(`not written ${hf}`);
    log.warn({ key: openai }, `written ${remembered}`);
    log.error(new Error(`failed ${jwt}`));
    log.flush();

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expectNoSecret(lines.join('\n'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, msg: 'written [redacted]', key: '[redacted]' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 50, msg: 'failed [redacted]' });
  });
});
