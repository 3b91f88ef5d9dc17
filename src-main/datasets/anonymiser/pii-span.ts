/** The kinds of personal or secret data the anonymiser finds (issue 8, §4). */
export type PiiType =
  | 'EMAIL'
  | 'PHONE'
  | 'CREDIT_CARD'
  | 'IBAN'
  | 'IP_ADDRESS'
  | 'SECRET'
  | 'URL_CREDENTIALS'
  | 'PERSON'
  | 'ADDRESS'
  | 'COMPANY';

/** Every PII type, in the order reports list them. */
export const PII_TYPES: readonly PiiType[] = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'IP_ADDRESS',
  'SECRET',
  'URL_CREDENTIALS',
  'PERSON',
  'ADDRESS',
  'COMPANY',
];

/** Types found by checksummed or exactly-shaped patterns; the rest come from NER, context and the company table. */
export const STRUCTURED_PII_TYPES: readonly PiiType[] = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'IP_ADDRESS', 'SECRET', 'URL_CREDENTIALS'];

/** One piece of PII: `start`/`end` are offsets into the input text, in UTF-16 code units, `end` exclusive. */
export interface PiiSpan {
  start: number;
  end: number;
  type: PiiType;
}

/** A detector's answer for one text. */
export type PiiDetector = (text: string) => PiiSpan[];
