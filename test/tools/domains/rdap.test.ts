import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../../core/clock.js';
import {
  DomainProviderError,
  parseDomainName,
  parseRdapDomain,
  RdapBootstrap,
  RdapClient,
  SHIPPED_BOOTSTRAP,
  type DomainName,
} from '../../../tools/domains/index.js';
import { RdapFake } from '../../support/fakes/rdap/index.js';

const name = (typed: string): DomainName => {
  const parsed = parseDomainName(typed);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.name;
};

const rejection = async (promise: Promise<unknown>): Promise<DomainProviderError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainProviderError);
  return error as DomainProviderError;
};

describe('parseRdapDomain (RFC 9083 domain objects)', () => {
  it('takes the registrar from the entity with role registrar (nested too), and the registration and expiration events', () => {
    const facts = parseRdapDomain({
      entities: [
        { roles: ['registrant'], vcardArray: ['vcard', [['fn', {}, 'text', 'Someone']]] },
        { roles: ['technical'], entities: [{ roles: ['registrar'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'MarkMonitor Inc.']]] }] },
      ],
      events: [
        { eventAction: 'registration', eventDate: '1997-09-15T04:00:00Z' },
        { eventAction: 'expiration', eventDate: '2028-09-14T04:00:00Z' },
        { eventAction: 'last changed', eventDate: 'not a date' },
      ],
    });
    expect(facts).toEqual({ registrar: 'MarkMonitor Inc.', registeredAt: '1997-09-15T04:00:00Z', expiresAt: '2028-09-14T04:00:00Z' });
  });

  it('falls back to the IANA id; a body without the facts gives none', () => {
    expect(parseRdapDomain({ entities: [{ roles: ['registrar'], publicIds: [{ type: 'IANA Registrar ID', identifier: '292' }] }] })).toEqual({ registrar: 'registrar #292' });
    expect(parseRdapDomain({ objectClassName: 'domain' })).toEqual({});
    expect(parseRdapDomain('nonsense')).toEqual({});
  });
});

describe('RDAP bootstrap and lookups against a registry fake', () => {
  let fake: RdapFake;
  let dataDir: string;
  beforeAll(async () => {
    fake = await new RdapFake(['com', 'test']).start();
    fake.register('acme.com', { registrar: 'Acme Registrar LLC', registeredAt: '2001-02-03T00:00:00Z', expiresAt: '2027-02-03T00:00:00Z' });
  });
  afterAll(async () => {
    await fake.stop();
  });
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const clockAt = () => new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  const bootstrapFetches = () => fake.requests.filter((r) => r.path === '/dns.json').length;

  it('the shipped copy is IANA\'s file and finds the common registries without network', async () => {
    const shipped = JSON.parse(readFileSync(SHIPPED_BOOTSTRAP, 'utf8')) as { services: [string[], string[]][] };
    expect(shipped.services.length).toBeGreaterThan(500);
    const offline = new RdapBootstrap({ url: 'http://127.0.0.1:1/dns.json', clock: clockAt() });
    expect(await offline.serversFor('acme.com')).toEqual(['https://rdap.verisign.com/com/v1/']);
    expect(await offline.serversFor('shop.acme.co.uk')).toEqual(['https://rdap.nominet.uk/uk/']);
    expect(await offline.serversFor('bücher.de')).toEqual([]);
  });

  it('fetches the bootstrap once a day, keeps it in DATA_DIR, and a new process reads that copy instead of fetching', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sb-rdap-'));
    const clock = clockAt();
    const before = bootstrapFetches();
    const bootstrap = new RdapBootstrap({ url: fake.bootstrapUrl, clock, dataDir });
    expect(await bootstrap.serversFor('acme.com')).toEqual([fake.baseUrl]);
    await clock.advance(23 * 3_600_000);
    await bootstrap.serversFor('x.test');
    expect(bootstrapFetches() - before).toBe(1);
    await clock.advance(2 * 3_600_000);
    await bootstrap.serversFor('x.test');
    expect(bootstrapFetches() - before).toBe(2);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'rdap', 'dns.json'), 'utf8')).services[0][1]).toEqual([fake.baseUrl]);
    // Restarted: the copy in DATA_DIR is fresh (written just now), so no fetch.
    const restarted = new RdapBootstrap({ url: fake.bootstrapUrl, clock: new SystemClock(), dataDir });
    expect(await restarted.serversFor('acme.com')).toEqual([fake.baseUrl]);
    expect(bootstrapFetches() - before).toBe(2);
  });

  it('only a 404 is available; a 200 is taken with registrar and dates', async () => {
    const client = new RdapClient({ bootstrap: new RdapBootstrap({ url: fake.bootstrapUrl, clock: clockAt() }) });
    expect(await client.lookup(name('free-name.com'))).toEqual({ status: 'available', server: fake.baseUrl });
    expect(await client.lookup(name('ACME.com'))).toEqual({
      status: 'taken',
      server: fake.baseUrl,
      registrar: 'Acme Registrar LLC',
      registeredAt: '2001-02-03T00:00:00Z',
      expiresAt: '2027-02-03T00:00:00Z',
    });
    expect(fake.lookups('acme.com').at(-1)?.accept).toMatch(/application\/rdap\+json/);
  });

  it('an IDN is asked in punycode', async () => {
    const client = new RdapClient({ baseUrl: fake.baseUrl });
    expect((await client.lookup(name('bücher.com'))).status).toBe('available');
    expect(fake.lookups('xn--bcher-kva.com')).toHaveLength(1);
  });

  it('429 (with Retry-After), 403 and 422 are "try again later", never available', async () => {
    const client = new RdapClient({ baseUrl: fake.baseUrl });
    fake.rateLimit(1, 429, 30);
    const limited = await rejection(client.lookup(name('free-name.com')));
    expect(limited).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 30 });
    expect(limited.message).toBe("The registry for .com is limiting lookups right now, so I can't tell whether free-name.com is free. Try again in 30 seconds.");
    for (const status of [403, 422] as const) {
      fake.rateLimit(1, status);
      const error = await rejection(client.lookup(name('free-name.com')));
      expect(error.code).toBe('rate_limited');
      expect(error.message).not.toMatch(/available/);
    }
  });

  it('a TLD without RDAP and a server that does not answer get sentences', async () => {
    const client = new RdapClient({ bootstrap: new RdapBootstrap({ url: fake.bootstrapUrl, clock: clockAt() }) });
    const unsupported = await rejection(client.lookup(name('acme.org')));
    expect(unsupported.code).toBe('unsupported_tld');
    expect(unsupported.message).toMatch(/The registry for \.org publishes no RDAP service/);
    const down = await rejection(new RdapClient({ baseUrl: 'http://127.0.0.1:1/rdap/' }).lookup(name('acme.com')));
    expect(down).toMatchObject({ code: 'unavailable', retryable: true });
    expect(down.message).toMatch(/did not answer/);
  });
});
