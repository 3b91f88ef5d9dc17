/**
 * ADDRESS: street addresses by their shape (a house number and a street type, in English, German, Dutch,
 * Nordic and Romance orders), with what follows them on the same line (suite or flat, city, state, postcode,
 * country; the city checked with compromise's places() where it is not written with a postcode), P.O. boxes,
 * and UK postcodes, which are specific enough alone.
 */
import type { ParsedText } from './compromise-doc';
import type { PiiSpan } from './pii-span';

const CAP = "[\\p{Lu}\\d][\\p{L}\\d'’.\\-]*";
const STREET_TYPE =
  '(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Parkway|Pkwy|Terrace|Terr|Close|Square|Sq|Highway|Hwy|Crescent|Cres|Row|Mews|Gardens|Grove|Hill|Circle|Cir|Trail|Trl|Alley|Plaza|Quay|Wharf|Walk|Park|Loop|Pike|Freeway|Expressway|Broadway|View|Rise|Green|Heights|Vale|Marg|Nagar)';
const UNIT_FIRST = '(?:(?:Unit|Suite|Flat|Apt|Apartment)\\.?[ \\t]*#?\\w{1,5},?[ \\t]+)';
const UNIT = '(?:,?[ \\t]*(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Flat|Room|Rm|Building|Bldg|Level|Dept|#)\\.?[ \\t]*#?[\\w-]+)';
// "CA 94043", "NY 10118-0110", "ON K1N 9J7"
const US_STATE_ZIP = '(?:,?[ \\t]+[A-Z]{2}[ \\t]+(?:\\d{5}(?:-\\d{4})?|[A-Z]\\d[A-Z][ \\t]?\\d[A-Z]\\d))';
const UK_POSTCODE = '(?:[A-Z]{1,2}\\d[A-Z\\d]?[ \\t]?\\d[A-Z]{2})';
const CA_POSTCODE = '(?:[A-Z]\\d[A-Z][ \\t]?\\d[A-Z]\\d)';
// Irish Eircode ("T12 X8N2", "D02 AF30").
const EIRCODE = '(?:[A-Z]\\d[\\dW][ \\t]?[A-Z\\d]{4})';
// "10115 Berlin", "75008 Paris", "1012 AB Amsterdam", "SE-114 55 Stockholm", "1100-053 Lisboa", "00-514 Warszawa"
const POSTCODE_CITY = `(?:(?:[A-Z]{1,2}-)?(?:\\d{4}-\\d{3}|\\d{2}-\\d{3}|\\d{3,5}(?:[ \\t]?\\d{2}|[ \\t]?[A-Z]{2}(?![\\p{L}]))?)[ \\t]+\\p{Lu}[\\p{L}'’\\-]+(?:[ \\t]+\\p{Lu}[\\p{L}'’\\-]+)?)`;
// A city, with a postcode after it where the country writes it so ("Bengaluru 560001").
// Written with lower-case letters after the first, so an acronym after the address ("IBAN") is not a city.
const CITY = "(?:\\p{Lu}[\\p{Ll}'’.\\-][\\p{L}'’.\\-]*(?:[ \\t]+\\p{Lu}[\\p{Ll}'’.\\-][\\p{L}'’.\\-]*){0,2}(?:[ \\t]+\\d{5,6}(?!\\d))?)";

/** What may follow a street on the same line: unit, then city / state / postcode / country, comma-separated. */
const TAIL = `(?:${UNIT}?(?:(?:,[ \\t]*|[ \\t]+)(?:${POSTCODE_CITY}|${UK_POSTCODE}|${EIRCODE}|${CA_POSTCODE}|${CITY})${US_STATE_ZIP}?){0,3}${US_STATE_ZIP}?)`;

const STREET_SHAPES: readonly RegExp[] = [
  // "1600 Amphitheatre Parkway", "221B Baker Street", "12-14 Old Kent Rd.", "Unit 9, 250 Industrial Way", "15 Kingsway"
  new RegExp(
    `(?<![\\w.\\-])(?:${UNIT_FIRST})?\\d{1,5}[A-Za-z]?(?:[\\-–]\\d{1,5}[A-Za-z]?)?,?[ \\t]+(?:(?:${CAP}[ \\t]+){0,4}${STREET_TYPE}\\b\\.?|\\p{Lu}\\p{Ll}+way\\b)(?![ \\t]*\\d)${TAIL}`,
    'gu',
  ),
  // "Mariahilfer Straße 77", "Karl Johans gate 1"
  new RegExp(`(?<![\\p{L}])\\p{Lu}[\\p{L}\\-]+[ \\t]+(?:Straße|Strasse|Str\\.|Gasse|Platz|Allee|Weg|Ring|gate|gata|vej)[ \\t]+\\d{1,4}[a-z]?(?!\\d)${TAIL}`, 'gu'),
  // "Hauptstraße 5", "Keizersgracht 123", "Drottninggatan 53", "Karl Johans gate 1"
  new RegExp(
    `(?<![\\p{L}])\\p{Lu}[\\p{L}\\-]*(?:straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|laan|straat|gracht|plein|kade|vej|gade|gatan|gata|vägen|veien|gate|tie|katu)[ \\t]+\\d{1,4}[a-z]?(?:[\\-–]\\d{1,4})?(?!\\d)${TAIL}`,
    'gu',
  ),
  // "12 rue de la Paix", "Calle de Alcalá 45", "Via Roma 10", "Avenida Paulista, 1578"
  new RegExp(
    `(?<![\\p{L}\\d])(?:\\d{1,4}(?:[ \\t]?(?:bis|ter))?,?[ \\t]+)?(?:rue|Rue|avenue|Avenue|boulevard|Boulevard|bd|Bd|place|Place|chemin|Chemin|allée|Allée|impasse|Impasse|quai|Quai|Calle|calle|Avenida|avenida|Av\\.|Paseo|Plaza|Carrer|Via|via|Viale|viale|Piazza|piazza|Corso|Rua|rua|Praça|Travessa|ul\\.|ulica|al\\.|aleja)[ \\t]+(?:(?:de|du|des|la|le|les|del|della|dei|di|da|dos|das|do|l'|d')[ \\t]*)*\\p{Lu}[\\p{L}'’\\-]+(?:[ \\t]+(?:(?:de|du|des|la|le|del|della|di|da|dos|das)[ \\t]+)*\\p{Lu}[\\p{L}'’\\-]+){0,3}(?:,?[ \\t]+\\d{1,4}[a-z]?(?!\\d))?${TAIL}`,
    'gu',
  ),
  /\bP\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6}\b/giu,
];

// Standalone UK postcodes: their letter-digit shape does not occur in ordinary text.
const STANDALONE_UK_POSTCODE = /(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}(?![\w-])/g;

/** Words that end an address's city or state run when the pattern reaches past them. */
const NOT_PLACE_WORDS = /^(?:Please|Thanks|Thank|Regards|The|This|That|It|We|I|You|Our|Your|Can|Could|Call|Ship|Send|Deliver|And|But|Or)$/;

function trimTail(text: string, start: number, end: number): number {
  let value = text.slice(start, end);
  // Cut the run at a word that starts a new sentence rather than continuing the address.
  const words = value.split(/([ \t,]+)/);
  let kept = '';
  for (const part of words) {
    if (NOT_PLACE_WORDS.test(part)) break;
    kept += part;
  }
  value = kept.replace(/[ \t,]+$/, '');
  return start + value.length;
}

/** Extends an address over a following ", <place>" that compromise knows (a city, region or country). */
function extendOverPlaces(text: string, span: PiiSpan, places: ReadonlyArray<{ start: number; end: number }>): PiiSpan {
  let end = span.end;
  for (const place of places) {
    if (place.start < end) continue;
    if (!/^[ \t]*,?[ \t]*$/.test(text.slice(end, place.start))) break;
    end = place.end;
  }
  return { ...span, end };
}

export function findAddresses(text: string, parsed: ParsedText): PiiSpan[] {
  const places = parsed
    .places()
    .map((terms) => ({ start: terms[0]?.offset.start ?? 0, end: (terms.at(-1)?.offset.start ?? 0) + (terms.at(-1)?.offset.length ?? 0) }))
    .sort((a, b) => a.start - b.start);
  const spans: PiiSpan[] = [];
  for (const shape of STREET_SHAPES) {
    for (const match of text.matchAll(shape)) {
      const end = trimTail(text, match.index, match.index + match[0].length);
      spans.push(extendOverPlaces(text, { start: match.index, end, type: 'ADDRESS' }, places));
    }
  }
  for (const match of text.matchAll(STANDALONE_UK_POSTCODE)) spans.push({ start: match.index, end: match.index + match[0].length, type: 'ADDRESS' });
  return spans;
}
