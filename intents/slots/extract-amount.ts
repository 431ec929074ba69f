import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

/** A sum of money as said in a message. */
export interface Amount {
  /** The numeric value, multipliers applied: "5k" → 5000, "1.2m" → 1200000. */
  value: number;
  /** ISO 4217 code when the message says one ("$" → USD, "£" → GBP, "€" → EUR). */
  currency?: string;
  /** The text it was read from, e.g. "$1,200". */
  text: string;
}

const SYMBOLS: Readonly<Record<string, string>> = {
  $: 'USD',
  us$: 'USD',
  a$: 'AUD',
  au$: 'AUD',
  c$: 'CAD',
  ca$: 'CAD',
  nz$: 'NZD',
  r$: 'BRL',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  'chf': 'CHF',
};
const CODES = ['USD', 'EUR', 'GBP', 'INR', 'AUD', 'CAD', 'NZD', 'BRL', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'ZAR', 'SGD', 'AED'];
const WORDS: Readonly<Record<string, string>> = {
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  quid: 'GBP',
  rupee: 'INR',
  rupees: 'INR',
  reais: 'BRL',
  real: 'BRL',
};
const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1_000,
  thousand: 1_000,
  grand: 1_000,
  m: 1_000_000,
  mm: 1_000_000,
  mn: 1_000_000,
  million: 1_000_000,
  bn: 1_000_000_000,
  b: 1_000_000_000,
  billion: 1_000_000_000,
  lakh: 100_000,
  lakhs: 100_000,
  crore: 10_000_000,
};

// 1,200 · 1,200.50 · 1.200,50 · 1200.50 · 2.5 · 2,5
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?`;
/** Currencies whose users write "1.500,00": there a dot followed by three digits groups thousands. */
const DOT_GROUPING = new Set(['EUR', 'BRL', 'CHF', 'DKK', 'NOK', 'SEK']);
const MULTIPLIER = String.raw`k|thousand|grand|mm|mn|m|million|bn|b|billion|lakhs?|crore`;
const SYMBOL = String.raw`us\$|a\$|au\$|c\$|ca\$|nz\$|r\$|\$|€|£|¥|₹|₩`;
const AMOUNT = new RegExp(
  String.raw`(?<![\p{L}\p{N}#.,])(?:` +
    // $1,200 · €300 · £2.5k · USD 5000 · chf 300
    String.raw`(${SYMBOL}|(?:${CODES.join('|')}|chf)(?=\s?\d))\s?(${NUMBER})(?:\s?(${MULTIPLIER})(?![\p{L}]))?` +
    // 300 euros · 5000 USD · 1.2m EUR · 2k dollars · 300€
    String.raw`|(${NUMBER})(?:\s?(${MULTIPLIER}))?\s?(${CODES.join('|')}|${Object.keys(WORDS).join('|')}|€|£|\$)(?![\p{L}])` +
    // 5k · 1.2m (a multiplier alone makes a number an amount in a deal context; "m" alone is too
    // ambiguous with minutes and metres, so only k/grand/thousand/million/bn)
    String.raw`|(${NUMBER})\s?(k|grand|thousand|million|bn)(?![\p{L}\p{N}])` +
    String.raw`)`,
  'giu',
);

/**
 * Every money amount in `text`, in order. Plain numbers without a currency or a multiplier are
 * not amounts ("build 42", "2 years").
 */
export function findAmounts(text: string): SlotMatch<Amount>[] {
  return safely(() => {
    const prepared = prepareText(text);
    const found: SlotMatch<Amount>[] = [];
    for (const match of prepared.matchAll(AMOUNT)) {
      const [whole, prefix, prefixNumber, prefixMultiplier, suffixNumber, suffixMultiplier, suffix, bareNumber, bareMultiplier] =
        match;
      const number = prefixNumber ?? suffixNumber ?? bareNumber;
      if (!number) continue;
      const multiplier = (prefixMultiplier ?? suffixMultiplier ?? bareMultiplier ?? '').toLowerCase();
      const currency = currencyOf(prefix ?? suffix);
      const value = parseLocalisedNumber(number, currency) * (MULTIPLIERS[multiplier] ?? 1);
      if (!Number.isFinite(value)) continue;
      const amount: Amount = { value: Math.round(value * 100) / 100, text: whole.trim() };
      if (currency) amount.currency = currency;
      found.push({ value: amount, spans: [{ start: match.index, end: match.index + whole.length }] });
    }
    return found;
  }, []);
}

/**
 * The first money amount in `text`, e.g. for a deal's value. `Slots` has no amount field, so the
 * deal flow reads it with this function (and `extractSlots` copies it into `note`).
 *
 * @example
 * extractAmount('Acme deal is worth $1,200') // → { value: 1200, currency: 'USD', text: '$1,200' }
 * extractAmount('budget 5k') // → { value: 5000, text: '5k' }
 */
export function extractAmount(text: string): Amount | undefined {
  return findAmounts(text)[0]?.value;
}

/** "1,200.50" and "1.200,50" both → 1200.5; "1.500" is 1500 only in a dot-grouping currency. */
function parseLocalisedNumber(number: string, currency: string | undefined): number {
  const lastDot = number.lastIndexOf('.');
  const lastComma = number.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const grouping = decimal === '.' ? ',' : '.';
    return Number(number.split(grouping).join('').replace(decimal, '.'));
  }
  if (lastComma >= 0) {
    // "1,200" groups thousands; "2,5" is a decimal comma.
    return /^\d{1,3}(?:,\d{3})+$/.test(number) ? Number(number.replace(/,/g, '')) : Number(number.replace(',', '.'));
  }
  if (/^\d{1,3}(?:\.\d{3})+$/.test(number) && (number.split('.').length > 2 || (currency && DOT_GROUPING.has(currency)))) {
    return Number(number.replace(/\./g, ''));
  }
  return Number(number);
}

function currencyOf(marker: string | undefined): string | undefined {
  if (!marker) return undefined;
  const lower = marker.toLowerCase();
  return SYMBOLS[lower] ?? WORDS[lower] ?? (CODES.includes(marker.toUpperCase()) ? marker.toUpperCase() : undefined);
}
