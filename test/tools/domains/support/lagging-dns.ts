import { randomUUID } from 'node:crypto';
import dns2 from 'dns2';
import type { DnsProvider, DnsRecord, DnsRecordType, DnsZone, NewDnsRecord } from '../../../../tools/domains/index.js';

const { Packet } = dns2;
interface Message {
  header: { id: string };
  questions: { name: string; type: number }[];
}
interface Response {
  header: { aa?: number; rcode?: number };
  answers: unknown[];
}
type Served = Pick<DnsRecord, 'type' | 'name' | 'content'>;

/** dns2's UDP server is a dgram socket with a request event. */
interface UdpServer {
  on(event: string, listener: (...args: never[]) => void): void;
  bind(port: number, address: string, cb: () => void): void;
  address(): { port: number };
  close(cb?: () => void): void;
}

const NXDOMAIN = 3;
const REFUSED = 5;

/**
 * A real authoritative name server on 127.0.0.1 (dns2, UDP, a free port) for one zone, serving what it
 * was given: a test decides when a record reaches it (`delayMs` after the provider wrote it, or never),
 * as a secondary that has not caught up does. Answers NXDOMAIN for names it holds nothing at, no
 * answer for a type it does not hold, REFUSED outside its zone.
 */
export class LaggingNameServer {
  readonly served: Served[] = [];
  private server: UdpServer | undefined;
  readonly queries: { name: string; type: number }[] = [];

  constructor(
    readonly zone: string,
    /** How long a change at the provider takes to reach this server (per record, or one for all); Infinity: never. */
    public delay: number | ((record: Served) => number),
  ) {}

  get address(): string {
    return `127.0.0.1:${this.server!.address().port}`;
  }

  async start(): Promise<void> {
    const server = new dns2.UDPServer({ type: 'udp4' }) as unknown as UdpServer;
    server.on('request', (request: Message, send: (r: Response) => void) => send(this.answer(request)));
    server.on('requestError', () => {});
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = undefined;
  }

  /** Applies a change to `record` after this server's delay for it. */
  later(record: Served, change: () => void): void {
    const ms = typeof this.delay === 'number' ? this.delay : this.delay(record);
    if (Number.isFinite(ms)) setTimeout(change, ms).unref();
  }

  private answer(request: Message): Response {
    const response = Packet.createResponseFromRequest(request as never) as unknown as Response;
    const question = request.questions[0]!;
    this.queries.push({ name: question.name, type: question.type });
    const name = question.name.toLowerCase().replace(/\.$/, '');
    if (name !== this.zone && !name.endsWith(`.${this.zone}`)) {
      response.header.rcode = REFUSED;
      return response;
    }
    response.header.aa = 1;
    const here = this.served.filter((r) => r.name === name);
    if (!here.length && name !== this.zone) {
      response.header.rcode = NXDOMAIN;
      return response;
    }
    const cname = here.find((r) => r.type === 'CNAME');
    const matching = cname && question.type !== Packet.TYPE.CNAME ? [cname] : here.filter((r) => Packet.TYPE[r.type as keyof typeof Packet.TYPE] === question.type);
    for (const r of matching) {
      const base = { name, class: Packet.CLASS.IN, ttl: 60, type: Packet.TYPE[r.type as keyof typeof Packet.TYPE] };
      const data = r.type === 'CNAME' ? { domain: r.content } : r.type === 'TXT' ? { data: [r.content] } : { address: r.content };
      response.answers.push({ ...base, ...data } as never);
    }
    return response;
  }
}

/**
 * A DNS account holding one zone, in memory, whose name servers are LaggingNameServers: a change is in
 * the account at once and reaches each server after that server's delay. Counts the calls it gets, so
 * a test can say "no API call".
 */
export class LaggingDnsProvider implements DnsProvider {
  readonly name = 'memory';
  readonly label = 'the test DNS account';
  readonly records: DnsRecord[] = [];
  readonly calls: string[] = [];
  readonly zone: DnsZone;
  /** The name servers the zone says it has; unset: the test's servers. */
  advertised: string[] | undefined;

  constructor(
    zoneName: string,
    readonly servers: LaggingNameServer[],
  ) {
    this.zone = { id: `zone-${zoneName}`, name: zoneName, nameServers: [] };
  }

  /** A record that was there before the test (on the account and on every server). */
  seed(record: Omit<NewDnsRecord, 'ttl'>): DnsRecord {
    const stored = { id: randomUUID(), ttl: 300, ...record };
    this.records.push(stored);
    for (const server of this.servers) server.served.push({ type: record.type, name: record.name, content: record.content });
    return stored;
  }

  async findZone(domain: string): Promise<DnsZone | undefined> {
    this.calls.push(`findZone ${domain}`);
    return domain === this.zone.name ? { ...this.zone, nameServers: this.advertised ?? this.servers.map((s) => s.address) } : undefined;
  }

  async listRecords(zoneId: string, filter: { type?: DnsRecordType; name?: string } = {}): Promise<DnsRecord[]> {
    this.calls.push(`list ${filter.type ?? '*'} ${filter.name ?? '*'}`);
    this.requireZone(zoneId);
    return this.records.filter((r) => (!filter.type || r.type === filter.type) && (!filter.name || r.name === filter.name)).map((r) => ({ ...r }));
  }

  async createRecord(zoneId: string, record: NewDnsRecord): Promise<DnsRecord> {
    this.calls.push(`create ${record.type} ${record.name} ${record.content}`);
    this.requireZone(zoneId);
    if (record.type === 'CNAME' && this.records.some((r) => r.name === record.name)) throw new Error(`a CNAME cannot share ${record.name}`);
    const stored = { id: randomUUID(), ...record };
    this.records.push(stored);
    for (const server of this.servers) server.later(record, () => server.served.push({ type: record.type, name: record.name, content: record.content }));
    return stored;
  }

  async updateRecord(zoneId: string, id: string, record: NewDnsRecord): Promise<DnsRecord> {
    this.calls.push(`update ${id} ${record.type} ${record.name} ${record.content}`);
    this.requireZone(zoneId);
    const index = this.records.findIndex((r) => r.id === id);
    if (index < 0) throw new Error(`no record ${id}`);
    const old = this.records[index]!;
    this.records[index] = { id, ...record };
    for (const server of this.servers) {
      server.later(record, () => {
        const at = server.served.findIndex((r) => r.type === old.type && r.name === old.name && r.content === old.content);
        if (at >= 0) server.served.splice(at, 1);
        server.served.push({ type: record.type, name: record.name, content: record.content });
      });
    }
    return { id, ...record };
  }

  async deleteRecord(zoneId: string, id: string): Promise<void> {
    this.calls.push(`delete ${id}`);
    this.requireZone(zoneId);
    const index = this.records.findIndex((r) => r.id === id);
    if (index < 0) throw new Error(`no record ${id}`);
    const [old] = this.records.splice(index, 1);
    for (const server of this.servers) {
      server.later(old!, () => {
        const at = server.served.findIndex((r) => r.type === old!.type && r.name === old!.name && r.content === old!.content);
        if (at >= 0) server.served.splice(at, 1);
      });
    }
  }

  private requireZone(zoneId: string): void {
    if (zoneId !== this.zone.id) throw new Error(`no zone ${zoneId}`);
  }
}
