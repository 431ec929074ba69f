import { describe, expect, it } from 'vitest';
import { parseDomainName, showDomain } from '../../../tools/domains/index.js';

describe('parseDomainName: what a person types, as registries take it', () => {
  it('lower-cases, drops a trailing dot and finds the registrable name under a multi-label suffix', () => {
    expect(parseDomainName(' Shop.ACME.co.uk. ')).toEqual({
      ok: true,
      name: { ascii: 'shop.acme.co.uk', unicode: 'shop.acme.co.uk', idn: false, suffix: 'co.uk', registrable: 'acme.co.uk' },
    });
  });

  it('an IDN typed in Unicode or in punycode gives both forms, and shows both', () => {
    const typed = parseDomainName('Bücher.de');
    const puny = parseDomainName('xn--bcher-kva.de');
    expect(typed).toEqual(puny);
    expect(typed).toMatchObject({ ok: true, name: { ascii: 'xn--bcher-kva.de', unicode: 'bücher.de', idn: true } });
    expect(showDomain((typed as { ok: true; name: { ascii: string; unicode: string } }).name)).toBe('bücher.de (xn--bcher-kva.de)');
  });

  it.each([
    ['', /Give me a domain name/],
    ['acme', /needs an ending such as \.com/],
    ['acme..com', /a part between two dots is empty/],
    ['-acme.com', /cannot start or end with a hyphen/],
    ['acme_shop.com', /only letters, digits and hyphens/],
    ['acme shop.com', /has spaces/],
    ['https://acme.com/about', /looks like a web address/],
    [`${'a'.repeat(64)}.com`, /at most 63 characters/],
    [`${'abcdefghi.'.repeat(26)}com`, /too long/],
    ['acme.notatld', /"\.notatld" is not a domain ending I know/],
    ['co.uk', /only an ending/],
    ['192.168.1.1', /IP address|not a domain ending/],
    ['xn--zz.com', /characters a domain cannot have/],
  ])('"%s" gets a sentence', (input, reason) => {
    const parsed = parseDomainName(input);
    expect(parsed.ok).toBe(false);
    expect((parsed as { reason: string }).reason).toMatch(reason);
  });
});
