import { invalidInput } from './store-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its usual text form (any version). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Throws `validation_failed` naming `what` unless `value` is a UUID. */
export function requireUuid(value: unknown, what: string): string {
  if (!isUuid(value)) throw invalidInput(`${what} must be a UUID, got ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

/** Throws `validation_failed` unless `value` is a non-negative whole number. */
export function requireLimit(value: number, what = 'limit'): number {
  if (!Number.isInteger(value) || value < 0) throw invalidInput(`${what} must be a whole number ≥ 0, got ${value}`);
  return value;
}

/**
 * The JSON text of a flag or setting value. Values JSON cannot represent (undefined, functions, BigInt,
 * cycles) are refused rather than silently stored as something else.
 */
export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw invalidInput(`${what}: value cannot be stored as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw invalidInput(`${what}: value cannot be stored as JSON (it is ${typeof value})`);
  return text;
}

/** A timestamp column as a Date (both drivers already parse timestamptz; this also accepts text). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** A nullable text column. */
export function toText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A nullable numeric column (NUMERIC and BIGINT arrive as text from pg). */
export function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
