import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A registry's RDAP server (RFC 7480/9082/9083) and IANA's bootstrap file (RFC 9224), as a real HTTP
 * server on 127.0.0.1:
 * - `GET /dns.json`: the bootstrap, `services: [[tlds], [this server's /rdap/ base]]` for `tlds`;
 * - `GET /rdap/domain/{name}`: the name must be lower-case ASCII (A-labels: RFC 9082 §3.1.3 leaves
 *   U-labels to the server, and registries differ, so the fake refuses them with 400); the client must
 *   accept `application/rdap+json` (406 otherwise). A registered name → 200 with a domain object (registrar
 *   entity with a vCard, `registration`/`expiration` events); any other → 404 with the RDAP error body;
 * - `rateLimit(n, status)`: the next n lookups get 429 with `Retry-After` (or 403, as some registries answer).
 */
export interface FakeRegistration {
  registrar: string;
  ianaId?: string;
  registeredAt: string;
  expiresAt: string;
}

export interface RecordedRdapRequest {
  path: string;
  accept: string | undefined;
}

export class RdapFake {
  readonly requests: RecordedRdapRequest[] = [];
  private readonly registered = new Map<string, FakeRegistration>();
  private limits: { remaining: number; status: 429 | 403 | 422; retryAfter: number } | undefined;
  private server?: LoopbackServer;

  constructor(readonly tlds: string[] = ['com', 'net', 'org', 'de']) {}

  get url(): string {
    if (!this.server) throw new Error('RdapFake not started');
    return `http://127.0.0.1:${this.server.port}`;
  }

  /** The base URL to give as RDAP_URL. */
  get baseUrl(): string {
    return `${this.url}/rdap/`;
  }

  get bootstrapUrl(): string {
    return `${this.url}/dns.json`;
  }

  /** Lookups of one domain (GET /rdap/domain/{name}). */
  lookups(domain?: string): RecordedRdapRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/rdap/domain/') && (!domain || r.path === `/rdap/domain/${domain}`));
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  register(domain: string, registration: Partial<FakeRegistration> = {}): this {
    this.registered.set(domain, {
      registrar: registration.registrar ?? 'Example Registrar, Inc.',
      ianaId: registration.ianaId ?? '9999',
      registeredAt: registration.registeredAt ?? '1997-09-15T04:00:00Z',
      expiresAt: registration.expiresAt ?? '2028-09-14T04:00:00Z',
    });
    return this;
  }

  rateLimit(count: number, status: 429 | 403 | 422 = 429, retryAfter = 30): this {
    this.limits = { remaining: count, status, retryAfter };
    return this;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://fake').pathname);
    this.requests.push({ path, accept: req.headers.accept });
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.error(res, 405, 'Method Not Allowed', ['RDAP answers GET and HEAD only.']);
    if (path === '/dns.json') {
      return this.json(res, 200, {
        description: 'RDAP bootstrap file for Domain Name System registrations',
        publication: '2026-03-01T00:00:00Z',
        version: '1.0',
        services: [[this.tlds, [this.baseUrl]]],
      }, 'application/json');
    }
    const match = /^\/rdap\/domain\/([^/]+)$/.exec(path);
    if (!match) return this.error(res, 400, 'Bad Request', ['Unsupported query.']);
    const accept = req.headers.accept ?? '';
    if (!/application\/(rdap\+)?json|\*\/\*/.test(accept)) return this.error(res, 406, 'Not Acceptable', ['Ask for application/rdap+json.']);
    if (this.limits && this.limits.remaining > 0) {
      this.limits.remaining--;
      res.setHeader('retry-after', String(this.limits.retryAfter));
      return this.error(res, this.limits.status, this.limits.status === 429 ? 'Too Many Requests' : 'Forbidden', ['Query rate exceeded; try again later.']);
    }
    const name = match[1]!;
    if (!/^[a-z0-9.-]+$/.test(name)) return this.error(res, 400, 'Bad Request', ['Domain names are queried in lower-case ASCII (A-labels).']);
    const registration = this.registered.get(name);
    if (!registration) return this.error(res, 404, 'Not Found', ['The domain you are seeking is not found.']);
    return this.json(res, 200, {
      objectClassName: 'domain',
      rdapConformance: ['rdap_level_0', 'icann_rdap_response_profile_0', 'icann_rdap_technical_implementation_guide_0'],
      handle: `${name.replace(/\./g, '_').toUpperCase()}-FAKE`,
      ldhName: name.toUpperCase(),
      status: ['client transfer prohibited'],
      events: [
        { eventAction: 'registration', eventDate: registration.registeredAt },
        { eventAction: 'expiration', eventDate: registration.expiresAt },
        { eventAction: 'last update of RDAP database', eventDate: '2026-03-01T00:00:00Z' },
      ],
      entities: [
        {
          objectClassName: 'entity',
          handle: registration.ianaId,
          roles: ['registrar'],
          publicIds: [{ type: 'IANA Registrar ID', identifier: registration.ianaId }],
          vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', registration.registrar]]],
          entities: [{ objectClassName: 'entity', roles: ['abuse'], vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Abuse desk']]] }],
        },
      ],
      nameservers: [{ objectClassName: 'nameserver', ldhName: 'NS1.EXAMPLE.NET' }],
      notices: [{ title: 'Terms of Use', description: ['Service subject to Terms of Use.'] }],
    });
  }

  private error(res: ServerResponse, status: number, title: string, description: string[]): void {
    this.json(res, status, { errorCode: status, title, description, rdapConformance: ['rdap_level_0'] });
  }

  private json(res: ServerResponse, status: number, body: unknown, type = 'application/rdap+json'): void {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(body));
  }
}
