import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudflareDnsProvider, DnsRecordExistsError, DomainProviderError } from '../../../tools/domains/index.js';
import { CloudflareFake, FAKE_CLOUDFLARE_TOKEN } from '../../support/fakes/cloudflare/index.js';

/** The Cloudflare client against a fake that follows the API v4: paging, record shapes, and every error as a sentence. */
describe('CloudflareDnsProvider', () => {
  let fake: CloudflareFake;
  let cf: CloudflareDnsProvider;
  let zoneId: string;
  beforeAll(async () => {
    fake = await new CloudflareFake().start();
    zoneId = fake.addZone('acme.co.uk', { nameServers: ['lola.ns.cloudflare.com', 'rick.ns.cloudflare.com'] });
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    cf = new CloudflareDnsProvider({ token: FAKE_CLOUDFLARE_TOKEN, baseUrl: fake.url });
  });

  it('finds a zone with its name servers by name; none for a name not in the account', async () => {
    expect(await cf.findZone('acme.co.uk')).toEqual({ id: zoneId, name: 'acme.co.uk', nameServers: ['lola.ns.cloudflare.com', 'rick.ns.cloudflare.com'] });
    expect(await cf.findZone('globex.com')).toBeUndefined();
    expect(fake.requests.at(-1)).toMatchObject({ path: '/client/v4/zones', query: { name: 'globex.com' }, authorization: `Bearer ${FAKE_CLOUDFLARE_TOKEN}` });
  });

  it('creates MX with its priority and CAA as data, reads them back in one form, updates and deletes', async () => {
    const mx = await cf.createRecord(zoneId, { type: 'MX', name: 'acme.co.uk', content: 'mail.acme.co.uk', ttl: 300, priority: 10 });
    expect(mx).toMatchObject({ type: 'MX', content: 'mail.acme.co.uk', priority: 10, ttl: 300 });
    const caa = await cf.createRecord(zoneId, { type: 'CAA', name: 'acme.co.uk', content: '0 issue "letsencrypt.org"', ttl: 300 });
    expect(fake.recordRequests('POST').at(-1)!.body).toEqual({ type: 'CAA', name: 'acme.co.uk', ttl: 300, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } });
    expect(caa.content).toBe('0 issue "letsencrypt.org"');
    const updated = await cf.updateRecord(zoneId, mx.id, { type: 'MX', name: 'acme.co.uk', content: 'mx2.acme.co.uk', ttl: 600, priority: 20 });
    expect(updated).toMatchObject({ id: mx.id, content: 'mx2.acme.co.uk', priority: 20, ttl: 600 });
    expect(fake.recordRequests('PUT')).toHaveLength(1);
    await cf.deleteRecord(zoneId, caa.id);
    expect(await cf.listRecords(zoneId, { type: 'CAA' })).toEqual([]);
  });

  it('lists every page (100 a page) filtered by type and name', async () => {
    for (let i = 0; i < 230; i++) fake.seed('acme.co.uk', { type: 'TXT', name: 'bulk.acme.co.uk', content: `t${i}` });
    fake.seed('acme.co.uk', { type: 'A', name: 'bulk.acme.co.uk', content: '192.0.2.1' });
    const before = fake.recordRequests('GET').length;
    const txt = await cf.listRecords(zoneId, { type: 'TXT', name: 'bulk.acme.co.uk' });
    expect(txt).toHaveLength(230);
    expect(new Set(txt.map((r) => r.id)).size).toBe(230);
    const pages = fake.recordRequests('GET').slice(before);
    expect(pages.map((r) => r.query)).toEqual([1, 2, 3].map((page) => ({ page: String(page), per_page: '100', type: 'TXT', name: 'bulk.acme.co.uk' })));
  });

  it.each([
    [400, { code: 10000, message: 'Authentication error' }, 'unauthorized', 'Cloudflare refused the API token (authentication error)'],
    [403, { code: 9109, message: 'Unauthorized to access requested resource' }, 'unauthorized', 'Cloudflare refused the API token as invalid or not allowed for this zone'],
    [400, { code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' }, 'refused', 'a CNAME must stand alone there'],
    [400, { code: 81054, message: 'A CNAME record with that host already exists.' }, 'refused', 'nothing else can sit beside a CNAME'],
    [400, { code: 81057, message: 'Record already exists.' }, 'refused', 'Cloudflare already has that record'],
    [400, { code: 81058, message: 'An identical record already exists.' }, 'refused', 'Cloudflare already has an identical record'],
    [400, { code: 9999, message: 'Something new.' }, 'provider_error', 'Cloudflare refused the change: Something new.'],
    [500, { code: 10001, message: 'Internal error' }, 'unavailable', 'Cloudflare is having trouble right now'],
  ])('HTTP %s with %j is %s: "%s"', async (status, error, code, sentence) => {
    fake.failNext(status, [error]);
    const failure = await cf.createRecord(zoneId, { type: 'A', name: 'x.acme.co.uk', content: '192.0.2.9', ttl: 300 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DomainProviderError);
    expect(failure).toMatchObject({ code });
    expect((failure as Error).message).toContain(sentence);
    expect((failure as Error).message).not.toMatch(/CLOUDFLARE_|\b\d{4,5}\b/);
    expect(failure instanceof DnsRecordExistsError).toBe(error.code === 81057 || error.code === 81058);
  });

  it('a wrong token is refused by the fake itself (9109) and said as a sentence; 429 is retryable with its Retry-After', async () => {
    const wrong = new CloudflareDnsProvider({ token: 'not-the-token-at-all', baseUrl: fake.url });
    await expect(wrong.findZone('acme.co.uk')).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
    fake.failNext(429, [{ code: 971, message: 'Please wait and consider throttling your request speed' }], { 'retry-after': '30' });
    await expect(cf.findZone('acme.co.uk')).rejects.toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 30 });
  });

  it('a change whose answer does not come in time is outcome_unknown (never retried blindly); a late read is only unavailable', async () => {
    const impatient = new CloudflareDnsProvider({ token: FAKE_CLOUDFLARE_TOKEN, baseUrl: fake.url, timeoutMs: 150 });
    fake.stallNext(600);
    const write = await impatient.createRecord(zoneId, { type: 'A', name: 'late.acme.co.uk', content: '192.0.2.50', ttl: 300 }).catch((e: unknown) => e);
    expect(write).toMatchObject({ code: 'outcome_unknown', retryable: false });
    expect((write as Error).message).toBe('Cloudflare did not answer in time, so I cannot tell whether the change was made. Look at the zone before trying again.');
    // It did happen: which is why it is never simply sent again.
    expect(fake.recordsOf('acme.co.uk').some((r) => r.name === 'late.acme.co.uk')).toBe(true);
    fake.stallNext(600);
    await expect(impatient.findZone('acme.co.uk')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('Cloudflare out of reach is "unavailable" and retryable', async () => {
    const gone = new CloudflareDnsProvider({ token: FAKE_CLOUDFLARE_TOKEN, baseUrl: 'http://127.0.0.1:9/client/v4' });
    await expect(gone.findZone('acme.co.uk')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  });
});
