import { Resolver } from 'node:dns/promises';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import { SandboxDnsRepo, type Stores } from '../../../store/index.js';
import { createDnsProvider, SandboxDnsPortInUseError, SandboxDnsProvider, SandboxNameServer } from '../../../tools/domains/index.js';
import { memoryStores } from '../../support/memory-stores.js';

/** The sandbox name server answers real DNS queries (node's resolver, UDP) from the sandbox store. */
describe('sandbox name server', () => {
  let stores: Stores;
  let server: SandboxNameServer;
  let provider: SandboxDnsProvider;
  let resolver: Resolver;

  beforeAll(async () => {
    const clock = new SystemClock();
    stores = await memoryStores(clock);
    const repo = new SandboxDnsRepo(stores.db, clock);
    server = new SandboxNameServer({ repo, port: 0 });
    provider = new SandboxDnsProvider(repo, () => (server.address ? [server.address] : []));
    await server.start();
    resolver = new Resolver({ timeout: 1_000, tries: 1 });
    resolver.setServers([server.address!]);
  });
  afterAll(async () => {
    await server.stop();
    await stores.close();
  });

  it('the zone names it as its name server, and it answers what was added, authoritatively', async () => {
    const zone = await provider.createZone('acme.test');
    expect(zone.nameServers).toEqual([server.address]);
    expect((await provider.findZone('acme.test'))?.nameServers).toEqual([`127.0.0.1:${server.port}`]);
    await provider.createRecord(zone.id, { type: 'A', name: 'www.acme.test', content: '203.0.113.10', ttl: 300 });
    await provider.createRecord(zone.id, { type: 'AAAA', name: 'www.acme.test', content: '2001:db8::10', ttl: 300 });
    await provider.createRecord(zone.id, { type: 'CNAME', name: 'shop.acme.test', content: 'www.acme.test', ttl: 300 });
    await provider.createRecord(zone.id, { type: 'MX', name: 'acme.test', content: 'mail.acme.test', ttl: 300, priority: 10 });
    const long = 'v=DKIM1; k=rsa; p=' + 'A'.repeat(300);
    await provider.createRecord(zone.id, { type: 'TXT', name: '_dkim.acme.test', content: `"${long.slice(0, 255)}" "${long.slice(255)}"`, ttl: 300 });
    await provider.createRecord(zone.id, { type: 'TXT', name: 'acme.test', content: 'v=spf1 -all', ttl: 300 });
    await provider.createRecord(zone.id, { type: 'CAA', name: 'acme.test', content: '0 issue "letsencrypt.org"', ttl: 300 });

    expect(await resolver.resolve4('www.acme.test')).toEqual(['203.0.113.10']);
    expect(await resolver.resolve6('www.acme.test')).toEqual(['2001:db8::10']);
    expect(await resolver.resolveCname('shop.acme.test')).toEqual(['www.acme.test']);
    // A query for A at the alias gets the CNAME and, inside the zone, the address it leads to.
    expect(await resolver.resolve4('shop.acme.test')).toEqual(['203.0.113.10']);
    expect(await resolver.resolveMx('acme.test')).toEqual([{ exchange: 'mail.acme.test', priority: 10 }]);
    expect(await resolver.resolveTxt('_dkim.acme.test')).toEqual([[long.slice(0, 255), long.slice(255)]]);
    expect(await resolver.resolveTxt('acme.test')).toEqual([['v=spf1 -all']]);
    expect(await resolver.resolveCaa('acme.test')).toEqual([{ critical: 0, issue: 'letsencrypt.org' }]);
    expect(await resolver.resolveNs('acme.test')).toEqual(['localhost']);
    expect((await resolver.resolveSoa('acme.test')).hostmaster).toBe('hostmaster.acme.test');
  });

  it('NXDOMAIN for a name that does not exist, no data for a name that has other types, refused outside its zones', async () => {
    await expect(resolver.resolve4('nothing.acme.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolveMx('www.acme.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve4('example.org')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('a wildcard answers for names that do not exist, not for those that do', async () => {
    const zone = (await provider.findZone('acme.test'))!;
    await provider.createRecord(zone.id, { type: 'A', name: '*.preview.acme.test', content: '203.0.113.77', ttl: 300 });
    await provider.createRecord(zone.id, { type: 'TXT', name: 'pr-1.preview.acme.test', content: 'kept', ttl: 300 });
    expect(await resolver.resolve4('pr-42.preview.acme.test')).toEqual(['203.0.113.77']);
    await expect(resolver.resolveMx('pr-42.preview.acme.test')).rejects.toMatchObject({ code: 'ENODATA' });
    // pr-1 exists (it has a TXT), so the wildcard does not speak for it.
    await expect(resolver.resolve4('pr-1.preview.acme.test')).rejects.toMatchObject({ code: 'ENODATA' });
    // preview.acme.test has names below it: it exists, with no data of its own.
    await expect(resolver.resolve4('preview.acme.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('a deleted record is NXDOMAIN at once; a changed one answers the new value', async () => {
    const zone = (await provider.findZone('acme.test'))!;
    const [a] = await provider.listRecords(zone.id, { type: 'A', name: 'www.acme.test' });
    await provider.updateRecord(zone.id, a!.id, { type: 'A', name: 'www.acme.test', content: '198.51.100.7', ttl: 300 });
    expect(await resolver.resolve4('www.acme.test')).toEqual(['198.51.100.7']);
    const added = await provider.createRecord(zone.id, { type: 'A', name: 'api.acme.test', content: '203.0.113.20', ttl: 60 });
    expect(await resolver.resolve4('api.acme.test')).toEqual(['203.0.113.20']);
    await provider.deleteRecord(zone.id, added.id);
    await expect(resolver.resolve4('api.acme.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('an answer too big for UDP is truncated there and given whole over TCP on the same port', async () => {
    const zone = (await provider.findZone('acme.test'))!;
    const strings = Array.from({ length: 8 }, (_, i) => String(i).repeat(250));
    await provider.createRecord(zone.id, { type: 'TXT', name: 'big.acme.test', content: strings.map((s) => `"${s}"`).join(' '), ttl: 300 });
    // node's resolver retries over TCP when the UDP answer comes back truncated (TC).
    expect(await resolver.resolveTxt('big.acme.test')).toEqual([strings]);
    const tcp = dns2.TCPClient({ dns: '127.0.0.1', port: server.port! });
    const answer = (await tcp('big.acme.test', 'TXT')) as unknown as { answers: { data: string[] }[]; header: { aa: number } };
    expect(answer.header.aa).toBe(1);
    expect(answer.answers[0]!.data).toEqual(strings);
  });

  it('a fixed port another program holds is refused with a sentence that says what to do', async () => {
    const second = new SandboxNameServer({ repo: new SandboxDnsRepo(stores.db, new SystemClock()), port: server.port! });
    await expect(second.start()).rejects.toThrow(SandboxDnsPortInUseError);
    await expect(second.start()).rejects.toThrow(`Another program is already using 127.0.0.1:${server.port} (UDP or TCP), so the sandbox name server cannot start. Stop it, or set SANDBOX_DNS_PORT to a free port (0 picks one).`);
  });

  it('is what the factory makes for the sandbox, not yet listening until started', async () => {
    const setup = createDnsProvider({ dns: { provider: 'sandbox', cloudflare: undefined, sandboxPort: 0 } }, { db: stores.db, clock: new SystemClock() });
    expect(setup.provider.name).toBe('sandbox');
    expect(setup.nameServer?.address).toBeUndefined();
    await setup.nameServer!.start();
    try {
      expect((await setup.provider.findZone('acme.test'))?.nameServers).toEqual([setup.nameServer!.address]);
    } finally {
      await setup.nameServer!.stop();
    }
  });

  it('stopping while answers are being read throws nothing: an answer ready after the socket closed is dropped', async () => {
    const repo = new SandboxDnsRepo(stores.db, new SystemClock());
    // A slow store: every lookup takes 300 ms, so the socket closes while answers are still being read.
    const slow = Object.assign(Object.create(repo) as SandboxDnsRepo, {
      lookup: async (name: string) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return repo.lookup(name);
      },
    });
    const stopping = new SandboxNameServer({ repo: slow, port: 0 });
    await stopping.start();
    const asker = new Resolver({ timeout: 1_000, tries: 1 });
    asker.setServers([stopping.address!]);
    const inFlight = Promise.allSettled(Array.from({ length: 10 }, () => asker.resolve4('www.acme.test')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stopping.stop();
    const outcomes = await inFlight;
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(stopping.address).toBeUndefined();
  });
});
