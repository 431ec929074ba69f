import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_PORKBUN_KEY, FAKE_PORKBUN_SECRET, PorkbunFake } from './index.js';

describe('Porkbun fake: refuses what Porkbun refuses, in its error shape', () => {
  let fake: PorkbunFake;
  beforeAll(async () => {
    fake = await new PorkbunFake().start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  const auth = { apikey: FAKE_PORKBUN_KEY, secretapikey: FAKE_PORKBUN_SECRET };
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${fake.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('wrong keys get {"status":"ERROR","message"}', async () => {
    expect(await post('domain/checkDomain/x.com', { apikey: FAKE_PORKBUN_KEY, secretapikey: 'nope' })).toEqual({ status: 400, body: { status: 'ERROR', message: 'Invalid API key. (002)' } });
  });

  it('quotes avail/price/premium with the renewal price', async () => {
    const { body } = await post('domain/checkDomain/free-one.com', auth);
    expect(body).toMatchObject({ status: 'SUCCESS', response: { avail: 'yes', price: '9.73', premium: 'no', additional: { renewal: { price: '10.87' } } } });
  });

  it('create needs agreeToTerms, an integer cost equal to the price × years, and buys once per idempotency key', async () => {
    expect((await post('domain/create/new-one.com', { ...auth, cost: 973 })).body.message).toMatch(/agree/);
    expect((await post('domain/create/new-one.com', { ...auth, cost: 9.73, agreeToTerms: 'yes' })).body.message).toMatch(/integer/);
    expect((await post('domain/create/new-one.com', { ...auth, cost: 1000, agreeToTerms: 'yes' })).body.message).toMatch(/does not match/);
    const key = { 'idempotency-key': 'order-1' };
    const first = await post('domain/create/new-one.com', { ...auth, cost: 1946, years: 2, agreeToTerms: 'yes' }, key);
    expect(first.body).toMatchObject({ status: 'SUCCESS', domain: 'new-one.com', cost: 1946 });
    expect(await post('domain/create/new-one.com', { ...auth, cost: 1946, years: 2, agreeToTerms: 'yes' }, key)).toEqual(first);
    expect(fake.purchases).toBe(1);
    expect((await post('domain/create/new-one.com', { ...auth, cost: 973, agreeToTerms: 'yes' })).body.message).toMatch(/not available/);
    const list = await post('domain/listAll', { ...auth, start: '0' });
    expect(list.body.domains).toEqual([expect.objectContaining({ domain: 'new-one.com', status: 'ACTIVE' })]);
  });

  it('a delayed create has already bought the name when it answers', async () => {
    fake.delayNextCreate(300);
    const order = post('domain/create/slow-one.com', { ...auth, cost: 973, agreeToTerms: 'yes' });
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.owned.has('slow-one.com')).toBe(true);
    expect((await order).body.status).toBe('SUCCESS');
  });

  it('limits domain checks per window with a 503', async () => {
    fake.checkLimit(1, 60_000);
    expect((await post('domain/checkDomain/a-name.com', auth)).status).toBe(200);
    const refused = await post('domain/checkDomain/a-name.com', auth);
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/rate limit exceeded/);
  });
});
