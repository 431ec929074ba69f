import { NUMBER_WORD_PATTERN, parseSmallNumber } from './number-words.js';
import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

/** Registries sell 1 to 10 years; anything else is not a registration period. */
export const MIN_REGISTRATION_YEARS = 1;
export const MAX_REGISTRATION_YEARS = 10;

const YEARS = new RegExp(
  String.raw`(?<![\p{L}\p{N}.])(\d{1,3}|${NUMBER_WORD_PATTERN}|(?:twenty|thirty|forty|fifty)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|an?|a\s+single|a\s+couple\s+of)\s*-?\s*(?:years?|yrs?|y)(?![\p{L}\p{N}])`,
  'giu',
);
/** "renew annually", "yearly plan": one year. */
const ONE_YEAR = /(?<![\p{L}])(?:annual(?:ly)?|yearly|per\s+year|a\s+year)(?![\p{L}])/iu;
/** "2 years ago" is a date in the past, not a period. */
const AGO = /^\s*(?:ago|back|old)\b/iu;

/**
 * A number of years ("for 2 years", "two years", "a year", "3-year", "5yr"), for domain
 * registration. Only 1-10 count: "for 20 years" returns undefined so the dialog asks instead
 * of a registrar error later.
 *
 * @example
 * extractYears('register acme.com for two years') // → 2
 */
export function extractYears(text: string): number | undefined {
  return findYears(text)?.value;
}

export function findYears(text: string): SlotMatch<number> | undefined {
  return safely(() => {
    const prepared = prepareText(text);
    for (const match of prepared.matchAll(YEARS)) {
      const end = match.index + match[0].length;
      if (AGO.test(prepared.slice(end, end + 10))) continue;
      const quantity = match[1]!.toLowerCase().replace(/\s+/g, ' ');
      const years = /^an?$|^a single$/.test(quantity) ? 1 : quantity === 'a couple of' ? 2 : parseSmallNumber(quantity.replace(' ', '-'));
      if (years === undefined) continue;
      if (years < MIN_REGISTRATION_YEARS || years > MAX_REGISTRATION_YEARS) return undefined;
      return { value: years, spans: [{ start: match.index, end }] };
    }
    const annual = ONE_YEAR.exec(prepared);
    return annual ? { value: 1, spans: [{ start: annual.index, end: annual.index + annual[0].length }] } : undefined;
  }, undefined);
}
