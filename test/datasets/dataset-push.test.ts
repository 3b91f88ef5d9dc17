import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatasetBuildParamsSchema } from '../../src-shared/dataset-contract';
import type { TriadError } from '../../src-shared/errors';
import type { PushProgress } from '../../src-main/datasets/hub-push';
import { startHubStandIn, STAND_IN_TOKEN, type HubStandIn } from '../support/hub-stand-in';
import { createTestApp, type TestApp } from '../support/test-app';
import { DatasetSeed } from './seed';

/** Pushing built datasets with the real @huggingface/hub client to the Hub stand-in, faults included. */

let hub: HubStandIn;
let app: TestApp;
let builds = 0;

const build = async () => {
  const { version, files } = await app.datasets.build(app.localOperator.id, DatasetBuildParamsSchema.parse({ tier: 'company', company: 'pushco', kind: 'sft', seed: ++builds }));
  return { id: version.id, files };
};
const failure = async (work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    return error as TriadError;
  }
  throw new Error('expected the push to fail');
};
const commitsOf = (repo: string) => hub.repos.get(`datasets/${repo}`)?.commits.length ?? 0;

beforeAll(async () => {
  hub = await startHubStandIn();
  app = await createTestApp({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: STAND_IN_TOKEN } });
  await app.store.directory.createCompany({ slug: 'pushco', name: 'Push Company' });
  const seed = new DatasetSeed(app.store, app.localOperator.id);
  for (const topic of ['invoices', 'returns', 'deliveries', 'opening hours', 'discounts']) {
    await seed.label(await seed.answer('company', 'pushco', `What is our policy on ${topic}?`, `Our ${topic} policy is on the wiki.`), 'accepted');
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  await hub?.close();
});
beforeEach(() => {
  hub.addToken(STAND_IN_TOKEN, 'write');
});

describe('pushing a dataset to the Hub', () => {
  it('commits the splits and the card to a private dataset repo and records the commit the Hub made', async () => {
    const { id, files } = await build();
    const progress: PushProgress[] = [];
    const pushed = await app.datasets.push(app.localOperator.id, id, 'support-sft', (p) => progress.push(p));

    const repo = hub.repos.get('datasets/triad-ml/support-sft')!;
    expect(repo.private).toBe(true);
    const head = repo.commits.at(-1)!;
    expect(pushed).toMatchObject({ id, status: 'pushed', repo: 'triad-ml/support-sft', commitSha: head.oid, pushError: null });
    expect(await app.store.datasets.get(id)).toEqual(pushed);
    expect(head.files.get('train.jsonl')?.content.toString()).toBe(files.train);
    expect(head.files.get('eval.jsonl')?.content.toString()).toBe(files.eval);
    expect(head.files.get('README.md')?.content.toString()).toBe(files.card);
    expect(progress.map((p) => p.phase)).toEqual(['checking', 'creating', 'preuploading', 'uploadingLargeFiles', 'committing', 'done']);
    expect(progress.at(-1)!.fraction).toBe(1);

    const again = await failure(() => app.datasets.push(app.localOperator.id, id, 'support-sft'));
    expect(again.message).toBe(`dataset ${id} is already pushed to triad-ml/support-sft as commit ${head.oid}`);
  }, 60_000);

  it('pushes a second version into the repo that already exists (the Hub answers 409 to creating it)', async () => {
    const { id } = await build();
    const before = commitsOf('triad-ml/support-sft');
    const pushed = await app.datasets.push(app.localOperator.id, id, 'triad-ml/support-sft');
    expect(hub.calls.filter((c) => c === 'POST /api/repos/create').length).toBeGreaterThanOrEqual(2);
    expect(commitsOf('triad-ml/support-sft')).toBe(before + 1);
    expect(pushed.commitSha).toBe(hub.repos.get('datasets/triad-ml/support-sft')!.commits.at(-1)!.oid);
  }, 60_000);

  it.each([
    ['a revoked token (401)', () => hub.revokeToken(STAND_IN_TOKEN), 'upstream_auth_failed', 'the Hub refused the Hugging Face token (401)'],
    ['a read-only token (403)', () => hub.addToken(STAND_IN_TOKEN, 'read'), 'upstream_auth_failed', 'the token may not write to triad-ml/faulty (403)'],
    ['a server error on the commit (500)', () => hub.failNext('commit', { status: 500 }), 'upstream_unavailable', 'the Hub failed (500)'],
    ['a conflicting commit (409)', () => hub.failNext('commit', { status: 409 }), 'upstream_rejected', 'the repo changed while pushing (409)'],
    ['a connection dropped mid-commit', () => hub.failNext('commit', 'drop'), 'upstream_unreachable', 'the connection to the Hub failed or dropped'],
  ])('after %s: says so, records nothing as pushed, and a retry pushes', async (_what, fault, code, says) => {
    const { id } = await build();
    const before = commitsOf('triad-ml/faulty');
    fault();
    const error = await failure(() => app.datasets.push(app.localOperator.id, id, 'faulty'));
    expect(error.code).toBe(code);
    expect(error.message).toContain(says);
    expect(error.message).not.toContain(STAND_IN_TOKEN);
    expect(commitsOf('triad-ml/faulty')).toBe(before);
    expect(await app.store.datasets.get(id)).toMatchObject({ status: 'push_failed', commitSha: null, repo: null, pushError: error.message });

    hub.addToken(STAND_IN_TOKEN, 'write');
    const retried = await app.datasets.push(app.localOperator.id, id, 'faulty');
    expect(retried).toMatchObject({ status: 'pushed', repo: 'triad-ml/faulty', pushError: null });
    expect(commitsOf('triad-ml/faulty')).toBe(before + (before === 0 ? 2 : 1));
  }, 60_000);
});

describe('pushing a large split', () => {
  it('uploads a split of 10 MB or more through LFS and commits its pointer', async () => {
    const { pushDatasetToHub } = await import('../../src-main/datasets/hub-push');
    const big = `${JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(1_000) }] })}\n`.repeat(10_500);
    const progress: PushProgress[] = [];
    const pushed = await pushDatasetToHub({
      hubUrl: hub.url,
      token: STAND_IN_TOKEN,
      repo: 'large',
      files: [
        { path: 'train.jsonl', content: big },
        { path: 'README.md', content: '# large\n' },
      ],
      title: 'a large split',
      onProgress: (p) => progress.push(p),
      redact: (text) => text,
    });
    const head = hub.repos.get('datasets/triad-ml/large')!.commits.at(-1)!;
    expect(pushed.commitSha).toBe(head.oid);
    const train = head.files.get('train.jsonl')!;
    expect(train.lfs).toBe(true);
    // Buffer.equals, not toEqual: a deep comparison of 11 MB element by element takes minutes.
    expect(train.content.equals(Buffer.from(big))).toBe(true);
    expect(head.files.get('README.md')?.lfs).toBe(false);
    expect(hub.calls).toContain('POST /datasets/triad-ml/large.git/info/lfs/objects/batch');
    expect(progress.some((p) => p.phase === 'uploadingLargeFiles' && p.fraction > 0.2 && p.fraction < 0.86)).toBe(true);
  }, 60_000);
});
