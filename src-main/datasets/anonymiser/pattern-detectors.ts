/**
 * The structured detectors: exactly-shaped values, confirmed by their checksum or structure where they have
 * one (Luhn for cards, mod 97 for IBANs, octet ranges and Node's own parser for IP addresses), so that an
 * order id or a version number of the same shape is left alone.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isValidIban, passesLuhn } from './checksums';
import type { PiiSpan, PiiType } from './pii-span';

function span(start: number, end: number, type: PiiType): PiiSpan {
  return { start, end, type };
}

// Letters of any script in the local part and the domain (RFC 6531 addresses such as zoë@exämple.de).
const EMAIL = /(?<![\p{L}\p{N}_.%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/gu;
// `user:password@host` inside a URL is credentials, not an email address.
const INSIDE_URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^\s/?@]*$/i;

export function findEmails(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(EMAIL)) {
    if (INSIDE_URL_USERINFO.test(text.slice(Math.max(0, match.index - 200), match.index))) continue;
    spans.push(span(match.index, match.index + match[0].length, 'EMAIL'));
  }
  return spans;
}

// Phone numbers in the shapes people write them. Each shape has its own digit count, checked below.
const PHONE_SHAPES: ReadonlyArray<{ pattern: RegExp; minDigits: number; maxDigits: number }> = [
  // International: +CC or 00CC, then groups ("+44 (0)20 7946 0958", "+49 30 1234567", "0033 6 12 34 56 78").
  { pattern: /(?<![\w+])(?:\+|\b00)[1-9]\d{0,3}(?:[ .\u00a0-]?\(?\d{1,5}\)?){1,6}(?![\w])/g, minDigits: 8, maxDigits: 15 },
  // North American: "(415) 555-0100", "415-555-0100", "415.555.0100", "415 555 0100", "1-800-555-0199".
  { pattern: /(?<![\w+.-])(?:1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w]|[.-]\d)/g, minDigits: 10, maxDigits: 11 },
  // National with a trunk 0 and separators: "020 7946 0958", "(030) 1234 5678", "06 12 34 56 78", "0151-2345678".
  { pattern: /(?<![\w+.-])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ -]\d{2,8}){1,4}(?![\w]|[.-]\d)/g, minDigits: 9, maxDigits: 12 },
];
// Any run of digits right after a word that announces a phone number.
const PHONE_AFTER_CONTEXT =
  /(?<=\b(?:call|phone|tel|telephone|mobile|cell|mob|fax|whatsapp|text|sms|reach|ring|dial)\b\.?(?:\s+(?:me|us|him|her|them))?(?:\s+(?:at|on|is))?\s*[:#]?\s*)\+?\(?\d[\d ().-]{5,22}\d(?![\w]|[.-]\d)/gi;

// Inside an IBAN-shaped string ("DE89 3704 0044 …") that failed its checksum: not a phone number either.
const AFTER_IBAN_GROUPS = /[A-Z]{2}\d{2}(?: [A-Z0-9]{4})* ?$/;

function digitCount(value: string): number {
  return value.replace(/\D/g, '').length;
}

export function findPhones(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const { pattern, minDigits, maxDigits } of PHONE_SHAPES) {
    for (const match of text.matchAll(pattern)) {
      const digits = digitCount(match[0]);
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      // Not the tail of a longer run of digit groups (a card number that failed Luhn).
      if (AFTER_IBAN_GROUPS.test(before) || /\d[ .-]?$/.test(before)) continue;
      if (digits >= minDigits && digits <= maxDigits) spans.push(span(match.index, match.index + match[0].length, 'PHONE'));
    }
  }
  for (const match of text.matchAll(PHONE_AFTER_CONTEXT)) {
    const digits = digitCount(match[0]);
    if (digits >= 7 && digits <= 15 && !/^\d{4}-\d{2}-\d{2}/.test(match[0])) spans.push(span(match.index, match.index + match[0].length, 'PHONE'));
  }
  return spans;
}

const CARD_CANDIDATE = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w]|[.-]\d)/g;
// Issuer prefixes of the card networks and the lengths their numbers have.
const CARD_NETWORKS: ReadonlyArray<{ prefix: RegExp; lengths: readonly number[] }> = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(?:5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720))/, lengths: [16] }, // Mastercard, incl. the 2-series
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^3(?:0[0-5]|[689])/, lengths: [14, 16] }, // Diners Club
  { prefix: /^6(?:011|5|4[4-9])/, lengths: [16, 19] }, // Discover
  { prefix: /^35(?:2[89]|[3-8])/, lengths: [16, 19] }, // JCB
  { prefix: /^62/, lengths: [16, 17, 18, 19] }, // UnionPay
  { prefix: /^(?:5[06-9]|6[37])/, lengths: [16, 19] }, // Maestro
];
// The digits of a failed IBAN ("DE89 3704 …") are not a card number.
const AFTER_IBAN_COUNTRY = /[A-Z]{2}\d{2} ?$/;

export function findCreditCards(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const digits = match[0].replace(/\D/g, '');
    const separators = new Set(match[0].replace(/\d/g, ''));
    if (separators.size > 1) continue;
    if (!CARD_NETWORKS.some(({ prefix, lengths }) => prefix.test(digits) && lengths.includes(digits.length)) || !passesLuhn(digits)) continue;
    if (AFTER_IBAN_COUNTRY.test(text.slice(Math.max(0, match.index - 5), match.index))) continue;
    spans.push(span(match.index, match.index + match[0].length, 'CREDIT_CARD'));
  }
  return spans;
}

const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])/g;

/** IBANs, printed compact or in groups of four: the longest run from a country code that passes mod 97. */
export function findIbans(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(IBAN_START)) {
    let compact = '';
    const endAtLength: number[] = [];
    for (let i = match.index; i < text.length && compact.length < 34; i++) {
      const char = text[i] ?? '';
      if (/[A-Za-z0-9]/.test(char)) {
        compact += char;
        endAtLength[compact.length] = i + 1;
      } else if (char === ' ' && /[A-Za-z0-9]/.test(text[i + 1] ?? '') && text[i - 1] !== ' ') {
        continue;
      } else {
        break;
      }
    }
    for (let length = compact.length; length >= 15; length--) {
      const end = endAtLength[length];
      // The IBAN must end where a word ends, not in the middle of the next group.
      if (end === undefined || /[A-Za-z0-9]/.test(text[end] ?? '')) continue;
      if (isValidIban(compact.slice(0, length))) {
        spans.push(span(match.index, end, 'IBAN'));
        break;
      }
    }
  }
  return spans;
}

const IPV4 = /(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
// Four dotted numbers right after one of these are a version, not an address.
const VERSION_CONTEXT =
  /\b(?:(?:patch|release) notes(?: for)?|v|ver|version|versions|release|build|firmware|fw|sdk|rev|revision|patch|hotfix|(?:up|down)grad(?:e|ed|es|ing)(?:\s+(?:to|from))?|roll(?:ed|ing)?\s*back(?:\s+(?:to|from))?|rollback(?:\s+to)?)\.?\s*[:#]?\s*$/i;

export function findIpAddresses(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const match of text.matchAll(IPV4)) {
    const octets = match[0].split('.');
    if (!isIPv4(match[0]) || octets.some((octet) => octet.length > 1 && octet.startsWith('0'))) continue;
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    if (VERSION_CONTEXT.test(before)) continue;
    spans.push(span(match.index, match.index + match[0].length, 'IP_ADDRESS'));
  }
  for (const match of text.matchAll(/(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f]/g)) {
    let candidate = match[0];
    // An address followed by a sentence's colon or full stop: drop them until it parses.
    while (candidate.length > 2 && !isIPv6(candidate) && /[.:]$/.test(candidate)) candidate = candidate.slice(0, -1);
    if (!isIPv6(candidate) || (candidate.match(/:/g) ?? []).length < 2) continue;
    if (/\w/.test(text[match.index + candidate.length] ?? '')) continue;
    spans.push(span(match.index, match.index + candidate.length, 'IP_ADDRESS'));
  }
  return spans;
}

// A password may hold "#" or "?" that a URL parser would stop at; people paste such URLs all the same.
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s:/?#@"'<>]+:[^\s/@"'<>]+)@/dgi;
// `curl -u user:password`, `--user user:password`.
const CURL_USER = /(?<=\s)(?:-u|--user)[ =]["']?([^\s:"']+:[^\s"']+?)["']?(?=\s|$)/dg;

/** `user:password` in a URL or a curl command; the scheme and host stay, so the text still says what was connected to. */
export function findUrlCredentials(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const pattern of [URL_USERINFO, CURL_USER]) {
    for (const match of text.matchAll(pattern)) {
      const [start, end] = match.indices?.[1] ?? [match.index, match.index + match[0].length];
      spans.push(span(start, end, 'URL_CREDENTIALS'));
    }
  }
  return spans;
}
