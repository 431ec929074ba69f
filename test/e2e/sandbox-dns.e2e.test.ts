import { Resolver } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnService, tempDataDir, WebchatVisitor, type SpawnedService } from '../support/spawn-service.js';

const running: SpawnedService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

/**
 * The embedded default (no Cloudflare token): `switchboard serve` starts the sandbox name server with
 * the service, the web chat adds and deletes records, and real DNS queries see each change.
 */
describe('switchboard serve: the SANDBOX DNS from the web chat to a DNS answer', () => {
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
});
