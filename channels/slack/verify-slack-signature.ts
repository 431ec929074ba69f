import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../../core/errors.js';

/** Slack refuses to let an app trust a request signed more than five minutes away from its clock. */
export const SLACK_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export interface SlackSignatureInput {
  signingSecret: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: the signature covers these bytes, not a re-serialisation. */
  rawBody: Buffer;
  /** Now, in ms since the epoch (from the clock port). */
  nowMs: number;
}

/**
 * The v0 signature of a Slack request: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`).
 *
 * @example
 * computeSlackSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body) // 'v0=a2114d57…'
 */
export function computeSlackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies `X-Slack-Signature` and `X-Slack-Request-Timestamp` on a request from Slack
 * ("Verifying requests from Slack"). Throws `UnauthorizedError` (401) when the signature is missing or
 * wrong, or the timestamp is more than five minutes from now in either direction (a replayed request).
 * The comparison is constant-time.
 *
 * @example
 * verifySlackSignature({ signingSecret, headers: request.headers, rawBody: request.rawBody, nowMs: clock.now() });
 */
export function verifySlackSignature(input: SlackSignatureInput): void {
  const timestamp = header(input.headers, 'x-slack-request-timestamp');
  const signature = header(input.headers, 'x-slack-signature');
  if (!timestamp || !signature) throw new UnauthorizedError('This request is not signed by Slack (X-Slack-Signature and X-Slack-Request-Timestamp are required).');
  if (!/^\d{1,12}$/.test(timestamp)) throw new UnauthorizedError('X-Slack-Request-Timestamp is not a Unix time in seconds.');
  const ageSeconds = Math.abs(Math.floor(input.nowMs / 1000) - Number(timestamp));
  if (ageSeconds > SLACK_SIGNATURE_MAX_AGE_SECONDS) {
    throw new UnauthorizedError('The Slack request timestamp is more than five minutes from now; a replayed request is refused.');
  }
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch leaks only the length of a public format.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('The Slack signature does not match: check SLACK_SIGNING_SECRET.');
  }
}

/** One header value, whatever the case of its name and whether Node gave it as an array. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const direct = headers[name] ?? headers[Object.keys(headers).find((key) => key.toLowerCase() === name) ?? ''];
  const value = Array.isArray(direct) ? direct[0] : direct;
  return value === undefined || value === '' ? undefined : value;
}
