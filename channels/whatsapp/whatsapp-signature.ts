import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Meta signs every webhook POST with: `sha256=<hex HMAC-SHA256 of the raw body, keyed by the App Secret>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * The `X-Hub-Signature-256` value Meta sends with a body, as Meta computes it: over the exact bytes
 * sent (never a re-serialisation of parsed JSON, whose escaping of `/` or non-ASCII would differ).
 *
 * @example
 * signWebhookBody(Buffer.from('{"object":"whatsapp_business_account"}'), appSecret); // 'sha256=9f…'
 */
export function signWebhookBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Whether `header` is a valid signature of `rawBody`. The comparison takes the same time however
 * many leading characters match, so a forger learns nothing from timing.
 */
export function verifyWebhookSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? SIGNATURE_FORMAT.exec(value.trim()) : null;
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!.toLowerCase(), 'hex'), expected);
}

/**
 * Compares two secrets in constant time. Both are hashed first so that inputs of different lengths
 * are compared without revealing the expected length.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHmac('sha256', 'switchboard-secret-compare').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
