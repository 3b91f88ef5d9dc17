import { describe, expect, it } from 'vitest';
import { parseEntry, serializeEntry } from '../../src-main/logging/request-log-disk-queue';
import type { RequestLogEntry } from '../../src-main/store/repositories';
import { makeEntry } from '../store/support';

describe('request log queue lines', () => {
  it('bring back every Date, nested ones included, and nothing else as a Date', () => {
    const entry = { ...makeEntry(), errorMessage: '2031-01-01T00:00:00.000Z', extra: { seenAt: new Date('2031-02-03T04:05:06.789Z'), seenAgain: [new Date('2031-03-04T05:06:07.890Z')] } };

    const restored = parseEntry(serializeEntry(entry));

    expect(restored).toEqual(entry);
    expect(restored.createdAt).toBeInstanceOf(Date);
    expect(typeof restored.errorMessage).toBe('string');
  });

  it('keep an invalid Date invalid, for the store to refuse, rather than turning it into null', () => {
    const entry = makeEntry({ completedAt: new Date(Number.NaN) });

    const restored: RequestLogEntry = parseEntry(serializeEntry(entry));

    expect(restored.completedAt).toBeInstanceOf(Date);
    expect(Number.isNaN(restored.completedAt.getTime())).toBe(true);
  });

  it('refuse a line that is not an entry', () => {
    expect(() => parseEntry('{"id":"cut-short')).toThrow();
    expect(() => parseEntry('[1,2]')).toThrow(/not a JSON object/);
  });
});
