import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ChatMessage, GenerationParams } from '../../src-shared/chat';
import type { Provider, Tier } from '../../src-shared/domain';
import type { AnswerMetadata } from '../../src-shared/stream-parts';

/** Everything an answer depends on: two requests with the same key may share an answer. */
export interface CacheKeyInput {
  /** The conversation as the user sent it. */
  messages: readonly ChatMessage[];
  params: GenerationParams;
  tier: Tier;
  provider: Provider;
  modelId: string;
  modelVersion: string;
  /** Who may share the answer: {@link cacheScope}. */
  scope: string;
}

/** A cached answer. */
export interface CachedAnswer {
  text: string;
  /** The metadata of the answer as first served (its request id, timings and usage are that request's). */
  metadata: AnswerMetadata;
  /** When it was stored, by the cache's clock (epoch milliseconds by default). */
  storedAt: number;
}

/** Options of {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** Approximate memory the cached answers may take. Default 64 MiB. */
  maxBytes?: number;
  /** Most answers kept. Default 10,000. */
  maxEntries?: number;
  /** How long an answer stays valid. Default 1 hour. */
  ttlMs?: number;
  /** Milliseconds; defaults to `Date.now`. */
  now?: () => number;
}

/** What the cache holds, for a status display. */
export interface ResponseCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
}

/** What {@link ResponseCache.invalidate} drops; every given field must match. */
export interface CacheInvalidation {
  tier?: Tier;
  modelVersion?: string;
}

/** The scope of answers no user's permissions restrict. */
export const SHARED_SCOPE = 'shared';

/**
 * Who may share a cached answer. A Company-tier answer was built from one company's knowledge, so only
 * requests about the same company (made by users allowed to see it) may reuse it; other tiers' answers
 * carry nothing private. `companySlug` must be the company the request was authorised for.
 */
export function cacheScope(tier: Tier, companySlug: string | null | undefined): string {
  if (tier !== 'company') return SHARED_SCOPE;
  // A slug never contains ':', and 'company:' alone cannot collide with a real company's scope.
  return `company:${companySlug ?? ''}`;
}

/** Only complete answers are worth reusing: not one cut by the content filter, and not an aborted one. */
export function isCacheable(metadata: Pick<AnswerMetadata, 'finishReason'>): boolean {
  return metadata.finishReason === 'stop' || metadata.finishReason === 'length';
}

/** The sha256 key of a request, after normalising what does not change the answer. */
export function responseCacheKey(input: CacheKeyInput): string {
  const normalised = {
    scope: input.scope,
    tier: input.tier,
    provider: input.provider,
    modelId: input.modelId,
    modelVersion: input.modelVersion,
    messages: input.messages.map((m) => ({ role: m.role, content: normaliseWhitespace(m.content) })),
    params: normaliseParams(input.params),
  };
  return createHash('sha256').update(canonicalJson(normalised)).digest('hex');
}

interface CacheRecord {
  answer: CachedAnswer;
  tier: Tier;
  modelVersion: string;
}

/**
 * An exact-match cache of whole answers, in memory: least recently used answers go first once the byte or
 * entry bound is reached, and an answer expires after `ttlMs`. The key includes the model version, so a new
 * version never serves an old answer, and the access scope, so a company's answer stays within it.
 */
export class ResponseCache {
  private readonly cache: LRUCache<string, CacheRecord>;
  private readonly now: () => number;
  private hits = 0;
  private misses = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.cache = new LRUCache<string, CacheRecord>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (record, key) => approximateBytes(record, key),
      ttl: options.ttlMs ?? 60 * 60 * 1000,
      // Read the clock on every check: exact expiry, and no timer of lru-cache's own.
      ttlResolution: 0,
      perf: { now: this.now },
    });
  }

  /** The cached answer to this request, if there is a fresh one. */
  get(input: CacheKeyInput): CachedAnswer | undefined {
    const record = this.cache.get(responseCacheKey(input));
    if (record) this.hits += 1;
    else this.misses += 1;
    return record?.answer;
  }

  /** Stores a finished answer; returns false (storing nothing) when it is not {@link isCacheable}. */
  set(input: CacheKeyInput, answer: { text: string; metadata: AnswerMetadata }): boolean {
    if (!isCacheable(answer.metadata)) return false;
    const record: CacheRecord = {
      answer: { text: answer.text, metadata: answer.metadata, storedAt: this.now() },
      tier: input.tier,
      modelVersion: input.modelVersion,
    };
    this.cache.set(responseCacheKey(input), record);
    return true;
  }

  /**
   * Drops the answers of a tier and/or a model version (by the version the request was keyed with, or the
   * one the answer reported). Returns how many were dropped.
   */
  invalidate(filter: CacheInvalidation): number {
    const doomed: string[] = [];
    for (const [key, record] of this.cache.entries()) {
      const tierMatches = filter.tier === undefined || record.tier === filter.tier;
      const versionMatches =
        filter.modelVersion === undefined || record.modelVersion === filter.modelVersion || record.answer.metadata.modelVersion === filter.modelVersion;
      if (tierMatches && versionMatches) doomed.push(key);
    }
    for (const key of doomed) this.cache.delete(key);
    return doomed.length;
  }

  clear(): void {
    this.cache.clear();
  }

  stats(): ResponseCacheStats {
    this.cache.purgeStale();
    return { entries: this.cache.size, bytes: this.cache.calculatedSize, hits: this.hits, misses: this.misses };
  }
}

function normaliseWhitespace(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** Unset values and an empty `stop` list mean "the provider's default", so they leave the key unchanged. */
function normaliseParams(params: GenerationParams): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    kept[name] = value;
  }
  return kept;
}

/** JSON with object keys sorted at every level, so that equal values always give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What the record holds in memory, roughly: V8 strings take up to two bytes per UTF-16 unit. */
function approximateBytes(record: CacheRecord, key: string): number {
  const metadataChars = JSON.stringify(record.answer.metadata).length;
  return 2 * (record.answer.text.length + metadataChars + key.length) + 64;
}
