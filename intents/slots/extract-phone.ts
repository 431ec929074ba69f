import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

export interface PhoneOptions {
  /**
   * ISO 3166 region for numbers written without a country code ("07911 123456" with "GB").
   * Without it only international numbers ("+44 …", "0044 …") are accepted: a national number
   * means nothing until we know whose nation.
   */
  defaultCountry?: string;
}

// A run of digits with the separators people type: spaces, dashes, dots, brackets. Slashes and
// commas are left out on purpose ("24/10/2026", "1,200" are never phone numbers).
const CANDIDATE = /(?:\+\s?|\(\s?)?\d[\d\s().-]{4,28}\d\)?/g;

// Shapes that are made of digits and separators but are something else.
const NOT_PHONES = [
  /^\d{4}[-.]\d{1,2}[-.]\d{1,2}$/, // ISO dates
  /^\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$/, // day-month-year dates
  /^\d{1,3}(?:\.\d{1,3}){3}$/, // IPv4 addresses
  /^\d{1,3}\.\d{1,3}\.\d{1,3}$/, // versions
  /^\d{1,2}[.:]\d{2}\s?-\s?\d{1,2}[.:]\d{2}$/, // time ranges
];

/**
 * Every valid phone number in `text`, as E.164 ("+447911123456"), first mention first, each once.
 * Validation uses libphonenumber's full metadata, so dates, amounts and build numbers that happen
 * to be long strings of digits do not pass.
 */
export function findPhones(text: string, options: PhoneOptions = {}): SlotMatch<string>[] {
  return safely(() => {
    const prepared = prepareText(text);
    const country = options.defaultCountry?.toUpperCase();
    const region = country && isSupportedCountry(country) ? (country as CountryCode) : undefined;
    const found: SlotMatch<string>[] = [];
    for (const match of prepared.matchAll(CANDIDATE)) {
      const before = prepared[match.index - 1] ?? ' ';
      const after = prepared[match.index + match[0].length] ?? ' ';
      // Part of a longer token: an amount ("$1200"), a build number ("#4212345"), a hash, a word.
      if (/[\p{L}\p{N}_#$€£¥₹.,/:@+-]/u.test(before) || /[\p{L}\p{N}_%€$£/]/u.test(after)) continue;
      const phone = parseCandidate(match[0], region);
      if (!phone || found.some((f) => f.value === phone.value)) continue;
      found.push({ value: phone.value, spans: [{ start: match.index, end: match.index + phone.length }] });
    }
    return found;
  }, []);
}

/**
 * The first phone number in `text`, as E.164.
 *
 * @example
 * extractPhone('call Jane on +44 7911 123456') // → '+447911123456'
 * extractPhone('call Jane on 07911 123456', { defaultCountry: 'GB' }) // → '+447911123456'
 * extractPhone('call Jane on 07911 123456') // → undefined (no country to read it in)
 */
export function extractPhone(text: string, options: PhoneOptions = {}): string | undefined {
  return findPhones(text, options)[0]?.value;
}

/**
 * The longest prefix of the candidate that is a valid number: "+44 7911 123456 2" (a number
 * followed by another figure) still yields the phone number.
 */
function parseCandidate(candidate: string, region: CountryCode | undefined): { value: string; length: number } | undefined {
  let text = candidate.trimEnd();
  while (text.replace(/\D/g, '').length >= 7) {
    const value = parseOne(text, region);
    if (value) return { value, length: text.length };
    const lastGap = text.search(/\s\S*$/);
    if (lastGap <= 0) break;
    text = text.slice(0, lastGap).trimEnd();
  }
  return undefined;
}

function parseOne(text: string, region: CountryCode | undefined): string | undefined {
  const compact = text.replace(/[\s().-]/g, '');
  if (NOT_PHONES.some((shape) => shape.test(text.trim()))) return undefined;
  const digits = compact.replace(/^\+/, '');
  if (!/^\d{7,15}$/.test(digits)) return undefined;
  // "00" is the international prefix in most of the world: "0044 7911 123456" is "+44 7911 123456".
  const international = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : undefined;
  const parsed = international
    ? parsePhoneNumberFromString(international)
    : region
      ? parsePhoneNumberFromString(compact, region)
      : undefined;
  return parsed?.isValid() ? parsed.number : undefined;
}
