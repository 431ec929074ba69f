import { describe, expect, it } from 'vitest';
import { extractDomain, findDomains, parseDomain } from '../../../intents/slots/index.js';

describe('extractDomain', () => {
  it.each([
    ['is shop.acme.co.uk set up?', 'shop.acme.co.uk'],
    ['check soarix.ai', 'soarix.ai'],
    ['register acme.com.au for a year', 'acme.com.au'],
    ['Check ACME.COM!', 'acme.com'],
    ['is acme.io free?', 'acme.io'],
    ['(see acme.dev)', 'acme.dev'],
    ['acme.com.', 'acme.com'],
    ['domain:acme.com', 'acme.com'],
  ])('%s → %s', (text, expected) => {
    expect(extractDomain(text)).toBe(expected);
  });

  it('returns IDNs as lower-case punycode', () => {
    expect(extractDomain('is bücher.de still free?')).toBe('xn--bcher-kva.de');
    expect(extractDomain('BÜCHER.DE')).toBe('xn--bcher-kva.de');
    expect(extractDomain('register пример.рф')).toBe('xn--e1afmkfd.xn--p1ai');
    expect(extractDomain('xn--bcher-kva.de')).toBe('xn--bcher-kva.de');
  });

  it('takes the host of a URL', () => {
    expect(extractDomain('see https://www.acme.com/path?x=1.')).toBe('www.acme.com');
    expect(extractDomain('http://user:pw@Shop.Acme.com:8080/')).toBe('shop.acme.com');
    expect(extractDomain('acme.com/pricing')).toBe('acme.com');
  });

  it.each([
    'edit index.html and config.json',
    'release v1.2.3 today',
    'bump to 1.2.3',
    'point it at 1.2.3.4',
    'written in node.js',
    'run deploy.sh',
    'update README.md',
    'a.b',
    'foo..com',
    '-acme.com-',
    '',
  ])('finds no domain in %j', (text) => {
    expect(extractDomain(text)).toBeUndefined();
  });

  it('accepts file-like suffixes (.sh, .zip, .md) for domain intents', () => {
    expect(extractDomain('is deploy.sh available?', { intent: 'domain.check' })).toBe('deploy.sh');
    expect(extractDomain('register acme.zip', { intent: 'domain.register' })).toBe('acme.zip');
  });

  it('ignores the domain of an e-mail address unless the intent is about domains and nothing else is named', () => {
    expect(extractDomain('mail jane@acme.com')).toBeUndefined();
    expect(extractDomain('verify the domain for admin@soarix.ai', { intent: 'domain.verify' })).toBe('soarix.ai');
    expect(extractDomain('send jane@acme.com the DNS for globex.com', { intent: 'domain.verify' })).toBe('globex.com');
  });
});

describe('findDomains and parseDomain', () => {
  it('splits multi-part public suffixes correctly', () => {
    expect(parseDomain('shop.acme.co.uk')).toEqual({ hostname: 'shop.acme.co.uk', registrable: 'acme.co.uk', subdomain: 'shop' });
    expect(parseDomain('acme.com.au')).toEqual({ hostname: 'acme.com.au', registrable: 'acme.com.au', subdomain: '' });
    expect(parseDomain('_dmarc.acme.com')).toEqual({ hostname: '_dmarc.acme.com', registrable: 'acme.com', subdomain: '_dmarc' });
    expect(parseDomain('*.acme.com')).toEqual({ hostname: '*.acme.com', registrable: 'acme.com', subdomain: '*' });
  });

  it('lists every host once, first mention first', () => {
    const found = findDomains('point www.acme.com to cname.vercel-dns.com, then www.acme.com again');
    expect(found.map((d) => d.hostname)).toEqual(['www.acme.com', 'cname.vercel-dns.com']);
    expect(found[0]!.spans).toHaveLength(2);
  });

  it('rejects labels over 63 characters', () => {
    expect(extractDomain(`${'a'.repeat(64)}.com`)).toBeUndefined();
    expect(extractDomain(`${'a'.repeat(63)}.com`)).toBe(`${'a'.repeat(63)}.com`);
  });
});
