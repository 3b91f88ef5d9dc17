/**
 * Datasets as the app and the `triad dataset` command use them: preview, build (recorded, files kept on disk
 * for the push), push to the Hub (recorded only once the Hub made the commit), and the history. Only ML leads
 * and admins may build or push.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DatasetBuildParams, DatasetRow, DatasetSummary, DatasetVersionView } from '../../src-shared/dataset-contract';
import { TriadError } from '../../src-shared/errors';
import type { SecretRedactor, SecretStore } from '../secrets/secret-store';
import type { DatasetVersion, TriadStore } from '../store/repositories';
import { measuredQuality, type MeasuredQuality } from './anonymiser/measured-quality';
import { buildDataset, type BuildProgress, type BuiltDataset } from './dataset-builder';
import { DATASET_FILES, renderDatasetCard } from './dataset-card';
import { exampleAnonymiserFor } from './example-anonymiser';
import { pushDatasetToHub, type PushProgress } from './hub-push';

export interface DatasetServiceOptions {
  store: TriadStore;
  secrets: SecretStore;
  redactor: SecretRedactor;
  /** The Hub's URL (HF_ENDPOINT, default https://huggingface.co). */
  hubUrl: string;
  /** Where built datasets' files wait for their push, one folder per version. */
  filesDir: string;
}

/** Examples of each split the preview shows. */
const SAMPLES_PER_SPLIT = 5;

/** A dataset's files as text. */
export interface DatasetFiles {
  train: string;
  eval: string;
  card: string;
}

function jsonl(rows: DatasetRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** A stored version as the screen shows it. */
export function toDatasetVersionView(version: DatasetVersion): DatasetVersionView {
  const count = (key: 'train' | 'eval') => (typeof version.counts[key] === 'number' ? (version.counts[key] as number) : 0);
  return {
    id: version.id,
    kind: version.kind,
    tier: version.tier,
    company: version.companySlug,
    status: version.status,
    train: count('train'),
    eval: count('eval'),
    anonymiserVersion: version.anonymiserVersion,
    repo: version.repo,
    commitSha: version.commitSha,
    pushError: version.pushError,
    createdBy: version.createdBy,
    createdAt: version.createdAt.toISOString(),
    pushedAt: version.pushedAt?.toISOString() ?? null,
  };
}

export class DatasetService {
  constructor(private readonly options: DatasetServiceOptions) {}

  /** Builds without recording anything: counts and a few anonymised examples. */
  async preview(userId: string, params: DatasetBuildParams, onProgress?: (progress: BuildProgress) => void): Promise<DatasetSummary> {
    return this.summary(await this.make(userId, params, onProgress));
  }

  /**
   * Builds and records a version; its files go to the data folder (for the push) and to `outDir` when given.
   * The files are written before the row, so a recorded version always has them.
   */
  async build(
    userId: string,
    params: DatasetBuildParams,
    options: { outDir?: string; onProgress?: (progress: BuildProgress) => void } = {},
  ): Promise<{ version: DatasetVersion; summary: DatasetSummary; files: DatasetFiles }> {
    const dataset = await this.make(userId, params, options.onProgress);
    const files = this.files(dataset, new Date());
    const id = randomUUID();
    const partial = join(this.options.filesDir, `${id}.partial`);
    await this.writeFiles(partial, files);
    let version: DatasetVersion;
    try {
      version = await this.options.store.datasets.recordBuild({
        id,
        kind: params.kind,
        tier: params.tier,
        companySlug: params.company,
        counts: { ...dataset.counts, params },
        anonymiserVersion: dataset.anonymiserVersion,
        createdBy: userId,
      });
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw error;
    }
    await rename(partial, join(this.options.filesDir, id));
    if (options.outDir) await this.writeFiles(options.outDir, files);
    return { version, summary: this.summary(dataset), files };
  }

  /**
   * Pushes a built version to a private dataset repo. Recorded as pushed, with the Hub's commit, only once
   * the commit exists; a failure is recorded as `push_failed` with its reason, and pushing again retries.
   */
  async push(userId: string, datasetId: string, repo: string, onProgress?: (progress: PushProgress) => void): Promise<DatasetVersion> {
    await this.requireBuilder(userId);
    const version = await this.options.store.datasets.get(datasetId);
    if (!version) throw new TriadError({ code: 'validation_failed', message: `no dataset version ${datasetId}: build one first` });
    if (version.status === 'pushed') {
      throw new TriadError({ code: 'validation_failed', message: `dataset ${datasetId} is already pushed to ${version.repo} as commit ${version.commitSha}` });
    }
    const dir = join(this.options.filesDir, datasetId);
    let files: Array<{ path: string; content: string }>;
    try {
      files = await Promise.all(Object.values(DATASET_FILES).map(async (path) => ({ path, content: await readFile(join(dir, path), 'utf8') })));
    } catch {
      throw new TriadError({ code: 'validation_failed', message: `the files of dataset ${datasetId} are no longer in ${dir}: build the dataset again` });
    }
    const failed = async (error: TriadError): Promise<never> => {
      await this.options.store.datasets.recordPushFailure(datasetId, error.message).catch(() => undefined);
      throw error;
    };
    const token = await this.options.secrets.get('huggingface-token').catch(() => undefined);
    if (!token) {
      return failed(new TriadError({ code: 'not_configured', message: 'pushing a dataset needs a Hugging Face token with write access: set one in Settings → API keys, or HF_TOKEN' }));
    }
    this.options.redactor.remember(token);
    let pushed: Awaited<ReturnType<typeof pushDatasetToHub>>;
    try {
      pushed = await pushDatasetToHub({
        hubUrl: this.options.hubUrl,
        token,
        repo,
        files,
        title: `Triad ${version.tier} ${version.kind.toUpperCase()} dataset ${datasetId}`,
        onProgress,
        redact: (text) => this.options.redactor.redact(text),
      });
    } catch (error) {
      return failed(TriadError.isInstance(error) ? error : new TriadError({ code: 'internal', message: this.options.redactor.redact(String(error)) }));
    }
    try {
      return await this.options.store.datasets.recordPush(datasetId, { repo: pushed.repo, commitSha: pushed.commitSha });
    } catch (error) {
      const reason = TriadError.isInstance(error) ? error.message : String(error);
      throw new TriadError({
        code: 'store_unavailable',
        retryable: true,
        message: `the Hub has the dataset as commit ${pushed.commitSha} of ${pushed.repo}, but recording it failed (${reason}): push again to record it`,
      });
    }
  }

  async list(userId: string, limit = 50): Promise<DatasetVersion[]> {
    await this.requireBuilder(userId);
    return this.options.store.datasets.list(limit);
  }

  /** The text of the files of a build (the card cites the anonymiser's measured quality). */
  private files(dataset: BuiltDataset, builtAt: Date): DatasetFiles {
    let quality: MeasuredQuality | { unavailable: string };
    try {
      quality = measuredQuality();
    } catch (error) {
      quality = { unavailable: error instanceof Error ? error.message : String(error) };
    }
    return { train: jsonl(dataset.train), eval: jsonl(dataset.eval), card: renderDatasetCard(dataset, quality, builtAt) };
  }

  private async writeFiles(dir: string, files: DatasetFiles): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, DATASET_FILES.train), files.train);
    await writeFile(join(dir, DATASET_FILES.eval), files.eval);
    await writeFile(join(dir, DATASET_FILES.card), files.card);
  }

  private summary(dataset: BuiltDataset): DatasetSummary {
    return {
      params: dataset.params,
      counts: dataset.counts,
      samples: { train: dataset.train.slice(0, SAMPLES_PER_SPLIT), eval: dataset.eval.slice(0, SAMPLES_PER_SPLIT) },
      anonymiserVersion: dataset.anonymiserVersion,
    };
  }

  private async make(userId: string, params: DatasetBuildParams, onProgress?: (progress: BuildProgress) => void): Promise<BuiltDataset> {
    const access = await this.requireBuilder(userId);
    const companies = await this.options.store.directory.listCompanies();
    if (params.company !== null) {
      if (!companies.some((c) => c.slug === params.company)) throw new TriadError({ code: 'validation_failed', message: `no company '${params.company}'` });
      if (access.role !== 'admin' && !access.companySlugs.includes(params.company)) {
        throw new TriadError({ code: 'forbidden', message: `you may not read the data of company '${params.company}'` });
      }
    }
    onProgress?.({ stage: 'reading', done: 0, total: 1 });
    const sources = await this.options.store.datasets.sources({ tier: params.tier, company: params.company });
    return buildDataset(sources, params, await exampleAnonymiserFor(params.tier, params.company, companies), onProgress);
  }

  private async requireBuilder(userId: string) {
    const access = await this.options.store.directory.getUserAccess(userId);
    if (!access) throw new TriadError({ code: 'unauthorized', message: 'building datasets needs a signed-in operator known to the directory' });
    if (access.role !== 'ml_lead' && access.role !== 'admin') {
      throw new TriadError({ code: 'forbidden', message: `only ML leads and admins build and push datasets; ${access.displayName} is an ${access.role}` });
    }
    return access;
  }
}
