import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainProviderError, PorkbunRegistrar } from '../../../tools/domains/index.js';
import { FAKE_PORKBUN_KEY, FAKE_PORKBUN_SECRET, PorkbunFake } from '../../support/fakes/porkbun/index.js';

describe('the Porkbun registrar against the Porkbun fake', () => {
  let fake: PorkbunFake;
  let porkbun: PorkbunRegistrar;
  beforeEach(async () => {
    fake = await new PorkbunFake().start();
    porkbun = new PorkbunRegistrar({ apiUrl: fake.url, apiKey: FAKE_PORKBUN_KEY, secretKey: FAKE_PORKBUN_SECRET, orderTimeoutMs: 300, checkRetryMs: 150 });
  });
  afterEach(async () => {
    await fake.stop();
  });
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainProviderError);
    return error as DomainProviderError;
  };

  it('quotes in cents with the renewal price and the premium flag; keys go in the body, never the URL', async () => {
    fake.setPrice('fancy.com', { price: '1250.00', renewal: '1250.00', premium: true });
    expect(await porkbun.quote('new-name.com')).toEqual({ domain: 'new-name.com', available: true, priceCents: 973, renewalCents: 1087, currency: 'USD', premium: false });
    expect(await porkbun.quote('fancy.com')).toMatchObject({ priceCents: 125_000, premium: true });
    expect(fake.requests.every((r) => !r.path.includes(FAKE_PORKBUN_KEY) && r.body?.apikey === FAKE_PORKBUN_KEY)).toBe(true);
  });

  it('registers with cost in cents, agreeToTerms and the idempotency key; owns() reads listAll', async () => {
    expect(await porkbun.owns('new-name.com')).toBe(false);
    const registration = await porkbun.register({ domain: 'new-name.com', years: 2, expectedCostCents: 1946, idempotencyKey: 'confirmation:abc' });
    expect(registration).toMatchObject({ domain: 'new-name.com', costCents: 1946, years: 2, orderId: expect.any(String) });
    expect(fake.calls('create')[0]).toMatchObject({ body: { cost: 1946, agreeToTerms: 'yes', years: 2 }, idempotencyKey: 'confirmation:abc' });
    expect(await porkbun.owns('new-name.com')).toBe(true);
  });

  it("Porkbun's errors become sentences with codes", async () => {
    const wrongKeys = new PorkbunRegistrar({ apiUrl: fake.url, apiKey: 'pk1_wrong_wrong_wrong', secretKey: FAKE_PORKBUN_SECRET });
    const unauthorized = await failure(wrongKeys.quote('new-name.com'));
    expect(unauthorized.code).toBe('unauthorized');
    expect(unauthorized.message).toBe('Porkbun refused the API keys (Invalid API key. (002)). Check the keys and that API access is on for the account.');
    expect(unauthorized.message).not.toContain('pk1_wrong');

    const priced = await failure(porkbun.register({ domain: 'new-name.com', years: 1, expectedCostCents: 999, idempotencyKey: 'k1' }));
    expect(priced.code).toBe('price_changed');
    expect(priced.message).toMatch(/^Porkbun refused the order because the price no longer matches \(The cost you provided \(999\) does not match the current price \(973\)\); nothing was bought\.$/);

    fake.take('taken-name.com');
    expect((await failure(porkbun.register({ domain: 'taken-name.com', years: 1, expectedCostCents: 973, idempotencyKey: 'k2' }))).code).toBe('not_available');
    const tld = await failure(porkbun.quote('acme.zzz'));
    expect(tld.message).toBe('Porkbun refused: The TLD of acme.zzz is not supported');
  });

  it('a check refused by the rate limit is tried once more after the wait', async () => {
    fake.checkLimit(1, 100);
    await porkbun.quote('new-name.com');
    expect((await porkbun.quote('new-name.com')).available).toBe(true);
    expect(fake.calls('checkDomain')).toHaveLength(3);
  });

  it('an order that answers too late is outcome_unknown, not retryable, while Porkbun did buy it', async () => {
    fake.delayNextCreate(1_000);
    const late = await failure(porkbun.register({ domain: 'slow-name.com', years: 1, expectedCostCents: 973, idempotencyKey: 'k3' }));
    expect(late).toMatchObject({ code: 'outcome_unknown', retryable: false });
    expect(await porkbun.owns('slow-name.com')).toBe(true);
    expect(fake.purchases).toBe(1);
  });

  it('Porkbun out of reach: lookups are retryable "unavailable"', async () => {
    const closed = await new PorkbunFake().start();
    const url = closed.url;
    await closed.stop();
    const away = new PorkbunRegistrar({ apiUrl: url, apiKey: FAKE_PORKBUN_KEY, secretKey: FAKE_PORKBUN_SECRET });
    expect(await failure(away.quote('x.com'))).toMatchObject({ code: 'unavailable', retryable: true });
    // Refused before anything was sent: nothing can have been ordered.
    expect(await failure(away.register({ domain: 'x.com', years: 1, expectedCostCents: 973, idempotencyKey: 'k' }))).toMatchObject({ code: 'unavailable' });
  });
});
