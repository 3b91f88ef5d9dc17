import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../src-shared/stream-parts';
import { StreamPartRouter } from '../../src-renderer/app/stream-part-router';
import { FakeTriadClient, answerParts, ids } from './support/fake-triad-client';

describe('routing stream parts to their answer', () => {
  it('keeps parts that arrive before the start call answered, and hands them over in order', () => {
    const client = new FakeTriadClient();
    const router = new StreamPartRouter(client);
    const parts = answerParts(ids.request, ['early', ' late']);
    client.part(ids.stream, parts[0]!);
    client.part(ids.stream, parts[1]!);

    const received: StreamPart[] = [];
    router.follow(ids.stream, (batch) => received.push(...batch));
    for (const part of parts.slice(2)) client.part(ids.stream, part);
    router.flush();
    expect(received).toEqual(parts);
  });

  it('shows the first token at once, batches the rest into one delivery, and stops following after finish', () => {
    const client = new FakeTriadClient();
    const router = new StreamPartRouter(client);
    const batches: StreamPart[][] = [];
    router.follow(ids.stream, (batch) => batches.push(batch));
    const [metadata, first, ...rest] = answerParts(ids.request, ['a', 'b', 'c', 'd']);
    client.part(ids.stream, metadata!);
    expect(batches).toHaveLength(0);
    client.part(ids.stream, first!);
    expect(batches).toEqual([[metadata, first]]);
    for (const part of rest) client.part(ids.stream, part);
    expect(batches).toHaveLength(1);
    router.flush();
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual(rest);
    client.part(ids.stream, { type: 'text-delta', text: 'after the end' });
    router.flush();
    expect(batches).toHaveLength(2);
  });

  it('keeps streams apart', () => {
    const client = new FakeTriadClient();
    const router = new StreamPartRouter(client);
    const a: string[] = [];
    const b: string[] = [];
    router.follow(ids.stream, (batch) => batch.forEach((p) => p.type === 'text-delta' && a.push(p.text)));
    router.follow(ids.stream2, (batch) => batch.forEach((p) => p.type === 'text-delta' && b.push(p.text)));
    client.part(ids.stream, { type: 'text-delta', text: 'one' });
    client.part(ids.stream2, { type: 'text-delta', text: 'two' });
    router.flush();
    expect([a, b]).toEqual([['one'], ['two']]);
  });

  it('forgets unclaimed parts after a minute', () => {
    let now = 0;
    const client = new FakeTriadClient();
    const router = new StreamPartRouter(client, { now: () => now });
    client.part(ids.stream, { type: 'text-delta', text: 'orphan' });
    now = 61_000;
    client.part(ids.stream2, { type: 'text-delta', text: 'fresh' });
    const received: StreamPart[] = [];
    router.follow(ids.stream, (batch) => received.push(...batch));
    router.flush();
    expect(received).toEqual([]);
  });
});
