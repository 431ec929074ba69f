import { describe, expect, it } from 'vitest';
import { computeSlackSignature, verifySlackSignature } from '../../../channels/slack/index.js';
import { SIGNING_EXAMPLE } from './fixtures.js';

const AT = Number(SIGNING_EXAMPLE.timestamp) * 1000;

function headers(overrides: Record<string, string | undefined> = {}) {
  return { 'x-slack-request-timestamp': SIGNING_EXAMPLE.timestamp, 'x-slack-signature': SIGNING_EXAMPLE.signature, ...overrides };
}

function verify(options: { headers?: Record<string, string | string[] | undefined>; body?: string; nowMs?: number; secret?: string } = {}) {
  verifySlackSignature({
    signingSecret: options.secret ?? SIGNING_EXAMPLE.secret,
    headers: options.headers ?? headers(),
    rawBody: Buffer.from(options.body ?? SIGNING_EXAMPLE.body, 'utf8'),
    nowMs: options.nowMs ?? AT,
  });
}

describe('Slack request signatures (v0)', () => {
  it("computes the signature of Slack's worked example", () => {
    expect(computeSlackSignature(SIGNING_EXAMPLE.secret, SIGNING_EXAMPLE.timestamp, SIGNING_EXAMPLE.body)).toBe(SIGNING_EXAMPLE.signature);
  });

  it("accepts Slack's worked example, with header names in any case and as arrays", () => {
    expect(() => verify()).not.toThrow();
    expect(() => verify({ headers: { 'X-Slack-Request-Timestamp': SIGNING_EXAMPLE.timestamp, 'X-Slack-Signature': [SIGNING_EXAMPLE.signature] } })).not.toThrow();
  });

  it('refuses a wrong secret, a changed body, a changed timestamp and a tampered signature (401)', () => {
    const cases: [string, () => void][] = [
      ['secret', () => verify({ secret: 'not-the-secret-0000' })],
      ['body', () => verify({ body: SIGNING_EXAMPLE.body.replace('roadrunner', 'coyote') })],
      ['timestamp', () => verify({ headers: headers({ 'x-slack-request-timestamp': '1531420619' }), nowMs: AT })],
      ['signature', () => verify({ headers: headers({ 'x-slack-signature': SIGNING_EXAMPLE.signature.replace(/.$/, '4') }) })],
      ['short signature', () => verify({ headers: headers({ 'x-slack-signature': 'v0=abc' }) })],
      ['v1', () => verify({ headers: headers({ 'x-slack-signature': SIGNING_EXAMPLE.signature.replace('v0=', 'v1=') }) })],
      ['missing signature', () => verify({ headers: headers({ 'x-slack-signature': undefined }) })],
      ['missing timestamp', () => verify({ headers: headers({ 'x-slack-request-timestamp': undefined }) })],
      ['odd timestamp', () => verify({ headers: headers({ 'x-slack-request-timestamp': '1531420618.5' }) })],
    ];
    for (const [name, attempt] of cases) expect(attempt, name).toThrow(expect.objectContaining({ code: 'unauthorized', status: 401 }));
  });

  it('accepts a request up to five minutes old (or ahead) and refuses one older', () => {
    expect(() => verify({ nowMs: AT + 300_000 })).not.toThrow();
    expect(() => verify({ nowMs: AT - 300_000 })).not.toThrow();
    expect(() => verify({ nowMs: AT + 301_000 })).toThrow(/more than five minutes/);
    expect(() => verify({ nowMs: AT - 301_000 })).toThrow(/more than five minutes/);
  });
});
