import { describe, expect, it } from 'vitest';
import { extractDnsRecord } from '../../../intents/slots/index.js';

describe('extractDnsRecord', () => {
  it.each([
    ['add an A record for www pointing to 203.0.113.10', { recordType: 'A', recordName: 'www', recordValue: '203.0.113.10' }],
    ['dns add acme.com A www 1.2.3.4', { recordType: 'A', recordName: 'www', recordValue: '1.2.3.4' }],
    ['add an A record with name @ and value 192.0.2.1', { recordType: 'A', recordName: '@', recordValue: '192.0.2.1' }],
    ['point the apex of acme.com to 76.76.21.21', { recordType: 'A', recordName: '@', recordValue: '76.76.21.21' }],
    ['add AAAA for @ 2001:db8::1', { recordType: 'AAAA', recordName: '@', recordValue: '2001:db8::1' }],
    ['CNAME www cname.vercel-dns.com', { recordType: 'CNAME', recordName: 'www', recordValue: 'cname.vercel-dns.com' }],
    ['add cname shop on acme.com pointing at shops.myshopify.com', { recordType: 'CNAME', recordName: 'shop', recordValue: 'shops.myshopify.com' }],
    ['add an mx record for acme.com: mail.acme.com priority 10', { recordType: 'MX', recordValue: '10 mail.acme.com' }],
    ['MX 10 mail.acme.com', { recordType: 'MX', recordValue: '10 mail.acme.com' }],
    ['add txt record _dmarc "v=DMARC1; p=none"', { recordType: 'TXT', recordName: '_dmarc', recordValue: 'v=DMARC1; p=none' }],
    [
      'add a TXT record on the root with v=spf1 include:_spf.google.com ~all',
      { recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 include:_spf.google.com ~all' },
    ],
    [
      'add “v=spf1 include:_spf.google.com ~all” as a txt on the apex',
      { recordType: 'TXT', recordName: '@', recordValue: 'v=spf1 include:_spf.google.com ~all' },
    ],
    ['delete the txt record google-site-verification=abc123XYZ', { recordType: 'TXT', recordValue: 'google-site-verification=abc123XYZ' }],
    ['add CAA 0 issue "letsencrypt.org" for acme.com', { recordType: 'CAA', recordValue: '0 issue "letsencrypt.org"' }],
    ['add SRV _sip._tcp 10 5 5060 sip.acme.com', { recordType: 'SRV', recordName: '_sip._tcp', recordValue: '10 5 5060 sip.acme.com' }],
    ['set the nameservers to ns1.cloudflare.com', { recordType: 'NS', recordValue: 'ns1.cloudflare.com' }],
    ['remove the cname for shop', { recordType: 'CNAME', recordName: 'shop' }],
    ['add an ns record', { recordType: 'NS' }],
  ])('%s', (text, expected) => {
    expect(extractDnsRecord(text)).toEqual(expected);
  });

  it('infers the type from the value when none is named', () => {
    expect(extractDnsRecord('point www to 1.2.3.4').recordType).toBe('A');
    expect(extractDnsRecord('point www to 2001:db8::1').recordType).toBe('AAAA');
    expect(extractDnsRecord('point www.acme.com to cname.vercel-dns.com').recordType).toBe('CNAME');
    expect(extractDnsRecord('add v=spf1 include:_spf.google.com ~all on the root').recordType).toBe('TXT');
  });

  it('reads "a record" as an article, but "A record" and "an a record" as the type', () => {
    expect(extractDnsRecord('add a record').recordType).toBeUndefined();
    expect(extractDnsRecord('add an a record for blog').recordType).toBe('A');
    expect(extractDnsRecord('add A record for blog').recordType).toBe('A');
    expect(extractDnsRecord('A new record for www to 1.2.3.4').recordType).toBe('A'); // inferred from the value
  });

  it('rejects invalid IP addresses', () => {
    expect(extractDnsRecord('add an A record for blog pointing to 10.0.0.300').recordValue).toBeUndefined();
    expect(extractDnsRecord('add AAAA for www 2001:db8:::1').recordValue).toBeUndefined();
  });

  it('returns nothing for unrelated text', () => {
    expect(extractDnsRecord('hello there')).toEqual({});
    expect(extractDnsRecord('')).toEqual({});
  });
});
