import { randomInt } from 'node:crypto';

/**
 * The confirmation phrase: `CONFIRM <VERB> <TARGET> <QUALIFIER>`, plus a one-time code for
 * critical actions, e.g. `CONFIRM DEPLOY SOARIX-WEB PRODUCTION` or
 * `CONFIRM REGISTER SOARIX.AI 2-YEARS 7KQ4`.
 *
 * A message confirms only if, after Unicode compatibility normalisation (NFKC), it is ASCII and,
 * with surrounding spaces trimmed, inner runs of spaces collapsed and case ignored, it is exactly
 * the expected text. Nothing else is forgiven: a Cyrillic "О", a zero for an "O", a dotless "ı"
 * (which upper-cases to "I"), an invisible character or one word more, and it does not match.
 */
export interface PhraseParts {
  verb: string;
  target: string;
  qualifier: string;
}

/** Characters a one-time code is drawn from: no 0/O, 1/I/L, so a code is never misread. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const PART = /^[A-Z0-9][A-Z0-9._@:-]*$/;

export function oneTimeCode(length = 4, random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return code;
}

/** Builds the phrase; each part is upper-cased with spaces replaced by dashes ("soarix web" → SOARIX-WEB). */
export function buildPhrase(parts: PhraseParts, code?: string): string {
  const words = [parts.verb, parts.target, parts.qualifier, ...(code ? [code] : [])].map(toPhraseWord);
  for (const word of words) {
    if (!PART.test(word)) throw new Error(`"${word}" cannot be part of a confirmation phrase`);
  }
  return ['CONFIRM', ...words].join(' ');
}

export function toPhraseWord(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toUpperCase();
}

/** What a message becomes before comparison, or undefined when it holds anything but ASCII. */
export function normalisePhrase(text: string): string | undefined {
  const compatible = text.normalize('NFKC');
  const spaced = compatible.replace(/[\t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g, ' ').trim();
  // The ASCII check comes before upper-casing: "ı".toUpperCase() is "I", "ſ" folds to "S" only through NFKC.
  if (!/^[\x20-\x7e]*$/.test(spaced)) return undefined;
  return spaced.replace(/ +/g, ' ').toUpperCase();
}

export function matchesPhrase(text: string, expected: string): boolean {
  const normalised = normalisePhrase(text);
  return normalised !== undefined && normalised === expected;
}

/**
 * Whether a message looks like an attempt at a confirmation phrase (so a near miss counts as a wrong
 * attempt rather than a new request): it starts with the word CONFIRM in any script or spacing.
 */
export function looksLikeConfirmation(text: string): boolean {
  const skeleton = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u200b-\u200d\u2060\ufeff]/g, '')
    .trim()
    .toLowerCase()
    // Common lookalikes folded to Latin, only to recognise the attempt, never to accept it.
    .replace(/[оο0]/g, 'o')
    .replace(/[сϲ]/g, 'c')
    .replace(/[іıɪ1l|]/g, 'i')
    .replace(/[ⅿм]/g, 'm');
  return /^c\s*o\s*n\s*f\s*i\s*r\s*m\b/.test(skeleton);
}

/**
 * Whether a message contains the phrase somewhere (case and spacing aside): "ok CONFIRM DELETE
 * TASK 1" is an attempt at confirming that falls short, not a new request.
 */
export function mentionsPhrase(text: string, expected: string): boolean {
  return text.normalize('NFKC').replace(/\s+/g, ' ').toUpperCase().includes(expected);
}
