import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentHarness } from '../../support/agent-harness.js';
import { phraseIn } from '../../support/demo-chat.js';
import { dnsUnderstander } from './support/dns-understanding.js';

/**
 * The default setup (no Cloudflare token: the SANDBOX DNS) from the chat to a real DNS answer: a record
 * added is answered by the sandbox name server the service started on 127.0.0.1, and a record deleted
 * through the gate is NXDOMAIN right after.
 */
describe('DNS records on the SANDBOX DNS, seen by real DNS queries', () => {
  let h: AgentHarness;
  beforeAll(async () => {
    h = await AgentHarness.open(dnsUnderstander());
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    await h.grant('dev', 'developer', 'Dev');
  });

  /** A resolver that asks the zone's own name servers, as the domain watcher does. */
  const resolverFor = async (zone: string): Promise<Resolver> => {
    const found = await h.bot.dns.findZone(zone);
    expect(found?.nameServers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    const resolver = new Resolver({ timeout: 1_000, tries: 1 });
    resolver.setServers(found!.nameServers);
    return resolver;
  };

  it('hosts any zone on first use; the record is answered at once; deleting needs the phrase and the name is gone', async () => {
    expect(h.bot.dns.name).toBe('sandbox');
    expect(await h.say('dev', 'add A www on demo-shop.com 203.0.113.10')).toBe(
      'SANDBOX: Added A www.demo-shop.com → 203.0.113.10 (TTL 300) to demo-shop.com on the SANDBOX DNS. The SANDBOX name server answers it now; nothing changed on the internet.',
    );
    expect(await h.say('dev', 'add TXT _switchboard-test on demo-shop.com hello sandbox')).toMatch(/^SANDBOX: Added TXT/);
    const dns = await resolverFor('demo-shop.com');
    expect(await dns.resolve4('www.demo-shop.com')).toEqual(['203.0.113.10']);
    expect(await dns.resolveTxt('_switchboard-test.demo-shop.com')).toEqual([['hello sandbox']]);

    const restated = await h.say('dev', 'delete A www on demo-shop.com');
    expect(restated).toContain('SANDBOX: Delete this record from the zone demo-shop.com on the SANDBOX DNS:\nA www.demo-shop.com → 203.0.113.10 (TTL 300)\n');
    expect(phraseIn(restated)).toBe('CONFIRM DELETE A WWW.DEMO-SHOP.COM');
    // Without the phrase nothing is deleted: the name still answers.
    expect(await h.say('dev', 'CONFIRM DELETE A WWW.DEMO-SHOP.CO')).not.toMatch(/Deleted/);
    expect(await dns.resolve4('www.demo-shop.com')).toEqual(['203.0.113.10']);
    expect(await h.say('dev', 'CONFIRM DELETE A WWW.DEMO-SHOP.COM')).toBe(
      'SANDBOX: Deleted A www.demo-shop.com → 203.0.113.10 (TTL 300) from demo-shop.com on the SANDBOX DNS. The SANDBOX name server no longer answers it; nothing changed on the internet.',
    );
    await expect(dns.resolve4('www.demo-shop.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(await dns.resolveTxt('_switchboard-test.demo-shop.com')).toEqual([['hello sandbox']]);
  });

  it('a long TXT value is split into 255-byte strings and DNS hands back the same text; a CNAME over a CNAME is replaced through the phrase', async () => {
    const dkim = `v=DKIM1; k=rsa; p=${'Q'.repeat(380)}`;
    const restated = await h.say('dev', `add TXT google._domainkey on demo-shop.com ${dkim}`);
    expect(restated).toContain('stored as 2 quoted strings of at most 255');
    const dns = await resolverFor('demo-shop.com');
    const [strings] = await dns.resolveTxt('google._domainkey.demo-shop.com');
    expect(strings!.join('')).toBe(dkim);
    expect(strings!.map((s) => s.length)).toEqual([255, dkim.length - 255]);

    await h.say('dev', 'add CNAME shop on demo-shop.com old-shop.example.net');
    const replace = await h.say('dev', 'add CNAME shop on demo-shop.com new-shop.example.net');
    expect(replace).toContain('Now: CNAME shop.demo-shop.com → old-shop.example.net (TTL 300)');
    expect(await dns.resolveCname('shop.demo-shop.com')).toEqual(['old-shop.example.net']);
    await h.say('dev', phraseIn(replace)!);
    expect(await dns.resolveCname('shop.demo-shop.com')).toEqual(['new-shop.example.net']);
  });

  it('a name with nothing at it is said so, with no zone created', async () => {
    expect(await h.say('dev', 'delete A www on nothing-here.com')).toBe('SANDBOX: nothing-here.com has no zone on the SANDBOX DNS, so there is no record to delete.');
    expect(await h.bot.dns.findZone('nothing-here.com')).toBeUndefined();
  });
});
