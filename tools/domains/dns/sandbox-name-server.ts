import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import { SwitchboardError, type Logger } from '../../../core/index.js';
import type { SandboxDnsRecord, SandboxDnsRepo, SandboxDnsZone } from '../../../store/index.js';
import { txtStrings } from './validate-record.js';

/**
 * A real authoritative DNS server for the sandbox zones, on 127.0.0.1 (UDP and TCP on one port),
 * answering from the sandbox store. It is what makes the sandbox honest: a record added in the chat
 * is seen by an actual DNS query (`dig @127.0.0.1 -p <port> www.acme.co.uk`, node:dns with
 * `setServers`, the domain watcher), and is gone (NXDOMAIN) once deleted.
 *
 * Answers are authoritative (AA) for names inside a sandbox zone: the records of the asked type,
 * a CNAME at the name (followed inside the zone), `*.` wildcards, NOERROR with no answer and the SOA
 * when the name exists with other types (or has names below it), NXDOMAIN with the SOA when it does
 * not. The apex has a synthesised SOA and NS (`localhost`, since the server lives on this machine).
 * Names outside every sandbox zone are REFUSED: this server is nobody's resolver.
 *
 * dns2 does the wire format (RFC 1035 parsing, name compression, truncation over UDP); what to answer
 * is decided here, because a library resolver would not know the sandbox store.
 */

const { Packet } = dns2 as unknown as { Packet: PacketStatic };

/** The parts of dns2's Packet used here (its bundled types do not describe them). */
interface PacketStatic {
  TYPE: Record<string, number>;
  CLASS: { IN: number };
  createResponseFromRequest(request: DnsMessage): DnsMessage;
}
interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}
interface DnsMessage {
  header: { id: number; aa: number; rcode: number; qr: number };
  questions: DnsQuestion[];
  answers: Record<string, unknown>[];
  authorities: Record<string, unknown>[];
}
type Send = (response: DnsMessage) => unknown;
interface Listener {
  on(event: 'request', handler: (request: DnsMessage, send: Send) => void): void;
  on(event: 'requestError' | 'error', handler: (error: unknown) => void): void;
  listen(port: number, address: string): unknown;
  close(callback?: () => void): unknown;
  address(): AddressInfo | string | null;
  once(event: 'error' | 'listening', handler: (error?: unknown) => void): void;
  off(event: 'error', handler: (error: unknown) => void): void;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
/** Negative answers may be cached this long (SOA minimum, RFC 2308): short, so a fix shows up quickly. */
const NEGATIVE_TTL = 30;
const SOA_TTL = 300;
const NAME_SERVER = 'localhost';

/** SANDBOX_DNS_PORT is taken (on UDP or TCP) by another program: the service says so and does not start. */
export class SandboxDnsPortInUseError extends SwitchboardError {
  readonly code = 'sandbox_dns_port_in_use';
  constructor(port: number, options?: { cause?: unknown }) {
    super(`Another program is already using 127.0.0.1:${port} (UDP or TCP), so the sandbox name server cannot start. Stop it, or set SANDBOX_DNS_PORT to a free port (0 picks one).`, options);
  }
}

export interface SandboxNameServerOptions {
  repo: SandboxDnsRepo;
  logger?: Logger;
  /** SANDBOX_DNS_PORT; 0 picks a free port (UDP first, then TCP on the same number). */
  port?: number;
}

export class SandboxNameServer {
  private udp?: Listener;
  private tcp?: Listener;
  private boundPort?: number;

  constructor(private readonly options: SandboxNameServerOptions) {}

  /** `127.0.0.1:<port>`, as a zone's name servers say it; undefined until started. */
  get address(): string | undefined {
    return this.boundPort === undefined ? undefined : `127.0.0.1:${this.boundPort}`;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  async start(): Promise<string> {
    if (this.address) return this.address;
    const wanted = this.options.port ?? 0;
    // With port 0 the UDP port is chosen first and TCP must get the same number: another program
    // may hold it on TCP, so a few fresh picks are tried.
    for (let attempt = 0; ; attempt++) {
      const udp = this.listener('udp');
      const udpPort = await bind(udp, wanted).catch((error: unknown) => {
        throw inUse(error, wanted);
      });
      const tcp = this.listener('tcp');
      try {
        await bind(tcp, udpPort);
        this.udp = udp;
        this.tcp = tcp;
        this.boundPort = udpPort;
        this.options.logger?.info(`sandbox DNS: authoritative name server on 127.0.0.1:${udpPort} (UDP and TCP)`);
        return this.address!;
      } catch (error) {
        await close(udp);
        if (wanted !== 0 || attempt >= 4) throw inUse(error, udpPort);
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.udp && close(this.udp), this.tcp && close(this.tcp)]);
    this.udp = undefined;
    this.tcp = undefined;
    this.boundPort = undefined;
  }

  private listener(kind: 'udp' | 'tcp'): Listener {
    const server = (kind === 'udp' ? new dns2.UDPServer({ type: 'udp4' }) : new dns2.TCPServer()) as unknown as Listener;
    server.on('request', (request, send) => {
      void this.answer(request)
        .catch((error: unknown) => {
          this.options.logger?.warn({ err: error }, 'sandbox DNS: a query failed');
          const response = Packet.createResponseFromRequest(request);
          response.header.rcode = RCODE.SERVFAIL;
          return response;
        })
        .then((response) => send(response))
        // The socket closed while the answer was read (the service stopping): the client asks again elsewhere.
        .catch(() => {});
    });
    server.on('requestError', () => {}); // a malformed datagram is dropped, as any server would
    server.on('error', (error) => this.options.logger?.warn({ err: error }, `sandbox DNS: ${kind} server error`));
    return server;
  }

  /** The response to one query, from the sandbox store. */
  async answer(request: DnsMessage): Promise<DnsMessage> {
    const response = Packet.createResponseFromRequest(request);
    const question = request.questions[0];
    if (!question) {
      response.header.rcode = RCODE.REFUSED;
      return response;
    }
    const name = question.name.toLowerCase().replace(/\.+$/, '');
    const found = await this.at(name);
    if (!found) {
      response.header.rcode = RCODE.REFUSED;
      return response;
    }
    const { zone, records, exists } = found;
    response.header.aa = 1;
    const type = question.type;
    const wanted = (r: { type: string }) => type === Packet.TYPE.ANY || Packet.TYPE[r.type] === type;

    const apex = name === zone.name ? [soaOf(zone), nsOf(zone)] : [];
    const cname = records.find((r) => r.type === 'CNAME');
    if (cname && type !== Packet.TYPE.CNAME && type !== Packet.TYPE.ANY) {
      response.answers.push(resource(cname));
      // Follow the alias once when its target is in the same zone, as an authoritative server does.
      const target = cname.content.toLowerCase();
      if (target === zone.name || target.endsWith(`.${zone.name}`)) {
        for (const r of ((await this.at(target))?.records ?? []).filter(wanted)) response.answers.push(resource(r));
      }
      return response;
    }
    const matching = [...records.map(resource), ...apex].filter((r) => type === Packet.TYPE.ANY || r.type === type);
    if (matching.length > 0) {
      response.answers.push(...matching);
      return response;
    }
    response.authorities.push(soaOf(zone));
    response.header.rcode = exists || apex.length > 0 ? RCODE.NOERROR : RCODE.NXDOMAIN;
    return response;
  }

  /** The zone of `name` and its records there, one query; a wildcard answers for a name that does not exist (RFC 4592). */
  private async at(name: string): Promise<{ zone: SandboxDnsZone; records: SandboxDnsRecord[]; exists: boolean } | undefined> {
    const found = await this.options.repo.lookup(name);
    if (!found) return undefined;
    const exists = found.records.length > 0 || found.below;
    const records = exists || name === found.zone.name ? found.records : found.wildcard.map((r) => ({ ...r, name }));
    return { zone: found.zone, records, exists: exists || records.length > 0 };
  }
}

function inUse(error: unknown, port: number): unknown {
  return (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new SandboxDnsPortInUseError(port, { cause: error }) : error;
}

function soaOf(zone: SandboxDnsZone): Record<string, unknown> {
  return {
    name: zone.name,
    type: Packet.TYPE.SOA,
    class: Packet.CLASS.IN,
    ttl: SOA_TTL,
    primary: NAME_SERVER,
    admin: `hostmaster.${zone.name}`,
    serial: zone.serial,
    refresh: 3600,
    retry: 600,
    expiration: 604_800,
    minimum: NEGATIVE_TTL,
  };
}

function nsOf(zone: SandboxDnsZone): Record<string, unknown> {
  return { name: zone.name, type: Packet.TYPE.NS, class: Packet.CLASS.IN, ttl: SOA_TTL, ns: NAME_SERVER };
}

/** A stored record as dns2 encodes it. */
function resource(record: SandboxDnsRecord): Record<string, unknown> & { type: number } {
  const base = { name: record.name, type: Packet.TYPE[record.type]!, class: Packet.CLASS.IN, ttl: record.ttl };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { ...base, address: record.content };
    case 'CNAME':
      return { ...base, domain: record.content };
    case 'MX':
      return { ...base, exchange: record.content, priority: record.priority ?? 0 };
    case 'TXT':
      return { ...base, data: txtStrings(record.content) ?? [record.content] };
    case 'CAA': {
      const match = /^(\d+)\s+(\S+)\s+"?([^"]*)"?$/.exec(record.content);
      return { ...base, flags: Number(match?.[1] ?? 0), tag: match?.[2] ?? 'issue', value: match?.[3] ?? '' };
    }
    default:
      return { ...base, data: record.content };
  }
}

function bind(server: Listener, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const refused = (error: unknown) => reject(error);
    server.once('error', refused);
    server.once('listening', () => {
      server.off('error', refused);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
    server.listen(port, '127.0.0.1');
  });
}

/** Closes a listener; an open TCP connection (idle for up to 10 s in dns2) does not hold the stop up beyond 500 ms. */
function close(server: Listener): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 500);
    try {
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve(); // already closed
    }
  });
}
