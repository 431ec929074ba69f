import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentHarness } from '../../support/agent-harness.js';
import { phraseIn } from '../../support/demo-chat.js';
import { CloudflareFake, FAKE_CLOUDFLARE_TOKEN } from '../../support/fakes/cloudflare/index.js';
import { dnsUnderstander } from './support/dns-understanding.js';

/**
 * domain.dns.add and domain.dns.delete from the chat, with CLOUDFLARE_API_URL pointed at the Cloudflare
 * fake: bad input is explained with no request at all, adding is safe, replacing and deleting go through
 * the gate with the record shown as it is now.
 */
describe('DNS records through Cloudflare (the fake set as its URL)', () => {
  let h: AgentHarness;
  let cf: CloudflareFake;
  beforeAll(async () => {
    cf = await new CloudflareFake().start();
    cf.addZone('acme.co.uk');
    h = await AgentHarness.open(dnsUnderstander(), { CLOUDFLARE_API_URL: cf.url, CLOUDFLARE_API_TOKEN: FAKE_CLOUDFLARE_TOKEN });
    await fresh();
  });
  afterAll(async () => {
    await h.close();
    await cf.stop();
  });
  /** A new bot on empty tables and an empty zone. */
  const fresh = async () => {
    await h.reset();
    await h.grant('dev', 'developer', 'Dev');
    cf.clear();
  };

  describe('bad input', () => {
    beforeEach(() => {
      cf.clear();
    });
    it.each([
      ['add A www on acme.co.uk 2001:db8::1', '2001:db8::1 is an IPv6 address: an A record takes an IPv4 address such as 203.0.113.10. Add it as an AAAA record instead.'],
      ['add A www on acme.co.uk shop.example.net', 'An A record points to an IPv4 address such as 203.0.113.10, and "shop.example.net" is not one. To point a name at another host, use a CNAME.'],
      ['add AAAA www on acme.co.uk 203.0.113.10', '203.0.113.10 is an IPv4 address: an AAAA record takes an IPv6 address such as 2001:db8::1. Add it as an A record instead.'],
      ['add CNAME @ on acme.co.uk shop.example.net', 'acme.co.uk is the domain itself, and a CNAME cannot sit there (the domain must keep its SOA and NS records). Use an A or AAAA record for acme.co.uk, or put the CNAME on www.'],
      ['add CNAME www on acme.co.uk 203.0.113.10', 'A CNAME points to a host name, and 203.0.113.10 is an address: use an A record for it.'],
      ['add MX @ on acme.co.uk mail.acme.co.uk', 'An MX record needs a priority (lower is tried first): say it as "10 mail.acme.co.uk".'],
      ['add MX @ on acme.co.uk 10 203.0.113.25', 'An MX record names a mail server by its host name, not an address (203.0.113.25): add an A record such as mail.acme.co.uk for the address and point the MX at it.'],
      [`add TXT @ on acme.co.uk "${'k'.repeat(256)}"`, 'Quoted part 1 of that TXT value is 256 bytes; each quoted part holds at most 255. Split it, or give the value with no quotes and I split it.'],
      ['add CAA @ on acme.co.uk 0 issues letsencrypt.org', 'A CAA tag is issue, issuewild or iodef; "issues" is not one of them.'],
      ['add CAA @ on acme.co.uk 0 iodef security@acme.co.uk', 'A CAA iodef value is where reports go: a mailto: address or an https:// URL, not "security@acme.co.uk".'],
      ['add NS @ on acme.co.uk ns1.example.net', 'I can manage A, AAAA, CNAME, MX, TXT and CAA records; NS records have to be changed at the DNS provider itself.'],
      ['add A www.globex.com on acme.co.uk 203.0.113.10', 'www.globex.com is outside the zone acme.co.uk: a record here is named inside it, such as www (for www.acme.co.uk) or @ (for acme.co.uk itself).'],
      ['add A www on acme.co.uk 203.0.113.10 ttl 5', 'A TTL of 5 seconds is out of range: use between 60 seconds and 86400 (one day); without one I use 300.'],
      ['delete SRV _sip._tcp on acme.co.uk', 'I can manage A, AAAA, CNAME, MX, TXT and CAA records; SRV records have to be changed at the DNS provider itself.'],
      ['delete A www.globex.com on acme.co.uk', 'www.globex.com is outside the zone acme.co.uk: a record here is named inside it, such as www (for www.acme.co.uk) or @ (for acme.co.uk itself).'],
    ])('"%s" is answered with its explanation and no request to Cloudflare', async (text, explanation) => {
      expect(await h.say('dev', text)).toBe(explanation);
      expect(cf.requests).toEqual([]);
    });
  });

  describe('changes', () => {
  beforeEach(fresh);

    it('adding is safe: sent at once with the fields Cloudflare wants; the same record again is said to be there, and not sent', async () => {
      expect(await h.say('dev', 'add A www on acme.co.uk 203.0.113.10')).toBe('Added A www.acme.co.uk → 203.0.113.10 (TTL 300) to acme.co.uk on Cloudflare.');
      expect(cf.recordRequests('POST').map((r) => r.body)).toEqual([{ type: 'A', name: 'www.acme.co.uk', content: '203.0.113.10', ttl: 300 }]);
      expect(await h.say('dev', 'add MX @ on acme.co.uk 10 mail.acme.co.uk ttl 3600')).toBe('Added MX acme.co.uk (the domain itself) → 10 mail.acme.co.uk (TTL 3600) to acme.co.uk on Cloudflare.');
      expect(cf.recordRequests('POST').at(-1)!.body).toEqual({ type: 'MX', name: 'acme.co.uk', content: 'mail.acme.co.uk', ttl: 3600, priority: 10 });
      expect(await h.say('dev', 'add A www on acme.co.uk 203.0.113.10')).toBe('That record is already there: A www.acme.co.uk → 203.0.113.10 (TTL 300) on Cloudflare. Nothing to add.');
      expect(cf.recordRequests('POST')).toHaveLength(2);
    });

    it('a CNAME beside an A is refused after reading the name, without a write; a zone not in the account is said so', async () => {
      cf.seed('acme.co.uk', { type: 'A', name: 'shop.acme.co.uk', content: '203.0.113.10', ttl: 300 });
      expect(await h.say('dev', 'add CNAME shop on acme.co.uk shops.example.net')).toBe(
        'shop.acme.co.uk already has an A record, and a CNAME cannot sit beside other records of the same name. Delete it first, or put the CNAME on another name.',
      );
      expect(await h.say('dev', 'add A www on globex.com 203.0.113.10')).toBe(
        'globex.com is not a zone in the Cloudflare account, so I can\'t add records to it. Add the domain to Cloudflare first (its dashboard, "Add a site"), then ask again.',
      );
      expect(cf.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    });

    it('a CNAME over a CNAME is a risky replacement: the restatement shows it as it is now, the phrase sends one PUT', async () => {
      cf.seed('acme.co.uk', { type: 'CNAME', name: 'shop.acme.co.uk', content: 'old-host.example.net', ttl: 600 });
      const restated = await h.say('dev', 'add CNAME shop on acme.co.uk new-host.example.net');
      expect(restated).toContain('Replace a record in the zone acme.co.uk on Cloudflare:\nNow: CNAME shop.acme.co.uk → old-host.example.net (TTL 600)\nAfter: CNAME shop.acme.co.uk → new-host.example.net (TTL 300)');
      expect(phraseIn(restated)).toBe('CONFIRM REPLACE CNAME SHOP.ACME.CO.UK');
      expect(cf.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(await h.say('dev', 'CONFIRM REPLACE CNAME SHOP.ACME.CO.UK')).toBe('Replaced: CNAME shop.acme.co.uk → new-host.example.net (TTL 300) on Cloudflare (was old-host.example.net).');
      expect(cf.recordRequests('PUT')).toHaveLength(1);
      expect(cf.recordsOf('acme.co.uk').map((r) => r.content)).toEqual(['new-host.example.net']);
    });

    it('"change" an A record replaces the only one there, through the phrase', async () => {
      cf.seed('acme.co.uk', { type: 'A', name: 'www.acme.co.uk', content: '203.0.113.10', ttl: 300 });
      const restated = await h.say('dev', 'change A www on acme.co.uk 198.51.100.7');
      expect(restated).toContain('Now: A www.acme.co.uk → 203.0.113.10 (TTL 300)\nAfter: A www.acme.co.uk → 198.51.100.7 (TTL 300)');
      await h.say('dev', phraseIn(restated)!);
      expect(cf.recordsOf('acme.co.uk').map((r) => r.content)).toEqual(['198.51.100.7']);
    });

    it('deleting: several TXT records ask which; the restatement shows the one chosen with its TTL; cancel deletes nothing, the phrase deletes it', async () => {
      cf.seed('acme.co.uk', { type: 'TXT', name: 'acme.co.uk', content: 'v=spf1 include:_spf.google.com -all', ttl: 3600 });
      cf.seed('acme.co.uk', { type: 'TXT', name: 'acme.co.uk', content: 'google-site-verification=abc123', ttl: 300 });
      const question = await h.say('dev', 'delete TXT @ on acme.co.uk');
      expect(question).toBe(
        'acme.co.uk (the domain itself) has 2 TXT records on Cloudflare:\n' +
          '1. TXT acme.co.uk (the domain itself) → "v=spf1 include:_spf.google.com -all" (TTL 3600)\n' +
          '2. TXT acme.co.uk (the domain itself) → "google-site-verification=abc123" (TTL 300)\n' +
          'Which one should I delete? Give its value (or a part only it has).',
      );
      const restated = await h.say('dev', 'google-site-verification=abc123');
      expect(restated).toContain('Delete this record from the zone acme.co.uk on Cloudflare:\nTXT acme.co.uk (the domain itself) → "google-site-verification=abc123" (TTL 300)\n');
      expect(phraseIn(restated)).toBe('CONFIRM DELETE TXT ACME.CO.UK');
      expect(await h.say('dev', 'cancel')).toMatch(/^Cancelled/);
      expect(cf.recordRequests('DELETE')).toEqual([]);

      const again = await h.say('dev', 'delete TXT @ on acme.co.uk v=spf1');
      expect(again).toContain('TXT acme.co.uk (the domain itself) → "v=spf1 include:_spf.google.com -all" (TTL 3600)');
      expect(await h.say('dev', phraseIn(again)!)).toBe('Deleted TXT acme.co.uk (the domain itself) → "v=spf1 include:_spf.google.com -all" (TTL 3600) from acme.co.uk on Cloudflare.');
      expect(cf.recordRequests('DELETE')).toHaveLength(1);
      expect(cf.recordsOf('acme.co.uk').map((r) => r.content)).toEqual(['google-site-verification=abc123']);
    });

    it('names starting with an underscore or a wildcard make a phrase that can be typed', async () => {
      cf.seed('acme.co.uk', { type: 'TXT', name: '_dmarc.acme.co.uk', content: 'v=DMARC1; p=none', ttl: 300 });
      const restated = await h.say('dev', 'delete TXT _dmarc on acme.co.uk');
      expect(restated).toContain('TXT _dmarc.acme.co.uk → "v=DMARC1; p=none" (TTL 300)');
      expect(phraseIn(restated)).toBe('CONFIRM DELETE TXT DMARC.ACME.CO.UK');
      expect(await h.say('dev', 'CONFIRM DELETE TXT DMARC.ACME.CO.UK')).toMatch(/^Deleted TXT _dmarc\.acme\.co\.uk/);
      cf.seed('acme.co.uk', { type: 'CNAME', name: '*.dev.acme.co.uk', content: 'old.example.net', ttl: 300 });
      expect(phraseIn(await h.say('dev', 'add CNAME *.dev on acme.co.uk new.example.net'))).toBe('CONFIRM REPLACE CNAME WILDCARD.DEV.ACME.CO.UK');
    });

    it('a record changed in Cloudflare between the restatement and the phrase is left alone; one that is not there is said so', async () => {
      const seeded = cf.seed('acme.co.uk', { type: 'A', name: 'api.acme.co.uk', content: '203.0.113.20', ttl: 300 });
      const restated = await h.say('dev', 'delete A api on acme.co.uk');
      await fetch(`${cf.url}/zones/${seeded.zone_id}/dns_records/${seeded.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${FAKE_CLOUDFLARE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: '203.0.113.99' }),
      });
      expect(await h.say('dev', phraseIn(restated)!)).toBe(
        'That record changed since you confirmed (it is now A api.acme.co.uk → 203.0.113.99 (TTL 300)), so I deleted nothing. Ask again to see it as it is now.',
      );
      expect(cf.recordRequests('DELETE')).toEqual([]);
      expect(await h.say('dev', 'delete CNAME api on acme.co.uk')).toBe(
        'There is no CNAME record at api.acme.co.uk in acme.co.uk on Cloudflare, so nothing to delete. What is there: A api.acme.co.uk → 203.0.113.99 (TTL 300).',
      );
    });

    it("Cloudflare's refusals reach the person as sentences: a token it rejects, a rate limit", async () => {
      cf.failNext(403, [{ code: 9109, message: 'Unauthorized to access requested resource' }]);
      expect(await h.say('dev', 'add A www on acme.co.uk 203.0.113.10')).toBe(
        'Cloudflare refused the API token as invalid or not allowed for this zone. An admin needs to give Switchboard a valid token with Zone:Read and DNS:Edit.',
      );
      cf.failNext(429, [{ code: 971, message: 'Please wait and consider throttling your request speed' }], { 'retry-after': '60' });
      expect(await h.say('dev', 'add A www on acme.co.uk 203.0.113.10')).toBe('Cloudflare is limiting how fast we change records; try again in a few minutes.');
      expect(cf.recordRequests('POST')).toEqual([]);
    });
  });
});
