import { describe, expect, it } from 'vitest';
import { describeSync } from '../../src-renderer/features/team/sync-description';
import { projectUrlProblem } from '../../src-renderer/features/team/project-url';

const at = (iso: string) => `at ${iso.slice(11, 16)}`;

describe('the sync state as the status bar shows it', () => {
  it('shows nothing in embedded mode', () => {
    expect(describeSync({ state: 'embedded', pending: 0, lastSuccessAt: null, lastError: null }, at)).toBeNull();
  });

  it('shows Synced with the last success on hover', () => {
    expect(describeSync({ state: 'online', pending: 0, lastSuccessAt: '2026-01-01T09:30:00.000Z', lastError: null }, at)).toEqual({
      label: 'Synced',
      detail: 'Synced with the team project: last synced at 09:30',
      tone: 'ok',
    });
    expect(describeSync({ state: 'online', pending: 2, lastSuccessAt: null, lastError: null }, at)?.label).toBe('Syncing · 2 waiting');
  });

  it('shows Offline with the writes waiting and the last error on hover', () => {
    const shown = describeSync({ state: 'offline', pending: 7, lastSuccessAt: '2026-01-01T09:30:00.000Z', lastError: 'http://127.0.0.1:54321 cannot be reached' }, at);
    expect(shown).toMatchObject({ label: 'Offline · 7 waiting', tone: 'warn' });
    expect(shown?.detail.split('\n')).toEqual(['http://127.0.0.1:54321 cannot be reached', 'Writes wait on this computer and are sent when it is back; last synced at 09:30']);
  });

  it('shows Signed out, and what waits for a sign-in', () => {
    expect(describeSync({ state: 'signed-out', pending: 0, lastSuccessAt: null, lastError: null }, at)).toMatchObject({ label: 'Signed out', tone: 'muted' });
    expect(describeSync({ state: 'signed-out', pending: 4, lastSuccessAt: null, lastError: null }, at)?.detail).toContain('send 4 waiting writes');
    const ended = describeSync({ state: 'signed-out', pending: 0, lastSuccessAt: null, lastError: 'signed out: Supabase refused to renew the session' }, at);
    expect(ended?.detail.split('\n')[0]).toBe('signed out: Supabase refused to renew the session');
  });
});

describe('the project URL check', () => {
  it('accepts https anywhere and plain http only on this computer', () => {
    expect(projectUrlProblem('https://abcd.supabase.co')).toBeNull();
    expect(projectUrlProblem('http://127.0.0.1:54321')).toBeNull();
    expect(projectUrlProblem('http://localhost:54321')).toBeNull();
    expect(projectUrlProblem('http://[::1]:54321')).toBeNull();
    expect(projectUrlProblem('http://abcd.supabase.co')).toMatch(/^plain http is accepted only on this computer/);
    expect(projectUrlProblem('http://127.0.0.1.example.com')).toMatch(/^plain http/);
    expect(projectUrlProblem('ftp://abcd.supabase.co')).toBe('the project URL must start with https:// (got ftp://)');
    expect(projectUrlProblem('abcd.supabase.co')).toMatch(/is not a URL/);
  });
});
