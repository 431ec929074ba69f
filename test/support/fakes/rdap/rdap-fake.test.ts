import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdapFake } from './index.js';

describe('RDAP fake: answers as a registry does (RFC 9083 bodies), and refuses what registries refuse', () => {
  let fake: RdapFake;
  beforeAll(async () => {
    fake = await new RdapFake(['com', 'test']).start();
    fake.register('acme.com', { registrar: 'Acme Registrar LLC' });
  });
  afterAll(async () => {
    await fake.stop();
  });
  const get = (path: string, accept = 'application/rdap+json') => fetch(`${fake.url}${path}`, { headers: { accept } });

  it('serves a bootstrap file whose services point at its own RDAP base', async () => {
    const body = (await (await get('/dns.json', 'application/json')).json()) as { services: [string[], string[]][] };
    expect(body.services).toEqual([[['com', 'test'], [fake.baseUrl]]]);
  });

  it('a registered name is a domain object with a registrar entity and events; an unknown one is a 404 error body', async () => {
    const taken = await get('/rdap/domain/acme.com');
    expect(taken.status).toBe(200);
    expect(taken.headers.get('content-type')).toBe('application/rdap+json');
    expect(await taken.json()).toMatchObject({
      objectClassName: 'domain',
      entities: [{ roles: ['registrar'], vcardArray: ['vcard', expect.arrayContaining([['fn', {}, 'text', 'Acme Registrar LLC']])] }],
      events: expect.arrayContaining([expect.objectContaining({ eventAction: 'registration' }), expect.objectContaining({ eventAction: 'expiration' })]),
    });
    const free = await get('/rdap/domain/free-name.com');
    expect(free.status).toBe(404);
    expect(await free.json()).toMatchObject({ errorCode: 404, title: 'Not Found' });
  });

  it('refuses U-labels and clients that do not accept RDAP JSON', async () => {
    expect((await get('/rdap/domain/b%C3%BCcher.com')).status).toBe(400);
    expect((await get('/rdap/domain/acme.com', 'text/html')).status).toBe(406);
  });

  it('rate limits with 429 and Retry-After, or 403 as some registries do', async () => {
    fake.rateLimit(1, 429, 42);
    const limited = await get('/rdap/domain/acme.com');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('42');
    expect((await get('/rdap/domain/acme.com')).status).toBe(200);
    fake.rateLimit(1, 403);
    expect((await get('/rdap/domain/acme.com')).status).toBe(403);
  });
});
