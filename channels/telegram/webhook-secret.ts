import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether the `X-Telegram-Bot-Api-Secret-Token` header carries the secret given to setWebhook
 * (`secret_token`). Compared in constant time over SHA-256 digests, so neither the content nor the
 * length of the secret leaks through timing. No configured secret matches nothing.
 */
export function secretTokenMatches(header: string | string[] | undefined, expected: string | undefined): boolean {
  if (!expected || typeof header !== 'string' || header === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(header), digest(expected));
}
