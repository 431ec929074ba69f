import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * One spelling per phone number: E.164 (`+14155550100`), so "+1 415 555 0100", "(415) 555-0100" and
 * "001 415 555 0100" are the same contact. Numbers without a country code are read in `defaultCountry`
 * (CRM_DEFAULT_COUNTRY). Undefined when the text is not a possible number.
 */
export function normalisePhone(raw: string | null | undefined, defaultCountry: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(text, defaultCountry.toUpperCase() as CountryCode);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** "+1 415 555 0100" for people reading it; the stored E.164 when it cannot be formatted. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** The national significant digits of an E.164 number (+14155550100 → 4155550100): how people type it at home. */
export function nationalDigits(e164: string): string {
  return parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/\D/g, '');
}
