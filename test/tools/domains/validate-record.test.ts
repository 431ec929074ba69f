import { describe, expect, it } from 'vitest';
import { checkRecord, placeRecord, recordFullName, txtStrings, type DnsRecord } from '../../../tools/domains/index.js';

const zone = 'acme.co.uk';
const check = (type: string, value: string, name = `www.${zone}`, extra: { ttl?: number; priority?: number } = {}) => checkRecord({ type, name, zone, value, ...extra });

describe('record names', () => {
  it.each([
    ['@', 'acme.co.uk', 'acme.co.uk'],
    [undefined, 'acme.co.uk', 'acme.co.uk'],
    ['www', 'acme.co.uk', 'www.acme.co.uk'],
    ['WWW.Acme.co.uk.', 'acme.co.uk', 'www.acme.co.uk'],
    ['_dmarc', 'acme.co.uk', '_dmarc.acme.co.uk'],
    ['google._domainkey', 'acme.co.uk', 'google._domainkey.acme.co.uk'],
    ['*.dev', 'acme.co.uk', '*.dev.acme.co.uk'],
    ['api', 'shop.acme.co.uk', 'api.shop.acme.co.uk'],
  ])('%s on %s is %s', (name, domain, full) => {
    expect(recordFullName(name, domain, zone)).toEqual({ ok: true, value: full });
  });

  it('a full name in another zone is refused', () => {
    expect(recordFullName('www.globex.com', zone, zone)).toEqual({ ok: false, reason: expect.stringContaining('www.globex.com is outside the zone acme.co.uk') });
  });
});

describe('values per type', () => {
  it('keeps good values in the form providers take', () => {
    expect(check('a', '203.0.113.10')).toEqual({ ok: true, value: { record: { type: 'A', name: 'www.acme.co.uk', ttl: 300, content: '203.0.113.10' } } });
    expect(check('AAAA', '2001:DB8::1')).toMatchObject({ ok: true, value: { record: { content: '2001:db8::1' } } });
    expect(check('CNAME', 'Shop.Example.NET.')).toMatchObject({ ok: true, value: { record: { content: 'shop.example.net' } } });
    expect(check('MX', '10 mail.acme.co.uk', zone)).toMatchObject({ ok: true, value: { record: { content: 'mail.acme.co.uk', priority: 10 } } });
    expect(check('MX', 'mail.acme.co.uk', zone, { priority: 20 })).toMatchObject({ ok: true, value: { record: { priority: 20 } } });
    expect(check('CAA', 'issue letsencrypt.org', zone)).toMatchObject({ ok: true, value: { record: { content: '0 issue "letsencrypt.org"' } } });
    expect(check('CAA', '0 iodef "mailto:security@acme.co.uk"', zone)).toMatchObject({ ok: true, value: { record: { content: '0 iodef "mailto:security@acme.co.uk"' } } });
    expect(check('A', '203.0.113.10', undefined, { ttl: 3600 })).toMatchObject({ ok: true, value: { record: { ttl: 3600 } } });
  });

  it('splits a TXT value over 255 bytes into quoted strings, as Cloudflare does, and keeps it whole', () => {
    const dkim = `v=DKIM1; k=rsa; p=${'M'.repeat(400)}`;
    const checked = check('TXT', dkim, `google._domainkey.${zone}`);
    expect(checked).toMatchObject({ ok: true, value: { chunks: 2 } });
    const content = checked.ok ? checked.value.record.content : '';
    const strings = txtStrings(content)!;
    expect(strings.map((s) => s.length)).toEqual([255, dkim.length - 255]);
    expect(strings.join('')).toBe(dkim);
    // A multi-byte character is never cut in two.
    const accents = txtStrings((check('TXT', 'é'.repeat(200)) as { value: { record: { content: string } } }).value.record.content)!;
    expect(accents.every((s) => Buffer.byteLength(s) <= 255)).toBe(true);
    expect(accents.join('')).toBe('é'.repeat(200));
  });

  it.each([
    ['A', '2001:db8::1', 'is an IPv6 address: an A record takes an IPv4 address'],
    ['A', 'shop.example.net', 'To point a name at another host, use a CNAME.'],
    ['A', '999.1.1.1', 'is not one'],
    ['AAAA', '192.0.2.1', 'is an IPv4 address: an AAAA record takes an IPv6 address'],
    ['CNAME', '192.0.2.1', 'A CNAME points to a host name, and 192.0.2.1 is an address'],
    ['CNAME', 'not a host', 'is not one'],
    ['CNAME', 'www.acme.co.uk', 'cannot point to itself'],
    ['CNAME', 'https://soarix-web.pages.dev/', 'not a web address: use soarix-web.pages.dev (without https:// or a path)'],
    ['MX', 'mail.acme.co.uk', 'needs a priority'],
    ['MX', '10 192.0.2.25', 'by its host name, not an address'],
    ['MX', '70000 mail.acme.co.uk', 'from 0 to 65535'],
    ['TXT', `"${'x'.repeat(300)}"`, 'each quoted part holds at most 255'],
    ['TXT', '"unclosed', 'not a list of quoted strings'],
    ['TXT', 'x'.repeat(2049), 'holds at most 2048'],
    ['CAA', '0 issues letsencrypt.org', 'A CAA tag is issue, issuewild or iodef'],
    ['CAA', '0 iodef security@acme.co.uk', 'a mailto: address or an https:// URL'],
    ['CAA', '0 issue not_a_domain', "certificate authority's domain"],
    ['NS', 'ns1.example.net', 'I can manage A, AAAA, CNAME, MX, TXT and CAA records; NS records'],
    ['SRV', '10 5 5060 sip.acme.co.uk', 'SRV records have to be changed at the DNS provider itself'],
  ])('%s "%s" is refused: %s', (type, value, reason) => {
    const result = check(type, value);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('no CNAME at the apex; a TTL outside 60–86400 is refused', () => {
    expect(check('CNAME', 'shop.example.net', zone)).toEqual({ ok: false, reason: expect.stringContaining('a CNAME cannot sit there') });
    expect(check('A', '203.0.113.10', undefined, { ttl: 5 })).toEqual({ ok: false, reason: expect.stringContaining('A TTL of 5 seconds is out of range') });
    expect(check('A', '203.0.113.10', undefined, { ttl: 604_800 })).toMatchObject({ ok: false });
  });
});

describe('beside the records already there', () => {
  const rec = (type: DnsRecord['type'], content: string, extra: Partial<DnsRecord> = {}): DnsRecord => ({ id: `${type}-${content}`, type, name: `www.${zone}`, content, ttl: 300, ...extra });

  it('identical (TXT quoting and host case ignored), replacing a CNAME, and a CNAME that would not stand alone', () => {
    expect(placeRecord({ type: 'TXT', name: `www.${zone}`, content: 'hello', ttl: 300 }, [rec('TXT', '"hello"')], zone)).toMatchObject({ kind: 'identical' });
    expect(placeRecord({ type: 'CNAME', name: `www.${zone}`, content: 'b.example.net', ttl: 300 }, [rec('CNAME', 'A.example.net.')], zone)).toMatchObject({ kind: 'replace', existing: { content: 'A.example.net.' } });
    expect(placeRecord({ type: 'CNAME', name: `www.${zone}`, content: 'a.example.net', ttl: 300 }, [rec('CNAME', 'A.example.net.')], zone)).toMatchObject({ kind: 'identical' });
    const beside = placeRecord({ type: 'CNAME', name: `www.${zone}`, content: 'b.example.net', ttl: 300 }, [rec('A', '192.0.2.1'), rec('TXT', 'x')], zone);
    expect(beside).toEqual({ kind: 'refused', reason: expect.stringContaining('already has A and TXT records, and a CNAME cannot sit beside other records') });
    const underCname = placeRecord({ type: 'A', name: `www.${zone}`, content: '192.0.2.1', ttl: 300 }, [rec('CNAME', 'a.example.net')], zone);
    expect(underCname).toEqual({ kind: 'refused', reason: expect.stringContaining('is a CNAME to a.example.net, and nothing else can sit beside a CNAME') });
    expect(placeRecord({ type: 'A', name: `www.${zone}`, content: '192.0.2.2', ttl: 300 }, [rec('A', '192.0.2.1')], zone)).toEqual({ kind: 'new' });
  });
});
