import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, RENDERER_META_CSP } from '../../src-main/server/content-security-policy';

const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('renderer Content-Security-Policy', () => {
  it('runs only the app’s own scripts: no inline, no eval, no remote origin, no plugins or frames', () => {
    const policy = directives(RENDERER_CSP);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\bhttps?:|\*/);
  });

  it('is the policy the renderer’s index.html carries as <meta>, less what a <meta> cannot carry', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_META_CSP);
    const header = directives(RENDERER_CSP);
    header.delete('frame-ancestors');
    expect(directives(RENDERER_META_CSP)).toEqual(header);
  });
});
