import { describe, expect, it } from 'vitest';
import { secretsEqual, signWebhookBody, verifyWebhookSignature } from '../../../channels/whatsapp/index.js';
import { fixtureBytes } from './fixtures.js';

const SECRET = 'fake-whatsapp-app-secret-0123456789';
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
// Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"
const OPENSSL_SIGNATURE = 'sha256=c0284c2457037e759c39cf825ceb112892be876e48b5114a4360c1cc5bdb276c';

describe('X-Hub-Signature-256', () => {
  it('is the hex HMAC-SHA256 of the raw body keyed by the App Secret, as openssl computes it', () => {
    expect(signWebhookBody(BODY, SECRET)).toBe(OPENSSL_SIGNATURE);
    expect(signWebhookBody('hello', 'key')).toBe('sha256=9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b');
  });

  it('accepts the right signature, in either case of hex', () => {
    expect(verifyWebhookSignature(BODY, OPENSSL_SIGNATURE, SECRET)).toBe(true);
    expect(verifyWebhookSignature(BODY, OPENSSL_SIGNATURE.toUpperCase().replace('SHA256', 'sha256'), SECRET)).toBe(true);
    expect(verifyWebhookSignature(BODY, [OPENSSL_SIGNATURE], SECRET)).toBe(true);
  });

  it('refuses a missing, malformed, forged or re-keyed signature without throwing', () => {
    const body = fixtureBytes('text-message');
    const good = signWebhookBody(body, SECRET);
    expect(verifyWebhookSignature(body, undefined, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, '', SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, good.slice('sha256='.length), SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, `sha1=${good.slice(7, 47)}`, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, good.slice(0, -2), SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signWebhookBody(body, 'another-app-secret'), SECRET)).toBe(false);
  });

  it('is computed over the bytes received: re-serialised JSON does not verify', () => {
    // Meta escapes "/" and non-ASCII; JSON.stringify of the parsed body does not.
    const raw = Buffer.from('{"text":{"body":"caf\\u00e9 \\/ 10\\/10"}}');
    const signature = signWebhookBody(raw, SECRET);
    expect(verifyWebhookSignature(raw, signature, SECRET)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), signature, SECRET)).toBe(false);
    const tampered = Buffer.from(raw);
    tampered[tampered.length - 3] = 0x31;
    expect(verifyWebhookSignature(tampered, signature, SECRET)).toBe(false);
  });
});

describe('secretsEqual (the verify token)', () => {
  it('compares exactly, whatever the lengths', () => {
    expect(secretsEqual('verify-token-123', 'verify-token-123')).toBe(true);
    expect(secretsEqual('verify-token-12', 'verify-token-123')).toBe(false);
    expect(secretsEqual('', 'verify-token-123')).toBe(false);
    expect(secretsEqual('VERIFY-TOKEN-123', 'verify-token-123')).toBe(false);
  });
});
