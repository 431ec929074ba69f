/**
 * Light, language-neutral text normalisation shared by training and classification: Unicode
 * compatibility folding, lower case, English contractions expanded, digits folded to `0` (so
 * "5 minutes" and "15 minutes" share features), and tokens made of letters and digits only.
 */

/**
 * Only this many characters of a message are looked at. Intents are decided in the first
 * sentences; capping keeps a 100 KB paste as fast as a short message.
 */
export const MAX_INPUT_CHARS = 2_000;

const CONTRACTIONS: readonly [RegExp, string][] = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bain't\b/g, 'is not'],
  [/\blet's\b/g, 'let us'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
  [/\b(it|that|what|where|who|how|there|here|he|she|when|why)'s\b/g, '$1 is'],
];

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Normalises `text` and splits it into word tokens (possibly none). */
export function tokenize(text: string): string[] {
  let normal = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  normal = normal.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'");
  if (normal.includes("'")) {
    for (const [pattern, replacement] of CONTRACTIONS) normal = normal.replace(pattern, replacement);
    // A remaining apostrophe is possessive or a typo ("johns", "dont"): join the two halves.
    normal = normal.replace(/'/g, '');
  }
  normal = normal.replace(/\p{Nd}/gu, '0');
  return normal.match(TOKEN) ?? [];
}
