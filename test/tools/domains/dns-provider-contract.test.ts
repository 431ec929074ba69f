import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { SandboxDnsRepo, type Stores } from '../../../store/index.js';
import { CloudflareDnsProvider, DomainProviderError, SandboxDnsProvider, type DnsProvider } from '../../../tools/domains/index.js';
import { CloudflareFake, FAKE_CLOUDFLARE_TOKEN } from '../../support/fakes/cloudflare/index.js';
import { memoryStores } from '../../support/memory-stores.js';

/**
 * What every DNS provider promises the DNS actions, the domain mapping and its watcher, whichever
 * service is behind it: each implementation joins with a few lines.
 */
interface Harness {
  provider: DnsProvider;
  /** A zone the provider holds (the sandbox creates it; Cloudflare's is added in its dashboard, here the fake). */
  zone(name: string): Promise<string>;
  close(): Promise<void>;
}

const implementations: Array<[string, () => Promise<Harness>]> = [
  [
    'sandbox',
    async () => {
      const clock = new SystemClock();
      const stores: Stores = await memoryStores(clock);
      const provider = new SandboxDnsProvider(new SandboxDnsRepo(stores.db, clock), () => ['127.0.0.1:5354']);
      return { provider, zone: async (name) => (await provider.createZone(name)).id, close: () => stores.close() };
    },
  ],
  [
    'cloudflare',
    async () => {
      const fake = await new CloudflareFake().start();
      return {
        provider: new CloudflareDnsProvider({ token: FAKE_CLOUDFLARE_TOKEN, baseUrl: fake.url }),
        zone: async (name) => fake.addZone(name),
        close: () => fake.stop(),
      };
    },
  ],
];

describe.each(implementations)('DNS provider contract: %s', (_name, open) => {
  let h: Harness;
  let zoneId: string;
  beforeAll(async () => {
    h = await open();
    zoneId = await h.zone('contract-zone.com');
  });
  afterAll(async () => {
    await h.close();
  });

  it('finds its zone by name, with name servers; none for a name it does not hold', async () => {
    const zone = await h.provider.findZone('contract-zone.com');
    expect(zone).toMatchObject({ id: zoneId, name: 'contract-zone.com' });
    expect(zone!.nameServers.length).toBeGreaterThan(0);
    expect(await h.provider.findZone('not-held-here.com')).toBeUndefined();
  });

  it('creates, lists by type and full name, updates in place and deletes; a deleted record is not_found', async () => {
    const a = await h.provider.createRecord(zoneId, { type: 'A', name: 'www.contract-zone.com', content: '203.0.113.10', ttl: 300 });
    expect(a).toMatchObject({ type: 'A', name: 'www.contract-zone.com', content: '203.0.113.10', ttl: 300 });
    const mx = await h.provider.createRecord(zoneId, { type: 'MX', name: 'contract-zone.com', content: 'mail.contract-zone.com', ttl: 600, priority: 10 });
    expect(mx).toMatchObject({ priority: 10 });
    await h.provider.createRecord(zoneId, { type: 'CAA', name: 'contract-zone.com', content: '0 issue "letsencrypt.org"', ttl: 300 });

    expect((await h.provider.listRecords(zoneId, { name: 'www.contract-zone.com' })).map((r) => r.id)).toEqual([a.id]);
    expect((await h.provider.listRecords(zoneId, { type: 'MX' })).map((r) => r.content)).toEqual(['mail.contract-zone.com']);
    expect((await h.provider.listRecords(zoneId, { type: 'CAA' })).map((r) => r.content)).toEqual(['0 issue "letsencrypt.org"']);
    expect(await h.provider.listRecords(zoneId)).toHaveLength(3);

    const moved = await h.provider.updateRecord(zoneId, a.id, { type: 'A', name: 'www.contract-zone.com', content: '198.51.100.7', ttl: 600 });
    expect(moved).toMatchObject({ id: a.id, content: '198.51.100.7', ttl: 600 });
    await h.provider.deleteRecord(zoneId, a.id);
    expect(await h.provider.listRecords(zoneId, { name: 'www.contract-zone.com' })).toEqual([]);
    const again = await h.provider.deleteRecord(zoneId, a.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DomainProviderError);
    expect(again).toMatchObject({ code: 'not_found' });
  });
});
