/**
 * Pushes a dataset's files to a private dataset repo on the Hugging Face Hub with `@huggingface/hub`: who the
 * token is (whoAmI), the repo (createRepo; a 409 means it exists), one commit of every file
 * (uploadFilesWithProgress: preupload, LFS for large files, the NDJSON commit), then the tree at the new commit
 * to check that every file is there. The commit's sha is the version.
 */
import { createRepo, HubApiError, listFiles, uploadFilesWithProgress, whoAmI } from '@huggingface/hub';
import { TriadError, type ErrorCode } from '../../src-shared/errors';

/** One step of a push, for a progress bar. */
export interface PushProgress {
  phase: 'checking' | 'creating' | 'preuploading' | 'uploadingLargeFiles' | 'committing' | 'done';
  fraction: number;
  message: string;
}

export interface PushRequest {
  hubUrl: string;
  token: string;
  /** `owner/name`, or `name` for the token's own account. */
  repo: string;
  files: Array<{ path: string; content: string }>;
  title: string;
  onProgress?: (progress: PushProgress) => void;
  /** Removes secrets from text that goes into a message. */
  redact: (text: string) => string;
}

export interface PushResult {
  /** `owner/name`. */
  repo: string;
  commitSha: string;
  commitUrl: string;
}

/** What the Hub's answer means for the operator, naming the step; never the token. */
function pushError(step: string, repo: string, error: unknown, redact: (text: string) => string): TriadError {
  const fail = (code: ErrorCode, message: string, retryable: boolean) =>
    new TriadError({ code, retryable, message: redact(`pushing the dataset to ${repo}: ${step}: ${message}`) }, { cause: error });
  if (error instanceof HubApiError) {
    const said = typeof error.data?.error === 'string' ? ` (the Hub said: ${error.data.error})` : '';
    switch (error.statusCode) {
      case 401:
        return fail('upstream_auth_failed', `the Hub refused the Hugging Face token (401)${said}: set a valid token in Settings → API keys or HF_TOKEN`, false);
      case 403:
        return fail('upstream_auth_failed', `the token may not write to ${repo} (403)${said}: use a token with write access to that namespace`, false);
      case 404:
        return fail('upstream_rejected', `the Hub does not know ${repo} (404)${said}`, false);
      case 409:
        return fail('upstream_rejected', `the repo changed while pushing (409)${said}: push again`, true);
      case 429:
        return fail('upstream_rate_limited', `the Hub is rate-limiting this account (429)${said}: push again in a few minutes`, true);
      default:
        if (error.statusCode >= 500) return fail('upstream_unavailable', `the Hub failed (${error.statusCode})${said}: nothing was recorded, push again later`, true);
        return fail('upstream_rejected', `the Hub refused the request (${error.statusCode})${said}`, false);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /must start with 'hf_'/.test(message)) {
    return fail('upstream_auth_failed', "the Hugging Face token is not one (it must start with 'hf_'): set it in Settings → API keys", false);
  }
  // fetch() reports a refused or dropped connection as a TypeError ("fetch failed") with the cause below it.
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message})` : '';
  return fail('upstream_unreachable', `the connection to the Hub failed or dropped${cause}: nothing was recorded, push again`, true);
}

async function step<T>(name: string, repo: string, redact: (text: string) => string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw pushError(name, repo, error, redact);
  }
}

/** Pushes the files in one commit; resolves only when the Hub made the commit and its tree holds every file. */
export async function pushDatasetToHub(request: PushRequest): Promise<PushResult> {
  const { hubUrl, token, redact } = request;
  const progress = request.onProgress ?? (() => undefined);
  progress({ phase: 'checking', fraction: 0, message: 'checking the Hugging Face token' });
  const me = await step('checking the token', request.repo, redact, () => whoAmI({ hubUrl, accessToken: token }));
  const name = request.repo.includes('/') ? request.repo : `${me.name}/${request.repo}`;
  const repo = { type: 'dataset' as const, name };

  progress({ phase: 'creating', fraction: 0.05, message: `creating the private dataset repo ${name}` });
  await step('creating the repo', name, redact, async () => {
    try {
      await createRepo({ hubUrl, accessToken: token, repo, private: true });
    } catch (error) {
      if (!(error instanceof HubApiError && error.statusCode === 409)) throw error;
    }
  });

  const totalBytes = request.files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  const uploaded = new Map<string, number>();
  const output = await step('committing the files', name, redact, async () => {
    const iterator = uploadFilesWithProgress({
      hubUrl,
      accessToken: token,
      repo,
      files: request.files.map((f) => ({ path: f.path, content: new Blob([f.content]) })),
      commitTitle: request.title,
    });
    for (;;) {
      const next = await iterator.next();
      if (next.done) return next.value;
      const event = next.value;
      if (event.event === 'phase') {
        const at = { preuploading: 0.1, uploadingLargeFiles: 0.2, committing: 0.85 }[event.phase];
        progress({ phase: event.phase, fraction: at, message: { preuploading: 'asking the Hub how to upload each file', uploadingLargeFiles: 'uploading large files', committing: `committing ${request.files.length} files` }[event.phase] });
      } else if (event.state === 'uploading') {
        const file = request.files.find((f) => f.path === event.path);
        uploaded.set(event.path, (file ? Buffer.byteLength(file.content) : 0) * event.progress);
        const done = [...uploaded.values()].reduce((a, b) => a + b, 0);
        progress({ phase: 'uploadingLargeFiles', fraction: 0.2 + 0.65 * (done / Math.max(totalBytes, 1)), message: `uploading ${event.path}` });
      } else if (event.state === 'error') {
        throw new Error(`uploading ${event.path} failed`);
      }
    }
  });
  if (!output?.commit.oid) throw pushError('committing the files', name, new Error('the Hub answered the commit without a commit id'), redact);

  const present = new Set<string>();
  await step('checking the commit', name, redact, async () => {
    for await (const entry of listFiles({ hubUrl, accessToken: token, repo, revision: output.commit.oid })) present.add(entry.path);
  });
  const missing = request.files.filter((f) => !present.has(f.path)).map((f) => f.path);
  if (missing.length > 0) {
    throw new TriadError({ code: 'upstream_bad_response', retryable: true, message: `pushing the dataset to ${name}: commit ${output.commit.oid} lacks ${missing.join(', ')}: push again` });
  }
  progress({ phase: 'done', fraction: 1, message: `pushed as commit ${output.commit.oid.slice(0, 7)}` });
  return { repo: name, commitSha: output.commit.oid, commitUrl: output.commit.url };
}
