import { createHmac } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';
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
 * The v0 signature of a Slack request (what Slack sends; tests and the Slack fake sign with it, the
 * adapter verifies with Bolt): `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`).
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
 * ("Verifying requests from Slack") with Bolt's own `verifySlackRequest`, given the injected clock
 * (`nowMilliseconds`). Throws `UnauthorizedError` (401) when the signature is missing or wrong, or the
 * timestamp is more than five minutes from now in either direction (a replayed request).
 *
 * Bolt does the HMAC and its constant-time comparison; two checks stay here because Bolt leaves them
 * out: the headers must be present and the timestamp whole seconds (Bolt reads `undefined` as a crash
 * and `1.5` as a time), and a timestamp from the future is refused too (Bolt checks only the past).
 * Bolt signs the body as a string, so a body that is not valid UTF-8 never verifies (Slack sends UTF-8).
 *
 * @example
 * verifySlackSignature({ signingSecret, headers: request.headers, rawBody: request.rawBody, nowMs: clock.now() });
 */
export function verifySlackSignature(input: SlackSignatureInput): void {
  const timestamp = header(input.headers, 'x-slack-request-timestamp');
  const signature = header(input.headers, 'x-slack-signature');
  if (!timestamp || !signature) throw new UnauthorizedError('This request is not signed by Slack (X-Slack-Signature and X-Slack-Request-Timestamp are required).');
  if (!/^\d{1,12}$/.test(timestamp)) throw new UnauthorizedError('X-Slack-Request-Timestamp is not a Unix time in seconds.');
  if (Number(timestamp) - Math.floor(input.nowMs / 1000) > SLACK_SIGNATURE_MAX_AGE_SECONDS) throw stale();
  try {
    verifySlackRequest({
      signingSecret: input.signingSecret,
      body: input.rawBody.toString('utf8'),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: input.nowMs,
    });
  } catch (error) {
    // Bolt throws plain Errors ("Failed to verify authenticity: …"); only staleness is told apart.
    if (error instanceof Error && /stale/.test(error.message)) throw stale();
    throw new UnauthorizedError('The Slack signature does not match: check SLACK_SIGNING_SECRET.', { cause: error });
  }
}

function stale(): UnauthorizedError {
  return new UnauthorizedError('The Slack request timestamp is more than five minutes from now; a replayed request is refused.');
}

/** One header value, whatever the case of its name and whether Node gave it as an array. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const direct = headers[name] ?? headers[Object.keys(headers).find((key) => key.toLowerCase() === name) ?? ''];
  const value = Array.isArray(direct) ? direct[0] : direct;
  return value === undefined || value === '' ? undefined : value;
}
