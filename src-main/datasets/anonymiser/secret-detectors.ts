/**
 * API keys, tokens and private keys, by the prefixes their issuers give them, plus the few secrets that only
 * context gives away (an AWS secret key, a password "is …"). The whole token is the span.
 */
import type { PiiSpan } from './pii-span';

// A token ends where its alphabet ends; it must not start in the middle of a longer word either.
const TOKEN_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{20,}/g,
  // OpenAI / Anthropic-style keys, including project (sk-proj-…) and service-account keys.
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g,
  // AWS access key ids (long-term AKIA, temporary ASIA, and the other IAM unique-id prefixes).
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,}/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/g,
  /(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9_])xox[abposre]-[A-Za-z0-9-]{10,}/g,
  /https:\/\/hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]+/g,
  /(?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  // Stripe secret, restricted and webhook-signing keys (publishable pk_ keys are meant to be public).
  /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g,
  /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{20,}/g,
  /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
  /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g,
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
];

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** A JWT is three base64url parts whose first decodes to a JSON object (the header). */
function isJwt(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded);
  } catch {
    return false;
  }
}

// Secrets with no prefix of their own, found by what precedes them; group 1 is the secret.
const CONTEXT_PATTERNS: readonly RegExp[] = [
  // An AWS secret access key: 40 characters of base64 after its name.
  /\b(?:aws[_ ]?)?secret[_ ]?(?:access[_ ]?)?key(?:[_ ]?id)?\b["']?\s*(?:[:=]|is|was)?\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
  // "password: …", "password for the shared kiosk account is …"
  /\b(?:password|passwd|passphrase|passcode|pwd|pin)\b(?:\s+(?:for|of|on)\s+[\w' -]{1,40}?)?["']?\s*(?:[:=]|is|was|to)\s*["'“]?([^\s"'”]{4,64}?)["'”]?(?=[\s,;)]|[.!?](?:\s|$)|$)/dgi,
  /\b(?:api[_ -]?key|api[_ -]?token|access[_ -]?token|auth[_ -]?token|client[_ -]?secret|token|secret)\b["']?\s*(?:[:=]|is|was)\s*["']?([A-Za-z0-9_\-./+=]{16,})/dgi,
  /\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)/dg,
];

/** A context match is a secret only when it looks like one: not a plain word ("the password is expired"). */
function looksSecret(value: string): boolean {
  return /\d/.test(value) || /[^A-Za-z]/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value));
}

export function findSecrets(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const pattern of TOKEN_PATTERNS) {
    for (const match of text.matchAll(pattern)) spans.push({ start: match.index, end: match.index + match[0].length, type: 'SECRET' });
  }
  for (const match of text.matchAll(JWT)) {
    if (isJwt(match[0])) spans.push({ start: match.index, end: match.index + match[0].length, type: 'SECRET' });
  }
  for (const pattern of CONTEXT_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const indices = match.indices?.[1];
      const value = match[1];
      if (!indices || value === undefined || !looksSecret(value)) continue;
      spans.push({ start: indices[0], end: indices[1], type: 'SECRET' });
    }
  }
  return spans;
}
