import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NotificationRepo } from '../../../store/index.js';
import type { Stores } from '../../../store/open-stores.js';
import type { MapDomainParams } from '../../../tools/domains/index.js';
import { DomainBot } from './support/domain-bot.js';
import { LaggingDnsProvider, LaggingNameServer } from './support/lagging-dns.js';

const ZONE = 'example.test';

/** Two real name servers on 127.0.0.1 for the zone, with the delays given, and a DNS account whose zone names them. */
async function zoneWith(...delays: LaggingNameServer['delay'][]): Promise<LaggingDnsProvider> {
  const servers = delays.map((delay) => new LaggingNameServer(ZONE, delay));
  for (const server of servers) await server.start();
  return new LaggingDnsProvider(ZONE, servers);
}

let stores: Stores;
beforeAll(async () => {
  stores = await DomainBot.openStores();
}, 120_000);
afterAll(() => stores?.close());

let harness: DomainBot | undefined;
let dns: LaggingDnsProvider | undefined;
afterEach(async () => {
  // The stores are shared by the file's tests: a mapping still watched would be resumed by the next bot.
  await stores.db.query(`UPDATE domain_mappings SET state = 'replaced', reason = 'the test ended' WHERE state IN ('pending', 'verified')`);
  await harness?.close();
  for (const server of dns?.servers ?? []) await server.stop();
  harness = undefined;
  dns = undefined;
});

async function prepared(h: DomainBot, slots: Record<string, string>): Promise<MapDomainParams> {
  const result = await h.actions().map.prepare(slots, h.context());
  if (!result.ok) throw new Error(`not prepared: ${JSON.stringify(result)}`);
  return result.params;
}

describe('domain.map and the domain watch, against real name servers on 127.0.0.1', () => {
  it('writes the records and the token, sees them arrive (token first, then the CNAME on the slow server), goes pending → verified → active and tells once', async () => {
    // The second server gets the TXT token after 400 ms but the CNAME only after 1.5 s: ownership is
    // shown before traffic would reach the app.
    dns = await zoneWith(150, (r) => (r.type === 'TXT' ? 400 : 1_500));
    harness = new DomainBot(dns);
    await harness.open(stores);
    const subscribed = (await harness.bot.conversations.ensure('telegram', 'team-channel')).id;
    await new NotificationRepo(harness.stores.db, harness.clock).subscribe(subscribed, ['domain.verified'], harness.person.id);
    const params = await prepared(harness, { domain: 'Shop.Example.Test', app: 'acme-shop' });
    const { map } = harness.actions();
    expect(map.risk(params)).toBe('safe'); // only adds records
    expect(params.records.map((r) => `${r.type} ${r.name} ${r.content.replace(/=.*/, '=…')}`)).toEqual([
      'CNAME shop.example.test edge.hosting.test',
      'TXT _switchboard-verify.shop.example.test switchboard-verify=…',
    ]);
    const plan = map.plan(params);
    expect(plan).toContain('production, as no environment was named');
    expect(plan).toContain('add CNAME shop.example.test → edge.hosting.test');
    expect(plan).toMatch(/add TXT _switchboard-verify\.shop\.example\.test → switchboard-verify=[0-9a-f]{32} \(the ownership token\)/);

    const started = Date.now();
    const result = await map.execute(params, harness.execution('message:map-1'));
    expect(result.summary).toContain('Connected shop.example.test to acme-shop production');
    expect(dns.records.map((r) => `${r.type} ${r.name}`).sort()).toEqual(['CNAME shop.example.test', 'TXT _switchboard-verify.shop.example.test']);
    // A replayed execution (same idempotency key) writes nothing twice and starts no second watch.
    const again = await map.execute(params, harness.execution('message:map-1'));
    expect(again.data?.mappingId).toBe(result.data?.mappingId);
    expect(dns.records).toHaveLength(2);
    const verified = await harness.until('shop.example.test', ['verified', 'active']);
    expect(verified.state).toBe('verified'); // the token reached both servers before the CNAME did
    const active = await harness.until('shop.example.test', ['active']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(active.verifiedAt).toBeLessThan(active.activeAt!);
    expect(active.lastCheck?.seenOn).toBe(2);
    expect(active.lastCheck?.servers).toEqual(dns.servers.map((s) => s.address));

    // The watch said, check by check, how many servers had everything.
    // The mapping becomes active inside the watch; the job's own record is closed just after it.
    await waitFor(async () => (await harness!.bot.jobs.get(active.watchJobId!))?.status === 'succeeded');
    const job = await harness.bot.jobs.get(active.watchJobId!);
    expect(job?.status).toBe('succeeded');
    await waitFor(async () => (await harness!.bot.jobs.logs(job!.id)).length >= 2);
    const log = (await harness.bot.jobs.logs(job!.id)).join('\n');
    expect(log).toMatch(/seen on 0 of 2 name servers|seen on 1 of 2 name servers/);
    expect(log).toContain('seen on 2 of 2 name servers');
    expect(log).toMatch(/CNAME shop\.example\.test → edge\.hosting\.test: 127\.0\.0\.1:\d+ answers nothing/);
    // Told once to the asking conversation and once to the subscribed chat, and sent by the outbox.
    await waitFor(async () => (await harness!.notices(subscribed, 'domain.verified')).length === 1 && harness!.telegram.sent.length >= 2);
    const told = await harness.notices(harness.conversationId, 'domain.verified');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('shop.example.test is verified and points at acme-shop production: every record is seen on 2 of 2 name servers');
    expect(await harness.notices(subscribed, 'domain.verified')).toHaveLength(1);
    expect(harness.telegram.texts().filter((t) => t.includes('is verified'))).toHaveLength(2);
    // A restart finds nothing left to tell or watch.
    await harness.restart();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await harness.notices(harness.conversationId, 'domain.verified')).toHaveLength(1);
    expect(await harness.notices(subscribed, 'domain.verified')).toHaveLength(1);
  }, 20_000);

  it('fails when the records never reach a server within the watch time, and tells the requester once with what is missing', async () => {
    dns = await zoneWith(100, Number.POSITIVE_INFINITY);
    harness = new DomainBot(dns, { DOMAIN_WATCH_MAX_MS: '1200' });
    await harness.open(stores);
    const { map } = harness.actions();
    await map.execute(await prepared(harness, { domain: 'www.example.test', app: 'demo-site', env: 'staging' }), harness.execution('message:map-2'));

    const failed = await harness.until('www.example.test', ['failed', 'active']);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toContain('seen on 1 of 2 name servers');
    expect(failed.reason).toContain('Missing:');
    const job = await harness.bot.jobs.get(failed.watchJobId!);
    await waitFor(async () => (await harness!.bot.jobs.get(job!.id))?.status === 'failed');
    expect((await harness.bot.jobs.get(job!.id))?.error?.code).toBe('domain_not_seen');

    await waitFor(async () => (await harness!.notices(harness!.conversationId, 'domain.failed')).length > 0);
    const told = await harness.notices(harness.conversationId, 'domain.failed');
    expect(told).toHaveLength(1);
    const server2 = dns.servers[1]!.address;
    expect(told[0]!.text).toContain('www.example.test was not verified for demo-site staging');
    expect(told[0]!.text).toContain(`A www.example.test → 127.0.0.1: ${server2} answers nothing (no such name)`);
    expect(told[0]!.text).toContain('Say "verify www.example.test" to check again.');
    await harness.restart();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await harness.notices(harness.conversationId, 'domain.failed')).toHaveLength(1);
  }, 20_000);

  it('domain.verify names the missing record, the value expected and the server still answering the old one', async () => {
    dns = await zoneWith(100, Number.POSITIVE_INFINITY);
    const old = dns.seed({ type: 'A', name: 'www.example.test', content: '192.0.2.1' });
    harness = new DomainBot(dns);
    await harness.open(stores);
    const { map, verify } = harness.actions();
    const params = await prepared(harness, { domain: 'www.example.test', app: 'demo-site', env: 'production' });
    // Overwriting a record that is there is risky, and the restatement shows it as it is now.
    expect(params.replace).toEqual([{ id: old.id, type: 'A', name: 'www.example.test', content: '192.0.2.1' }]);
    expect(map.risk(params)).toBe('risky');
    expect(map.plan(params)).toContain('• replace A www.example.test → 192.0.2.1 (there now)');
    expect(map.phrase(params)).toEqual({ verb: 'map', target: 'www.example.test', qualifier: 'demo-site' });
    await map.execute(params, harness.execution('confirmation:c-1'));
    expect(dns.records.find((r) => r.id === old.id)?.content).toBe('127.0.0.1'); // updated in place, no gap

    await waitFor(async () => dns!.servers[0]!.served.some((r) => r.content === '127.0.0.1'));
    const checkSlots = await verify.prepare({ domain: 'www.example.test' }, harness.context());
    expect(checkSlots.ok).toBe(true);
    if (!checkSlots.ok) return;
    expect(verify.risk(checkSlots.params)).toBe('safe');
    const { summary } = await verify.execute(checkSlots.params, harness.execution('message:verify-1'));
    const [server1, server2] = dns.servers.map((s) => s.address) as [string, string];
    expect(summary).toContain('www.example.test → demo-site production: seen on 1 of 2 name servers. Missing:');
    expect(summary).toContain(`• A www.example.test → 127.0.0.1: ${server2} still answers 192.0.2.1`);
    expect(summary).toMatch(new RegExp(`• TXT _switchboard-verify\\.www\\.example\\.test → switchboard-verify=[0-9a-f]{32}: ${server2.replace(/\./g, '\\.')} answers nothing \\(no such name\\)`));
    expect(summary).not.toContain(server1);
    expect(summary).toContain("I'm still watching");
  }, 20_000);

  it('refuses bad input with a sentence and no call to the DNS provider', async () => {
    dns = await zoneWith(100);
    harness = new DomainBot(dns);
    await harness.open(stores);
    const { map, verify } = harness.actions();
    const cases: [Record<string, string>, RegExp][] = [
      [{ domain: 'not a domain', app: 'demo-site' }, /is not a domain name I can connect/],
      [{ domain: 'shop..example.test', app: 'demo-site' }, /is not a domain name I can connect/],
      [{ domain: 'www.example.test', app: 'no-such-app' }, /I don't know an app called "no-such-app"/],
    ];
    for (const [slots, why] of cases) {
      const result = await map.prepare(slots, harness.context());
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : 'refusal' in result ? result.refusal : result.question).toMatch(why);
    }
    expect(dns.calls).toEqual([]);
    expect(await map.prepare({ app: 'demo-site' }, harness.context())).toMatchObject({ ok: false, slot: 'domain' });
    expect(await verify.prepare({ domain: 'nothing.example.test' }, harness.context())).toMatchObject({ ok: false, refusal: expect.stringContaining("isn't connected to an app") });
    // A CNAME cannot go at the zone's apex.
    const apex = await map.prepare({ domain: 'example.test', app: 'acme-shop' }, harness.context());
    expect(apex).toMatchObject({ ok: false, refusal: expect.stringContaining('where a CNAME cannot go') });
    // A domain the account holds no zone for.
    expect(await map.prepare({ domain: 'shop.elsewhere.test', app: 'demo-site' }, harness.context())).toMatchObject({
      ok: false,
      refusal: expect.stringContaining('holds no zone for shop.elsewhere.test'),
    });
    // An internationalised name is mapped in the form DNS holds it.
    expect((await prepared(harness, { domain: 'Bücher.example.test', app: 'demo-site' })).domain).toBe('xn--bcher-kva.example.test');
    expect(dns.calls.filter((c) => !c.startsWith('findZone') && !c.startsWith('list'))).toEqual([]);
  }, 20_000);

  it('continues a watch cut by a restart until the records arrive, and tells once', async () => {
    dns = await zoneWith(100, 1_800);
    harness = new DomainBot(dns);
    await harness.open(stores);
    const { map } = harness.actions();
    await map.execute(await prepared(harness, { domain: 'api.example.test', app: 'demo-site' }), harness.execution('message:map-3'));
    const first = await harness.until('api.example.test', ['pending', 'verified']);
    await waitFor(async () => ((await harness!.mappings.get(first.id))?.checks ?? 0) >= 1);
    await harness.restart();
    const before = await harness.bot.jobs.get(first.watchJobId!);
    expect(before?.status).toBe('interrupted');

    const active = await harness.until('api.example.test', ['active', 'failed']);
    expect(active.state).toBe('active');
    expect(active.watchJobId).not.toBe(first.watchJobId);
    await waitFor(async () => (await harness!.notices(harness!.conversationId, 'domain.verified')).length > 0);
    expect(await harness.notices(harness.conversationId, 'domain.verified')).toHaveLength(1);
  }, 20_000);
});

describe('DNS_SERVERS', () => {
  it("asks the servers it names instead of the zone's own", async () => {
    dns = await zoneWith(100);
    // The zone names a server that does not exist; only the one in DNS_SERVERS can answer.
    dns.advertised = ['ns1.nowhere.invalid'];
    harness = new DomainBot(dns, { DNS_SERVERS: dns.servers[0]!.address });
    await harness.open(stores);
    await harness.actions().map.execute(await prepared(harness, { domain: 'cdn.example.test', app: 'demo-site' }), harness.execution('message:map-4'));
    const active = await harness.until('cdn.example.test', ['active', 'failed']);
    expect(active.state).toBe('active');
    expect(active.lastCheck?.servers).toEqual([dns.servers[0]!.address]);
    // The zone was looked up to write the records, never by the watch.
    expect(dns.calls.filter((c) => c.startsWith('findZone'))).toEqual(['findZone cdn.example.test', 'findZone example.test']);
  }, 20_000);
});

describe('domain.map on the SANDBOX DNS (the embedded default)', () => {
  it('hosts the zone, writes the records, and its own name server answers them: active and told at once', async () => {
    harness = new DomainBot(undefined);
    await harness.open(stores);
    const { map } = harness.actions();
    const params = await prepared(harness, { domain: 'www.acme-demo.com', app: 'demo-site', env: 'production' });
    expect(params.sandbox).toBe(true);
    expect(params.zoneId).toBeNull();
    expect(params.zoneName).toBe('acme-demo.com');
    expect(map.risk(params)).toBe('safe');
    expect(map.plan(params)).toContain('SANDBOX: Connect www.acme-demo.com to demo-site production, in the zone acme-demo.com at the SANDBOX DNS (hosted there from now on):');
    const { summary } = await map.execute(params, harness.execution('message:map-sandbox'));
    expect(summary).toMatch(/^SANDBOX: Connected www\.acme-demo\.com to demo-site production: A www\.acme-demo\.com → 127\.0\.0\.1/);

    const active = await harness.until('www.acme-demo.com', ['active', 'failed']);
    expect(active.state).toBe('active');
    expect(active.lastCheck?.servers).toHaveLength(1);
    expect(active.lastCheck?.servers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    await waitFor(async () => (await harness!.notices(harness!.conversationId, 'domain.verified')).length > 0);
    const told = await harness.notices(harness.conversationId, 'domain.verified');
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toMatch(/^SANDBOX: ✅ www\.acme-demo\.com is verified and points at demo-site production: every record is seen on 1 of 1 name server/);
  }, 20_000);
});

async function waitFor(condition: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
