import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRecords, describeMissing, nameServersToAsk, seenOnText } from '../../../tools/domains/index.js';
import { LaggingNameServer } from './support/lagging-dns.js';

const ZONE = 'example.test';
let fresh: LaggingNameServer;
let stale: LaggingNameServer;
let silent: dgram.Socket;

beforeAll(async () => {
  fresh = new LaggingNameServer(ZONE, 0);
  stale = new LaggingNameServer(ZONE, 0);
  await fresh.start();
  await stale.start();
  fresh.served.push({ type: 'CNAME', name: 'www.example.test', content: 'edge.hosting.test' }, { type: 'TXT', name: '_switchboard-verify.www.example.test', content: 'switchboard-verify=t1' });
  stale.served.push({ type: 'A', name: 'www.example.test', content: '192.0.2.1' });
  // A server that takes questions and never answers.
  silent = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await fresh.stop();
  await stale.stop();
  silent.close();
});

const wanted = [
  { type: 'CNAME' as const, name: 'www.example.test', content: 'edge.hosting.test' },
  { type: 'TXT' as const, name: '_switchboard-verify.www.example.test', content: 'switchboard-verify=t1' },
];

describe('asking name servers one by one', () => {
  it("says per server what it answers: the value, the old record of another type, nothing, or no answer in time", async () => {
    const silentAddress = `127.0.0.1:${silent.address().port}`;
    const servers = (await nameServersToAsk([], [fresh.address, stale.address, silentAddress])).servers;
    const check = await checkRecords(wanted, servers, { timeoutMs: 300, now: 0 });
    expect(seenOnText(check)).toBe('seen on 1 of 3 name servers');
    expect(describeMissing(check)).toEqual([
      `CNAME www.example.test → edge.hosting.test: ${stale.address} still answers A 192.0.2.1`,
      `CNAME www.example.test → edge.hosting.test: ${silentAddress} answers nothing (no answer in time)`,
      `TXT _switchboard-verify.www.example.test → switchboard-verify=t1: ${stale.address} answers nothing (no such name)`,
      `TXT _switchboard-verify.www.example.test → switchboard-verify=t1: ${silentAddress} answers nothing (no answer in time)`,
    ]);
    // Each server was asked itself: the stale one never saw the fresh one's answers.
    expect(stale.queries.some((q) => q.name === 'www.example.test')).toBe(true);
    expect(fresh.queries.some((q) => q.name === 'www.example.test')).toBe(true);
  });

  it("uses DNS_SERVERS instead of the zone's name servers, and resolves name server host names to addresses first", async () => {
    expect(await nameServersToAsk(['ns1.example.net'], ['127.0.0.1:5300', '[::1]:53'])).toEqual({
      servers: [
        { label: '127.0.0.1:5300', addresses: ['127.0.0.1:5300'] },
        { label: '[::1]:53', addresses: ['[::1]:53'] },
      ],
      problems: [],
    });
    const { servers, problems } = await nameServersToAsk(['localhost', '127.0.0.1:5301', 'ns1.nowhere.invalid'], undefined);
    expect(servers[0]!.label).toBe('localhost');
    expect(servers[0]!.addresses.length).toBeGreaterThan(0);
    expect(servers[0]!.addresses.every((a) => a === '127.0.0.1' || a === '::1')).toBe(true);
    expect(servers[1]).toEqual({ label: '127.0.0.1:5301', addresses: ['127.0.0.1:5301'] });
    expect(problems).toEqual([expect.stringMatching(/^ns1\.nowhere\.invalid could not be found/)]);
    const none = await checkRecords(wanted, [], { timeoutMs: 300, now: 0 });
    expect(none.problem).toBe('the zone has no name servers to ask');
    expect(none.seenOn).toBe(0);
  });
});
