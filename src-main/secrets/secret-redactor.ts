import type { SecretRedactor } from './secret-store';

/** What every redacted secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Remembered values shorter than this are ignored: no real secret is this short, and redacting every
 * occurrence of a two-letter string would make logs unreadable.
 */
export const MIN_REMEMBERED_LENGTH = 4;

// Character classes exclude `"` and `\` so that redacting a serialised JSON line never breaks its quoting.
const TOKEN_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Passwords in URLs: scheme://user:password@host keeps the user, hides the password.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"\\]*):[^\s/?#@"\\]*@/gi, '$1:***@'],
  [/\b(Bearer)\s+[^\s"'\\,;<>]+/gi, `$1 ${REDACTED}`],
  [/(?<![A-Za-z0-9])hf_[A-Za-z0-9]{20,}/g, REDACTED],
  // OpenAI keys, including project (sk-proj-…) and service-account (sk-svcacct-…) keys.
  [/(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{20,}/g, REDACTED],
  // JWTs: base64url of `{"` is `eyJ`; the signature may be empty (alg "none").
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/**
 * What every token pattern above needs somewhere in the text (`://`, `Bearer`, `hf_`, `sk-`, `eyJ`; matched
 * case-insensitively, so it finds a superset). Most strings a log row holds (prompts, answers) have none of
 * them: one scan then spares the five replace passes.
 */
const MAY_HOLD_TOKEN = /:\/\/|bearer|hf_|sk-|eyj/i;

// String values under these keys are credentials whatever they look like (HTTP headers, config objects).
const SENSITIVE_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|client[-_]?secret|api[-_]?key|x-api-key|(access|refresh|id)[-_]?token|private[-_]?key)$/i;

/**
 * Redacts remembered secret values and token-shaped strings. One instance is shared by the secret store
 * (which remembers every value it reads or writes) and the logger.
 */
export class TokenSecretRedactor implements SecretRedactor {
  // Longest first, so a secret that contains another is replaced whole.
  private remembered: string[] = [];
  /** Secrets already remembered: the secret store remembers the token on every read, i.e. every request. */
  private readonly known = new Set<string>();

  remember(secret: string): void {
    if (typeof secret !== 'string' || secret.length < MIN_REMEMBERED_LENGTH || this.known.has(secret)) return;
    this.known.add(secret);
    // The same secret as it appears URL-encoded or inside serialised JSON.
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    const added = forms.filter((form) => !this.remembered.includes(form));
    if (added.length === 0) return;
    this.remembered = [...this.remembered, ...added].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.remembered) {
      if (result.includes(secret)) result = result.replaceAll(secret, REDACTED);
    }
    if (!MAY_HOLD_TOKEN.test(result)) return result;
    for (const [pattern, replacement] of TOKEN_PATTERNS) result = result.replace(pattern, replacement);
    return result;
  }

  redactDeep<T>(value: T): T {
    return this.copy(value, new WeakMap()) as T;
  }

  private copy(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null) return value;
    const known = seen.get(value);
    if (known !== undefined) return known;

    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.copy(item, seen));
      return copy;
    }
    if (value instanceof Error) return this.copyError(value, seen);
    if (value instanceof Map) {
      const copy = new Map();
      seen.set(value, copy);
      for (const [k, v] of value) copy.set(this.copy(k, seen), this.copy(v, seen));
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set();
      seen.set(value, copy);
      for (const v of value) copy.add(this.copy(v, seen));
      return copy;
    }
    if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;

    const prototype: unknown = Object.getPrototypeOf(value);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    // A class instance that serialises itself (URL, for one, serialises to its href with the password)
    // is redacted in the form it will be written in.
    if (prototype !== Object.prototype && prototype !== null && typeof toJSON === 'function') {
      return this.copy(toJSON.call(value), seen);
    }
    const copy: Record<string, unknown> = Object.create(prototype as object | null);
    seen.set(value, copy);
    for (const [key, item] of Object.entries(value)) copy[key] = this.copyProperty(key, item, seen);
    return copy;
  }

  /** Same prototype (so `instanceof` and pino's error serialiser still work), every own property redacted. */
  private copyError(error: Error, seen: WeakMap<object, unknown>): Error {
    const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
    seen.set(error, copy);
    const keys = new Set<string | symbol>(Reflect.ownKeys(error));
    // Some errors define message or stack on their prototype; the copy gets its own redacted ones.
    keys.add('message');
    keys.add('stack');
    for (const key of keys) {
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      let item: unknown;
      try {
        item = descriptor && 'value' in descriptor ? descriptor.value : Reflect.get(error, key);
      } catch {
        continue;
      }
      if (item === undefined && !descriptor) continue;
      Object.defineProperty(copy, key, {
        value: typeof key === 'string' ? this.copyProperty(key, item, seen) : this.copy(item, seen),
        enumerable: descriptor?.enumerable ?? false,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }

  private copyProperty(key: string, item: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof item === 'string' && item !== '' && SENSITIVE_KEY.test(key)) return REDACTED;
    return this.copy(item, seen);
  }
}
