/**
 * The sandbox registrar's price list: deterministic, so a conversation and a test see the same numbers.
 * Prices in US cents, first year and renewal, roughly what registrars charge. A name of one to three
 * characters is premium (ten times the price); the names below are taken, as they are in the real world.
 */
const PRICES: Record<string, { first: number; renewal: number }> = {
  com: { first: 1_099, renewal: 1_199 },
  net: { first: 1_199, renewal: 1_299 },
  org: { first: 999, renewal: 1_149 },
  io: { first: 3_499, renewal: 4_999 },
  ai: { first: 7_000, renewal: 7_000 },
  dev: { first: 1_299, renewal: 1_299 },
  app: { first: 1_399, renewal: 1_399 },
  co: { first: 1_099, renewal: 2_599 },
  'co.uk': { first: 699, renewal: 699 },
  uk: { first: 699, renewal: 699 },
  de: { first: 599, renewal: 599 },
  shop: { first: 199, renewal: 3_299 },
  xyz: { first: 199, renewal: 1_299 },
};
const OTHER = { first: 1_499, renewal: 1_999 };

export const SANDBOX_TAKEN = new Set([
  'example.com',
  'example.net',
  'example.org',
  'google.com',
  'acme.com',
  'globex.com',
  'initech.com',
  'soarix.ai',
  'github.com',
  'porkbun.com',
]);

export function sandboxPrice(domain: string, suffix: string): { priceCents: number; renewalCents: number; premium: boolean } {
  const base = PRICES[suffix] ?? OTHER;
  const label = domain.slice(0, -(suffix.length + 1));
  const premium = label.length <= 3;
  return premium ? { priceCents: base.first * 10, renewalCents: base.renewal * 10, premium } : { priceCents: base.first, renewalCents: base.renewal, premium };
}
