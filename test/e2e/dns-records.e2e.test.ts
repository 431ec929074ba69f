import { Resolver } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudflareFake, FAKE_CLOUDFLARE_TOKEN } from '../support/fakes/cloudflare/index.js';
import { spawnService, tempDataDir, WebchatVisitor, type SpawnedService } from '../support/spawn-service.js';

const running: SpawnedService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/**
 * The embedded default (no Cloudflare token): `switchboard serve` starts the sandbox name server with
 * the service, the web chat adds and deletes records, and real DNS queries see each change.
 */
describe('switchboard serve: DNS records from the web chat (SANDBOX DNS by default, Cloudflare with its URL and token)', () => {
  it('a record added in the web chat is answered by the name server the service started; deleted through the phrase, it is NXDOMAIN', async () => {
    const service = await spawnService({ DATA_DIR: tempDataDir(), SANDBOX_DNS_PORT: '0' });
    running.push(service);
    const port = /sandbox DNS: authoritative name server on 127\.0\.0\.1:(\d+)/.exec(service.log())?.[1];
    expect(port).toBeDefined();
    const dns = new Resolver({ timeout: 1_000, tries: 1 });
    dns.setServers([`127.0.0.1:${port}`]);

    const visitor = new WebchatVisitor(service.url);
    expect(await visitor.say('add a CNAME www on soarix.ai pointing to soarix-web.pages.dev')).toEqual([
      'SANDBOX: Added CNAME www.soarix.ai → soarix-web.pages.dev (TTL 300) to soarix.ai on the SANDBOX DNS. The SANDBOX name server answers it now; nothing changed on the internet.',
    ]);
    expect(await visitor.say('add an A record api on soarix.ai pointing to 203.0.113.10')).toEqual([expect.stringMatching(/^SANDBOX: Added A api\.soarix\.ai → 203\.0\.113\.10/)]);
    expect(await dns.resolveCname('www.soarix.ai')).toEqual(['soarix-web.pages.dev']);
    expect(await dns.resolve4('api.soarix.ai')).toEqual(['203.0.113.10']);

    const [restated] = await visitor.say('delete the A record api on soarix.ai');
    expect(restated).toContain('A api.soarix.ai → 203.0.113.10 (TTL 300)');
    expect(restated).toContain('CONFIRM DELETE A API.SOARIX.AI');
    expect(await visitor.say('CONFIRM DELETE A API.SOARIX.AI')).toEqual([expect.stringMatching(/^SANDBOX: Deleted A api\.soarix\.ai/)]);
    await expect(dns.resolve4('api.soarix.ai')).rejects.toMatchObject({ code: 'ENOTFOUND' });

    expect(await service.stop()).toBe(0);
    // Stopped with the service: nobody answers on that port any more.
    await expect(dns.resolveCname('www.soarix.ai')).rejects.toMatchObject({ code: expect.stringMatching(/ETIMEOUT|ECONNREFUSED/) });
  });

  it('with CLOUDFLARE_API_URL and a token set, the same conversation drives the Cloudflare client (the fake), and no sandbox server starts', async () => {
    const cf = await new CloudflareFake().start();
    try {
      cf.addZone('soarix.ai');
      const service = await spawnService({ DATA_DIR: tempDataDir(), CLOUDFLARE_API_URL: cf.url, CLOUDFLARE_API_TOKEN: FAKE_CLOUDFLARE_TOKEN });
      running.push(service);
      expect(service.log()).not.toMatch(/sandbox DNS/);
      const visitor = new WebchatVisitor(service.url);
      expect(await visitor.say('add a CNAME www on soarix.ai pointing to soarix-web.pages.dev')).toEqual([
        'Added CNAME www.soarix.ai → soarix-web.pages.dev (TTL 300) to soarix.ai on Cloudflare.',
      ]);
      expect(cf.recordsOf('soarix.ai')).toMatchObject([{ type: 'CNAME', name: 'www.soarix.ai', content: 'soarix-web.pages.dev', ttl: 300 }]);
      const [restated] = await visitor.say('delete the www cname on soarix.ai');
      expect(restated).toContain('CNAME www.soarix.ai → soarix-web.pages.dev (TTL 300)');
      expect(await visitor.say('CONFIRM DELETE CNAME WWW.SOARIX.AI')).toEqual(['Deleted CNAME www.soarix.ai → soarix-web.pages.dev (TTL 300) from soarix.ai on Cloudflare.']);
      expect(cf.recordsOf('soarix.ai')).toEqual([]);
      expect(cf.requests.every((r) => r.authorization === `Bearer ${FAKE_CLOUDFLARE_TOKEN}`)).toBe(true);
      expect(service.log()).not.toContain(FAKE_CLOUDFLARE_TOKEN);
      expect(await service.stop()).toBe(0);
    } finally {
      await cf.stop();
    }
  });
});
