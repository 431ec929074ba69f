import { lookup } from 'node:dns/promises';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DomainCheckSummary, MappedRecord, ServerAnswer } from '../../store/index.js';

/** One name server to ask: how replies name it, and the addresses (ip or ip:port) its resolver uses. */
export interface NameServer {
  label: string;
  addresses: string[];
}

export interface CheckOptions {
  /** DNS_SERVERS: ask these instead of the zone's own name servers. */
  override?: string[];
  /** How long one server has for one question (DNS_QUERY_TIMEOUT_MS). */
  timeoutMs: number;
  now: number;
}

/** `127.0.0.1:5353` or `[::1]:53`, an address with a port (the sandbox's name servers are written so). */
function asAddress(entry: string): string | undefined {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return isIP(bracketed[1]!) ? entry : undefined;
  const withPort = /^([\d.]+)(?::\d{1,5})?$/.exec(entry);
  if (withPort) return isIP(withPort[1]!) ? entry : undefined;
  return isIP(entry) ? entry : undefined;
}

/**
 * The servers a check asks: DNS_SERVERS when set, else the zone's authoritative name servers, their
 * host names resolved to addresses first (through the system's resolver: an address of a name server
 * is not what is being verified). Never a caching resolver for the records themselves: its negative
 * cache would say "not there" for a whole SOA minimum after the record was added.
 */
export async function nameServersToAsk(zoneNameServers: readonly string[], override: readonly string[] | undefined): Promise<{ servers: NameServer[]; problems: string[] }> {
  if (override?.length) return { servers: override.map((entry) => ({ label: entry, addresses: [entry] })), problems: [] };
  const servers: NameServer[] = [];
  const problems: string[] = [];
  for (const entry of zoneNameServers) {
    const address = asAddress(entry);
    if (address) {
      servers.push({ label: entry, addresses: [address] });
      continue;
    }
    try {
      const found = await lookup(entry.replace(/\.$/, ''), { all: true });
      servers.push({ label: entry, addresses: found.map((a) => a.address) });
    } catch (error) {
      problems.push(`${entry} could not be found (${(error as NodeJS.ErrnoException).code ?? 'no address'})`);
    }
  }
  return { servers, problems };
}

const PROBLEMS: Record<string, string> = {
  ENOTFOUND: 'no such name',
  ENODATA: 'no record of this type',
  ETIMEOUT: 'no answer in time',
  ECONNREFUSED: 'connection refused',
  EREFUSED: 'refused the question',
  ESERVFAIL: 'server failure',
  ENOTIMP: 'does not answer this kind of question',
  EFORMERR: 'could not read the question',
  EBADRESP: 'a malformed answer',
  ECANCELLED: 'stopped',
};

const lower = (value: string) => value.toLowerCase().replace(/\.$/, '');

/** Values of one type at one name, as strings comparable with a record's content. */
async function ask(resolver: Resolver, type: MappedRecord['type'], name: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return (await resolver.resolve6(name)).map((a) => a.toLowerCase());
    case 'CNAME':
      return (await resolver.resolveCname(name)).map(lower);
    case 'TXT':
      // A TXT value longer than 255 characters comes back in chunks; the record is their concatenation.
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

/** What else sits at the name when the wanted type is not there (an old A where a CNAME is wanted, and so on). */
const OTHER_TYPES: Record<MappedRecord['type'], MappedRecord['type'][]> = { A: ['CNAME'], AAAA: ['CNAME'], CNAME: ['A', 'AAAA'], TXT: [] };

async function answerOf(resolver: Resolver, server: NameServer, record: MappedRecord): Promise<ServerAnswer> {
  try {
    return { server: server.label, values: await ask(resolver, record.type, record.name) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EBADRESP';
    if (code === 'ENODATA') {
      for (const other of OTHER_TYPES[record.type]) {
        const values = await ask(resolver, other, record.name).catch(() => []);
        if (values.length) return { server: server.label, values: values.map((v) => `${other} ${v}`), problem: `answers ${other} instead` };
      }
    }
    return { server: server.label, values: [], problem: PROBLEMS[code] ?? code };
  }
}

/** True when `answer` holds the record's value (a CNAME's host compared without case or final dot). */
export function answers(answer: ServerAnswer, record: MappedRecord): boolean {
  if (answer.problem) return false;
  const wanted = record.type === 'TXT' ? record.content : lower(record.content);
  return answer.values.includes(wanted);
}

/**
 * Asks every server for every wanted record, one resolver per server (so each answer is that server's
 * own), all servers at once. `seenOn` counts the servers that answered every record with its value.
 */
export async function checkRecords(records: readonly MappedRecord[], servers: readonly NameServer[], options: { timeoutMs: number; now: number; problems?: string[] }): Promise<DomainCheckSummary> {
  const perServer = await Promise.all(
    servers.map(async (server) => {
      const resolver = new Resolver({ timeout: options.timeoutMs, tries: 1 });
      resolver.setServers(server.addresses);
      try {
        return await Promise.all(records.map((record) => answerOf(resolver, server, record)));
      } finally {
        resolver.cancel();
      }
    }),
  );
  const seenOn = perServer.filter((list) => list.every((answer, i) => answers(answer, records[i]!))).length;
  return {
    at: options.now,
    seenOn,
    servers: servers.map((s) => s.label),
    records: records.map((record, i) => ({ ...record, answers: perServer.map((list) => list[i]!) })),
    ...(options.problems?.length ? { problem: options.problems.join('; ') } : servers.length ? {} : { problem: 'the zone has no name servers to ask' }),
  };
}

/** The servers on which `record` (by index) is seen. */
export function seenCount(check: DomainCheckSummary, index: number): number {
  const record = check.records[index];
  return record ? record.answers.filter((a) => answers(a, record)).length : 0;
}

/**
 * What is missing, one line per record and server: the record, the value expected, and what the server
 * answers instead ("still answers 192.0.2.1", "answers nothing: no such name").
 */
export function describeMissing(check: DomainCheckSummary): string[] {
  const lines: string[] = [];
  for (const record of check.records) {
    for (const answer of record.answers) {
      if (answers(answer, record)) continue;
      const what = answer.values.length
        ? `still answers ${answer.values.join(', ')}`
        : `answers nothing (${answer.problem ?? 'no value'})`;
      lines.push(`${record.type} ${record.name} → ${record.content}: ${answer.server} ${what}`);
    }
  }
  return lines;
}

/** "seen on 2 of 3 name servers". */
export function seenOnText(check: DomainCheckSummary): string {
  const total = check.servers.length;
  return `seen on ${check.seenOn} of ${total} name server${total === 1 ? '' : 's'}`;
}
