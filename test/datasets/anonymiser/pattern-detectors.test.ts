import { describe, expect, it } from 'vitest';
import { findCreditCards, findEmails, findIbans, findIpAddresses, findPhones, findUrlCredentials } from '../../../src-main/datasets/anonymiser/pattern-detectors';
import type { PiiSpan } from '../../../src-main/datasets/anonymiser/anonymiser';

/**
 * The text of each span, in text order; a detector may report one value twice (two phone shapes match
 * the same number) before the resolver merges them, so duplicates count once.
 */
function found(text: string, detector: (text: string) => PiiSpan[]): string[] {
  const spans = [...detector(text)].sort((a, b) => a.start - b.start);
  return [...new Set(spans.map((span) => `${span.start}:${span.end}`))].map((key) => {
    const [start, end] = key.split(':').map(Number);
    return text.slice(start, end);
  });
}

describe('findEmails', () => {
  it('finds addresses with subdomains, plus signs and dots, without the sentence punctuation', () => {
    expect(found('Mail m.rossi+billing@eu.northwind-traders.com. Or ops@hooli.io!', findEmails)).toEqual(['m.rossi+billing@eu.northwind-traders.com', 'ops@hooli.io']);
  });

  it('leaves the password@host of a URL to the URL credentials detector', () => {
    expect(found('postgres://admin:s3cret@db.example.com/app', findEmails)).toEqual([]);
  });
});

describe('findPhones', () => {
  it('finds international, North American and national formats', () => {
    const text = 'Call +44 (0)20 7946 0958, (415) 555-0132, 415.555.0199, 020 7946 0321, +49 151 23456789 or 06 12 34 56 78.';
    expect(found(text, findPhones)).toEqual(['+44 (0)20 7946 0958', '(415) 555-0132', '415.555.0199', '020 7946 0321', '+49 151 23456789', '06 12 34 56 78']);
  });

  it('finds a bare number after "call me at" and the like', () => {
    expect(found('please call me at 5551234 tomorrow', findPhones)).toEqual(['5551234']);
  });

  it('leaves dates, times, ISBNs, order and account numbers alone', () => {
    const text = 'Order ORD-2024-118834 of 2024-03-15 at 14:32:05, ISBN 978-3-16-148410-0, account number 12345678, SKU 4471-220-9910.';
    expect(found(text, findPhones)).toEqual([]);
  });

  it('does not read the groups of a card or IBAN that failed its checksum as a phone number', () => {
    expect(found('Card 5500 0000 0000 0005 and IBAN DE89 3704 0044 0532 0130 01', findPhones)).toEqual([]);
  });
});

describe('findCreditCards', () => {
  it('finds Luhn-valid numbers of the card networks, grouped or not', () => {
    const text = 'Visa 4111 1111 1111 1111, Amex 3782-822463-10005, Mastercard 5555555555554444.';
    expect(found(text, findCreditCards)).toEqual(['4111 1111 1111 1111', '3782-822463-10005', '5555555555554444']);
  });

  it('refuses numbers failing Luhn, of the wrong length for their network, or with mixed separators', () => {
    expect(found('4111 1111 1111 1112, 3782 8224 6310 0051 2, 4111-1111 1111-1111', findCreditCards)).toEqual([]);
  });
});

describe('findIbans', () => {
  it('finds IBANs compact or in groups of four, and stops where the IBAN ends', () => {
    const text = 'Pay DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432 before Friday.';
    expect(found(text, findIbans)).toEqual(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432']);
  });

  it('refuses IBAN-shaped strings failing mod 97', () => {
    expect(found('DE89 3704 0044 0532 0130 01 and GB00 NWBK 6016 1331 9268 19', findIbans)).toEqual([]);
  });
});

describe('findIpAddresses', () => {
  it('finds valid IPv4 and IPv6 addresses, without a port or the full stop after them', () => {
    const text = 'From 203.0.113.7:8443 and 2001:db8:85a3::8a2e:370:7334, then fe80::1. Also ::1.';
    expect(found(text, findIpAddresses)).toEqual(['203.0.113.7', '2001:db8:85a3::8a2e:370:7334', 'fe80::1', '::1']);
  });

  it('leaves version numbers, out-of-range octets, OIDs, MAC addresses and times alone', () => {
    const text = 'Version 10.2.0.1, build 4.18.2.17, v1.2.3.4, rolled back to 6.1.9.3, 256.1.1.1, OID 1.3.6.1.4.1, MAC 00:1A:2B:3C:4D:5E at 12:30:45.';
    expect(found(text, findIpAddresses)).toEqual([]);
  });
});

describe('findUrlCredentials', () => {
  it('finds user:password in URLs and curl -u, keeping the scheme and host', () => {
    const text = 'mysql://admin:hunter2!@10.1.2.3/crm, sftp://backup:8Hq#mZ2w@files.example.org and curl -u api:K3y!2024 https://x.example';
    expect(found(text, findUrlCredentials)).toEqual(['admin:hunter2!', 'backup:8Hq#mZ2w', 'api:K3y!2024']);
  });

  it('does not take a user without a password for credentials', () => {
    expect(found('https://git@github.com/org/repo and mailto:bob@example.com', findUrlCredentials)).toEqual([]);
  });
});
