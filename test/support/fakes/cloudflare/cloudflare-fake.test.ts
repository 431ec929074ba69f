import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudflareFake, FAKE_CLOUDFLARE_TOKEN } from './index.js';

/** The fake refuses what Cloudflare refuses, in Cloudflare's envelope, so the provider's tests prove something. */
describe('Cloudflare fake', () => {
  let fake: CloudflareFake;
  let zone: string;
  beforeEach(async () => {
    fake = await new CloudflareFake().start();
    zone = fake.addZone('acme.test');
  });
  afterEach(async () => {
    await fake.stop();
  });
  const call = async (method: string, path: string, body?: unknown, auth: string | null = `Bearer ${FAKE_CLOUDFLARE_TOKEN}`) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { ...(auth ? { authorization: auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as { success: boolean; errors: { code: number; message: string }[]; result: unknown; result_info?: Record<string, number> } };
  };

  it('a missing token is 10000, a wrong one 9109, a zone outside the token 9109 (403)', async () => {
    expect((await call('GET', '/zones?name=acme.test', undefined, null)).body).toMatchObject({ success: false, errors: [{ code: 10000, message: 'Authentication error' }] });
    const wrong = await call('GET', '/zones?name=acme.test', undefined, 'Bearer nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0]).toEqual({ code: 9109, message: 'Invalid access token' });
    const locked = fake.addZone('other.test', { allowed: false });
    expect((await call('GET', `/zones/${locked}/dns_records`)).status).toBe(403);
  });

  it('finds a zone with its name servers; an unknown zone id is 7003', async () => {
    const found = await call('GET', '/zones?name=acme.test');
    expect(found.body).toMatchObject({ success: true, result: [{ id: zone, name: 'acme.test', name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'] }] });
    expect((await call('GET', '/zones?name=nothing.test')).body.result).toEqual([]);
    expect((await call('GET', '/zones/0123/dns_records')).body.errors[0]!.code).toBe(7003);
  });

  it('checks each type: A takes IPv4 (9005), AAAA IPv6 (9006), MX needs a priority, CAA needs data', async () => {
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'A', name: 'www.acme.test', content: '2001:db8::1', ttl: 300 })).body.errors[0]!.code).toBe(9005);
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'AAAA', name: 'www.acme.test', content: '192.0.2.1', ttl: 300 })).body.errors[0]!.code).toBe(9006);
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'MX', name: 'acme.test', content: 'mail.acme.test', ttl: 300 })).body.errors[0]!.message).toMatch(/priority/);
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'CAA', name: 'acme.test', content: '0 issue "x"', ttl: 300 })).body.errors[0]!.message).toMatch(/data/);
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'A', name: 'www.acme.test', content: '192.0.2.1', ttl: 30 })).body.errors[0]!.message).toMatch(/TTL/);
    expect(fake.recordsOf('acme.test')).toEqual([]);
  });

  it('an identical record is 81058, the same with another TTL 81057, CNAME conflicts 81053 and 81054', async () => {
    const a = { type: 'A', name: 'www.acme.test', content: '192.0.2.1', ttl: 300 };
    expect((await call('POST', `/zones/${zone}/dns_records`, a)).body).toMatchObject({ success: true, result: { type: 'A', name: 'www.acme.test', ttl: 300 } });
    expect((await call('POST', `/zones/${zone}/dns_records`, a)).body.errors).toEqual([{ code: 81058, message: 'An identical record already exists.' }]);
    expect((await call('POST', `/zones/${zone}/dns_records`, { ...a, ttl: 600 })).body.errors[0]!.code).toBe(81057);
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'CNAME', name: 'www.acme.test', content: 'x.example.net', ttl: 300 })).body.errors[0]!.code).toBe(81053);
    await call('POST', `/zones/${zone}/dns_records`, { type: 'CNAME', name: 'shop.acme.test', content: 'x.example.net', ttl: 300 });
    expect((await call('POST', `/zones/${zone}/dns_records`, { type: 'TXT', name: 'shop.acme.test', content: 'hello', ttl: 300 })).body.errors[0]!.code).toBe(81054);
  });

  it('lists by type and exact name, page by page; deletes; an unknown record is 81044', async () => {
    for (let i = 0; i < 12; i++) fake.seed('acme.test', { type: 'TXT', name: 'acme.test', content: `t${i}` });
    fake.seed('acme.test', { type: 'A', name: 'www.acme.test', content: '192.0.2.1' });
    const page2 = await call('GET', `/zones/${zone}/dns_records?type=TXT&name=acme.test&per_page=5&page=2`);
    expect(page2.body.result).toHaveLength(5);
    expect(page2.body.result_info).toMatchObject({ page: 2, per_page: 5, total_count: 12, total_pages: 3 });
    const www = (await call('GET', `/zones/${zone}/dns_records?name=www.acme.test`)).body.result as { id: string }[];
    expect(www).toHaveLength(1);
    expect((await call('DELETE', `/zones/${zone}/dns_records/${www[0]!.id}`)).body).toMatchObject({ success: true, result: { id: www[0]!.id } });
    expect((await call('DELETE', `/zones/${zone}/dns_records/${www[0]!.id}`)).body.errors[0]!.code).toBe(81044);
  });
});
