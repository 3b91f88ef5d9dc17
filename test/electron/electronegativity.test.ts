/**
 * @doyensec/electronegativity over the Electron main process and the renderer. HIGH findings fail; MEDIUM
 * and LOW ones fail unless electronegativity-accepted.md lists them with a reason, and a listed finding
 * that no longer occurs fails too. A canary scan of a deliberately weakened window proves the scanner
 * really reads our TypeScript (a file it cannot parse would otherwise pass silently).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Finding {
  id: string;
  file: string;
  sample?: string;
  description: string;
  severity: { name: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' };
  location: { line: number };
}
type Electronegativity = (options: Record<string, unknown>) => Promise<{ issues: Finding[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }>;
const require = createRequire(import.meta.url);
const scannerPath = require.resolve('@doyensec/electronegativity');
// The scanner downloads translations at every run; keep the test suite off the network.
const gotPath = createRequire(scannerPath).resolve('got');
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: () => Promise.reject(new Error('offline')) } as unknown as NodeJS.Module;
const electronegativity = require(scannerPath) as Electronegativity;

const root = resolve(import.meta.dirname, '../..');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Copies what the app is made of (main-process Electron code, renderer, package.json) into one folder. */
function snapshot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'triad-electronegativity-'));
  scratch.push(dir);
  cpSync(join(root, 'src-main/electron'), join(dir, 'electron'), { recursive: true });
  cpSync(join(root, 'src-renderer'), join(dir, 'renderer'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  return dir;
}

async function scan(dir: string) {
  return electronegativity({
    input: dir,
    isRelative: true,
    electronVersionOverride: electronVersion,
    // Downloads Electron's release list to compare versions: there is no network here, and npm pins Electron.
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
  });
}

/** `- \`CHECK_ID\` in \`file\`: reason` lines of the accepted list. */
function acceptedFindings(): Array<{ id: string; file: string; reason: string }> {
  const text = readFileSync(join(import.meta.dirname, 'electronegativity-accepted.md'), 'utf8');
  return [...text.matchAll(/^- `([A-Z_]+)` in `([^`]+)`: (.+)$/gm)].map(([, id, file, reason]) => ({ id: id!, file: file!, reason: reason! }));
}

const describeFinding = (f: Finding) => `${f.severity.name} ${f.id} in ${f.file}:${f.location.line}: ${f.description}${f.sample ? ` (${f.sample.trim().slice(0, 120)})` : ''}`;

describe('electronegativity', () => {
  it('finds nothing HIGH, and every MEDIUM or LOW finding is accepted with a reason', async () => {
    const result = await scan(snapshot());
    expect(result.errors.filter((e) => !e.tolerable), 'files the scanner could not parse').toEqual([]);

    const findings = result.issues.filter((f) => f.severity.name !== 'INFORMATIONAL');
    expect(findings.filter((f) => f.severity.name === 'HIGH').map(describeFinding)).toEqual([]);

    const accepted = acceptedFindings();
    expect(accepted.every((a) => a.reason.length > 20)).toBe(true);
    const isAccepted = (f: Finding) => accepted.some((a) => a.id === f.id && a.file === f.file);
    expect(findings.filter((f) => !isAccepted(f)).map(describeFinding), 'findings missing from electronegativity-accepted.md').toEqual([]);
    const stale = accepted.filter((a) => !findings.some((f) => f.id === a.id && f.file === a.file));
    expect(stale, 'accepted findings the scan no longer reports').toEqual([]);
  }, 60_000);

  it('does flag a window without context isolation (the scan really reads our sources)', async () => {
    const dir = snapshot();
    const window = join(dir, 'electron/window.ts');
    writeFileSync(window, readFileSync(window, 'utf8').replace('contextIsolation: true', 'contextIsolation: false'));
    const result = await scan(dir);
    expect(result.issues.filter((f) => f.severity.name === 'HIGH').map((f) => f.id)).toContain('CONTEXT_ISOLATION_JS_CHECK');
  }, 60_000);
});
