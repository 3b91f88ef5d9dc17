import { TriadError } from '../../src-shared/errors';
import { KEYCHAIN_SECRET_NAMES, SECRET_LABELS, type KeychainSecretName } from './secret-store';

/** Largest value accepted, in UTF-8 bytes: real tokens are well under 1 KB. */
export const MAX_SECRET_BYTES = 4096;

/**
 * Largest Supabase session accepted: supabase-js stores the whole session as JSON (access and refresh tokens
 * plus the user with their metadata and identities), several KB; 64 KB leaves room for generous metadata.
 */
export const MAX_SESSION_BYTES = 65_536;

/** The size limit of a secret's value, in UTF-8 bytes. */
export function maxSecretBytes(name: KeychainSecretName): number {
  return name === 'supabase-session' ? MAX_SESSION_BYTES : MAX_SECRET_BYTES;
}

// Control characters include newline (a pasted line ending) and NUL, which keytar's C++ side would
// silently truncate the value at. Matching them is the point, hence the lint exception.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** The secret's name as a person reads it, e.g. `Hugging Face token (huggingface-token)`. */
export function describeSecret(name: KeychainSecretName): string {
  return `${SECRET_LABELS[name]} (${name})`;
}

/** Throws `validation_failed` unless `name` is a known secret. */
export function assertSecretName(name: string): asserts name is KeychainSecretName {
  if (!(KEYCHAIN_SECRET_NAMES as readonly string[]).includes(name)) {
    throw new TriadError({
      code: 'validation_failed',
      message: `Unknown secret "${name}": expected one of ${KEYCHAIN_SECRET_NAMES.join(', ')}.`,
    });
  }
}

/**
 * Throws `validation_failed` when `value` cannot be a valid value of secret `name`. The message names the
 * secret and the rule broken, never the value.
 */
export function validateSecret(name: KeychainSecretName, value: string): void {
  const problem = findProblem(name, value);
  if (problem) {
    throw new TriadError({
      code: 'validation_failed',
      message: `The ${describeSecret(name)} was not saved: ${problem}.`,
    });
  }
}

function findProblem(name: KeychainSecretName, value: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'it is empty; paste the whole value';
  if (CONTROL_CHARACTER.test(value)) {
    return 'it contains a line break or another control character; paste it as a single line';
  }
  if (value !== value.trim()) return 'it starts or ends with whitespace; paste it without surrounding spaces';
  const limit = maxSecretBytes(name);
  if (Buffer.byteLength(value, 'utf8') > limit) {
    return `it is longer than ${limit} bytes, which no real ${name === 'supabase-session' ? 'session' : 'token'} is; check what was pasted`;
  }
  if (name === 'huggingface-token' && !value.startsWith('hf_')) {
    return 'a Hugging Face access token starts with "hf_"; create or copy one at https://huggingface.co/settings/tokens';
  }
  return undefined;
}
