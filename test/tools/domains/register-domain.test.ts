import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { RegisteredDomainRepo, type Person, type Stores } from '../../../store/index.js';
import { PorkbunRegistrar, registerDomainAction, type RegisterDomainParams } from '../../../tools/domains/index.js';
import { FAKE_PORKBUN_KEY, FAKE_PORKBUN_SECRET, PorkbunFake } from '../../support/fakes/porkbun/index.js';
import { memoryStores } from '../../support/memory-stores.js';

describe('domain.register execute: one confirmation buys at most once', () => {
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  let stores: Stores;
  let fake: PorkbunFake;
  let domains: RegisteredDomainRepo;
  beforeAll(async () => {
    stores = await memoryStores(clock);
    fake = await new PorkbunFake().start();
    domains = new RegisteredDomainRepo(stores.db, clock);
  });
  afterAll(async () => {
    await fake.stop();
    await stores.close();
  });
  beforeEach(async () => {
    await stores.db.query('TRUNCATE registered_domains');
  });
  const actor = { id: '00000000-0000-4000-8000-000000000001', role: 'admin', displayName: 'Boss' } as Person;
  const context = (key: string) => ({ actor, conversationId: 'c1', now: clock.now(), timezone: 'UTC', idempotencyKey: key });
  const params = (domain: string): RegisterDomainParams => ({
    domain,
    unicode: domain,
    years: 1,
    priceCents: 973,
    renewalCents: 1087,
    currency: 'USD',
    premium: false,
    costCents: 973,
    registrar: 'porkbun',
    registrarLabel: 'Porkbun',
  });
  const registrar = () => new PorkbunRegistrar({ apiUrl: fake.url, apiKey: FAKE_PORKBUN_KEY, secretKey: FAKE_PORKBUN_SECRET, orderTimeoutMs: 250 });

  it('a replayed execution with the same idempotency key answers from the record and sends no order', async () => {
    const action = registerDomainAction({ registrar: registrar(), domains });
    const first = await action.execute(params('replayed.com'), context('confirmation:r1'));
    const again = await action.execute(params('replayed.com'), context('confirmation:r1'));
    expect(first.data).toMatchObject({ alreadyOwned: false, costCents: 973 });
    expect(again.data).toMatchObject({ alreadyOwned: true });
    expect(fake.calls('create').filter((r) => r.path.endsWith('/replayed.com'))).toHaveLength(1);
  });

  it('after a timeout the account is asked first; when it does not list the name yet, the one repeat carries the same key and buys nothing more', async () => {
    const porkbun = registrar();
    let asked = 0;
    // The account list lags behind the order (Porkbun's listAll is not instant): the first answer says "not ours".
    const lagging = Object.assign(Object.create(porkbun) as PorkbunRegistrar, {
      owns: async (domain: string) => (asked++ === 0 ? false : porkbun.owns(domain)),
    });
    const purchases = fake.purchases;
    fake.delayNextCreate(800);
    const result = await registerDomainAction({ registrar: lagging, domains }).execute(params('lagging.com'), context('confirmation:l1'));
    expect(result.summary).toMatch(/^Registered lagging\.com/);
    const orders = fake.calls('create').filter((r) => r.path.endsWith('/lagging.com'));
    expect(orders.map((o) => o.idempotencyKey)).toEqual(['confirmation:l1', 'confirmation:l1']);
    expect(fake.purchases - purchases).toBe(1);
    expect(asked).toBe(1);
    expect(await domains.find('lagging.com')).toMatchObject({ registrar: 'porkbun', idempotencyKey: 'confirmation:l1' });
  });
});
