import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { RegisteredDomainRepo } from '../../../store/index.js';
import { describeNeeding } from '../../support/needs.js';
import { postgresTestDatabase, type TestDatabase } from '../../support/services.js';

describeNeeding('postgres')('registered domains on PostgreSQL (migration 8)', () => {
  const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  let t: TestDatabase;
  let repo: RegisteredDomainRepo;
  beforeAll(async () => {
    t = await postgresTestDatabase();
    repo = new RegisteredDomainRepo(t.db, clock);
  });
  afterAll(async () => {
    await t.close();
  });
  const order = { registrar: 'porkbun', years: 2, costCents: 1946, renewalCents: 1087, currency: 'USD', premium: false };

  it('one row per domain: recording again keeps the first purchase and fills in who confirmed it', async () => {
    const first = await repo.record({ ...order, domain: 'acme-demo.com', idempotencyKey: 'confirmation:1', orderId: '3000001' });
    expect(first).toMatchObject({ created: true, domain: { domain: 'acme-demo.com', expiresAt: Date.parse('2028-03-02T09:00:00Z'), registeredBy: null } });
    const again = await repo.record({ ...order, domain: 'acme-demo.com', idempotencyKey: 'confirmation:1', registeredBy: 'person-1' });
    expect(again).toMatchObject({ created: false, domain: { orderId: '3000001', registeredBy: 'person-1' } });
    expect(await repo.findByIdempotencyKey('confirmation:1')).toMatchObject({ domain: 'acme-demo.com' });
    await expect(repo.record({ ...order, domain: 'other-demo.com', idempotencyKey: 'confirmation:1' })).rejects.toThrow(/already recorded for another domain/);
    await repo.record({ ...order, registrar: 'sandbox', domain: 'sandbox-demo.com', idempotencyKey: 'confirmation:2' });
    expect((await repo.list('sandbox')).map((d) => d.domain)).toEqual(['sandbox-demo.com']);
    expect(await repo.list()).toHaveLength(2);
  });
});
