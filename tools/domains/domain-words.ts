import type { DomainQuote } from './ports.js';

/** "$10.99", or "10.99 EUR" for another currency. */
export function money(cents: number, currency = 'USD'): string {
  const amount = (cents / 100).toFixed(2);
  return currency === 'USD' ? `$${amount}` : `${amount} ${currency}`;
}

/** "3 Mar 2027" in the person's time zone; the registry's text when it is not a date. */
export function day(iso: string, timezone = 'UTC'): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: timezone }).format(at);
  } catch {
    return new Date(at).toISOString().slice(0, 10);
  }
}

export function years(n: number): string {
  return `${n} year${n === 1 ? '' : 's'}`;
}

/** "$10.99 for the first year, then $11.99 a year" (+ premium). */
export function describePrice(quote: Pick<DomainQuote, 'priceCents' | 'renewalCents' | 'currency' | 'premium'>): string {
  const first = money(quote.priceCents, quote.currency);
  const renewal = quote.renewalCents === quote.priceCents ? `${first} a year` : `${first} for the first year, then ${money(quote.renewalCents, quote.currency)} a year`;
  return quote.premium ? `${renewal} (a premium name: the registry sets a higher price)` : renewal;
}
