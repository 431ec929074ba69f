import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { LoopbackServer } from '../loopback-server.js';

/**
 * A fake of the Cloudflare API v4 endpoints the `cloudflare` DNS provider uses, as a real HTTP server on
 * 127.0.0.1 (developers.cloudflare.com/api/resources/dns/subresources/records). Every answer is Cloudflare's
 * envelope `{success, errors:[{code,message}], messages, result, result_info}`.
 * - auth: `Authorization: Bearer <token>`; missing → 400 code 10000 "Authentication error", another
 *   token → 401 code 9109 "Invalid access token"; a zone the token may not touch → 403 code 9109
 *   "Unauthorized to access requested resource";
 * - `GET /zones?name=` (zones with `name_servers`); an unknown zone id → 404 code 7003;
 * - `GET /zones/{id}/dns_records` filtered by `type` and `name` (exact), paged by `page`/`per_page`
 *   (5–5000, default 100) with `result_info`;
 * - `POST`, `PUT`, `PATCH`, `DELETE /zones/{id}/dns_records[/{record_id}]`: `type`, `name` and `ttl`
 *   (1 = automatic, else 60–86400) checked; A content IPv4 (9005), AAAA IPv6 (9006), MX needs
 *   `priority`, CAA needs `data` {flags, tag, value}; a CNAME beside an A/AAAA/CNAME → 81053, anything
 *   beside a CNAME → 81054; the same type, name and value with another TTL → 81057 "Record already
 *   exists.", an identical record → 81058 "An identical record already exists."; an unknown record → 81044;
 * - `failNext(status, errors)` scripts a refusal (429, 5xx), `stallNext(ms)` a late answer to a change made.
 */

export const FAKE_CLOUDFLARE_TOKEN = 'cf_fake_token_for_tests_0000000000000';

export interface FakeCfRecord {
  id: string;
  zone_id: string;
  zone_name: string;
  type: string;
  name: string;
  content: string;
  ttl: number;
  proxied: boolean;
  priority?: number;
  data?: { flags: number; tag: string; value: string };
  created_on: string;
  modified_on: string;
}

interface FakeZone {
  id: string;
  name: string;
  nameServers: string[];
  /** False: the token is not allowed to touch this zone. */
  allowed: boolean;
}

export interface RecordedCloudflareRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
}

type CfError = { code: number; message: string };

class CfRefusal extends Error {
  constructor(
    readonly status: number,
    readonly errors: CfError[],
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA', 'NS', 'SRV'];

export class CloudflareFake {
  readonly requests: RecordedCloudflareRequest[] = [];
  private readonly zones = new Map<string, FakeZone>();
  private readonly records = new Map<string, FakeCfRecord>();
  private readonly failures: Array<{ status: number; errors: CfError[]; headers: Record<string, string> }> = [];
  private readonly stalls: number[] = [];
  private server?: LoopbackServer;

  constructor(readonly token = FAKE_CLOUDFLARE_TOKEN) {}

  get url(): string {
    if (!this.server) throw new Error('CloudflareFake not started');
    return `http://127.0.0.1:${this.server.port}/client/v4`;
  }

  async start(): Promise<this> {
    this.server = await LoopbackServer.listen((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** A zone in the account; `allowed: false` makes the token unauthorised for it. */
  addZone(name: string, options: { nameServers?: string[]; allowed?: boolean } = {}): string {
    const id = randomBytes(16).toString('hex');
    this.zones.set(id, { id, name, nameServers: options.nameServers ?? ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'], allowed: options.allowed ?? true });
    return id;
  }

  /** Puts a record straight into a zone (what someone did in the dashboard). */
  seed(zoneName: string, record: { type: string; name: string; content: string; ttl?: number; priority?: number }): FakeCfRecord {
    const zone = [...this.zones.values()].find((z) => z.name === zoneName);
    if (!zone) throw new Error(`no zone ${zoneName}`);
    return this.store(zone, { ...record, ttl: record.ttl ?? 1, proxied: false });
  }

  /** Between tests: no records, no scripted failures, no recorded requests (zones stay). */
  clear(): void {
    this.records.clear();
    this.failures.length = 0;
    this.stalls.length = 0;
    this.requests.length = 0;
  }

  recordsOf(zoneName: string): FakeCfRecord[] {
    return [...this.records.values()].filter((r) => r.zone_name === zoneName);
  }

  /** The next request (after auth) is answered with this status and these errors. */
  failNext(status: number, errors: CfError[], headers: Record<string, string> = {}): this {
    this.failures.push({ status, errors, headers });
    return this;
  }

  /** The next request (after auth) is carried out but answered only after `ms`: a client that gives up first cannot know it happened. */
  stallNext(ms: number): this {
    this.stalls.push(ms);
    return this;
  }

  /** Requests that reached the DNS record endpoints (writes, or all). */
  recordRequests(method?: string): RecordedCloudflareRequest[] {
    return this.requests.filter((r) => r.path.includes('/dns_records') && (!method || r.method === method));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.reply(res, 400, null, [{ code: 6007, message: 'Malformed JSON in request body' }]);
    }
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
    });
    const auth = req.headers.authorization;
    if (!auth) return this.reply(res, 400, null, [{ code: 10000, message: 'Authentication error' }]);
    if (auth !== `Bearer ${this.token}`) return this.reply(res, 401, null, [{ code: 9109, message: 'Invalid access token' }]);
    const failure = this.failures.shift();
    if (failure) {
      for (const [k, v] of Object.entries(failure.headers)) res.setHeader(k, v);
      return this.reply(res, failure.status, null, failure.errors);
    }
    const stall = this.stalls.shift();
    if (stall !== undefined) {
      const reply = res.end.bind(res);
      // The change is made now; only the answer is late.
      res.end = ((...args: Parameters<typeof res.end>) => {
        setTimeout(() => reply(...args), stall);
        return res;
      }) as typeof res.end;
    }
    try {
      this.route(req.method ?? 'GET', url, body, res);
    } catch (error) {
      if (error instanceof CfRefusal) return this.reply(res, error.status, null, error.errors);
      throw error;
    }
  }

  private route(method: string, url: URL, body: unknown, res: ServerResponse): void {
    const path = url.pathname.replace(/^\/client\/v4/, '');
    if (method === 'GET' && path === '/zones') {
      const name = url.searchParams.get('name');
      const zones = [...this.zones.values()].filter((z) => !name || z.name === name);
      const result = zones.map((z) => ({ id: z.id, name: z.name, status: 'active', paused: false, type: 'full', name_servers: z.nameServers }));
      return this.reply(res, 200, result, [], { page: 1, per_page: 20, count: result.length, total_count: result.length, total_pages: 1 });
    }
    const match = /^\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?$/.exec(path);
    if (!match) throw new CfRefusal(404, [{ code: 7000, message: 'No route for that URI' }]);
    const zone = this.zones.get(match[1]!);
    if (!zone) throw new CfRefusal(404, [{ code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` }]);
    if (!zone.allowed) throw new CfRefusal(403, [{ code: 9109, message: 'Unauthorized to access requested resource' }]);
    const id = match[2];
    if (!id && method === 'GET') return this.list(zone, url, res);
    if (!id && method === 'POST') return this.reply(res, 200, this.store(zone, this.checked(zone, body, undefined)), []);
    if (!id) throw new CfRefusal(405, [{ code: 10405, message: 'Method not allowed for this route' }]);
    const record = this.records.get(id);
    if (!record || record.zone_id !== zone.id) throw new CfRefusal(404, [{ code: 81044, message: 'Record does not exist.' }]);
    switch (method) {
      case 'GET':
        return this.reply(res, 200, record, []);
      case 'DELETE':
        this.records.delete(id);
        return this.reply(res, 200, { id }, []);
      case 'PUT':
        return this.reply(res, 200, this.replace(record, this.checked(zone, body, record)), []);
      case 'PATCH': {
        const merged = { type: record.type, name: record.name, content: record.content, ttl: record.ttl, priority: record.priority, data: record.data, ...(body as object) };
        return this.reply(res, 200, this.replace(record, this.checked(zone, merged, record)), []);
      }
      default:
        throw new CfRefusal(405, [{ code: 10405, message: 'Method not allowed for this route' }]);
    }
  }

  private list(zone: FakeZone, url: URL, res: ServerResponse): void {
    const type = url.searchParams.get('type');
    const name = url.searchParams.get('name')?.toLowerCase();
    const perPage = Number(url.searchParams.get('per_page') ?? 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    if (!Number.isInteger(perPage) || perPage < 5 || perPage > 5000 || !Number.isInteger(page) || page < 1) {
      throw new CfRefusal(400, [{ code: 1004, message: 'per_page must be between 5 and 5000, page at least 1' }]);
    }
    if (type && !TYPES.includes(type)) throw new CfRefusal(400, [{ code: 1004, message: `DNS record type "${type}" is invalid` }]);
    const all = [...this.records.values()].filter((r) => r.zone_id === zone.id && (!type || r.type === type) && (!name || r.name === name));
    const result = all.slice((page - 1) * perPage, page * perPage);
    this.reply(res, 200, result, [], { page, per_page: perPage, count: result.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / perPage)) });
  }

  /** Cloudflare's checks of one record body; `self` is the record being replaced (not a conflict with itself). */
  private checked(zone: FakeZone, input: unknown, self: FakeCfRecord | undefined): Omit<FakeCfRecord, 'id' | 'zone_id' | 'zone_name' | 'created_on' | 'modified_on'> {
    const b = (input ?? {}) as Record<string, unknown>;
    const invalid = (code: number, message: string) => new CfRefusal(400, [{ code, message }]);
    if (typeof b.type !== 'string' || !TYPES.includes(b.type)) throw invalid(1004, 'DNS Validation Error: type is required and must be a valid record type');
    if (typeof b.name !== 'string' || !b.name) throw invalid(1004, 'DNS Validation Error: name is required');
    const ttl = b.ttl === undefined ? 1 : b.ttl;
    if (typeof ttl !== 'number' || !(ttl === 1 || (ttl >= 60 && ttl <= 86400))) throw invalid(1004, 'DNS Validation Error: TTL must be between 60 and 86400 seconds, or 1 for Automatic');
    const name = b.name.toLowerCase() === '@' ? zone.name : b.name.toLowerCase().endsWith(zone.name) ? b.name.toLowerCase() : `${b.name.toLowerCase()}.${zone.name}`;
    const type = b.type;
    let content = typeof b.content === 'string' ? b.content : '';
    let data: FakeCfRecord['data'];
    if (type === 'CAA') {
      const d = b.data as Record<string, unknown> | undefined;
      if (!d || typeof d.tag !== 'string' || typeof d.value !== 'string' || typeof d.flags !== 'number') throw invalid(1004, 'DNS Validation Error: data (flags, tag, value) is required for CAA records');
      if (!['issue', 'issuewild', 'iodef'].includes(d.tag)) throw invalid(1004, 'DNS Validation Error: CAA tag must be issue, issuewild or iodef');
      data = { flags: d.flags, tag: d.tag, value: d.value };
      content = `${d.flags} ${d.tag} "${d.value}"`;
    } else if (!content) throw invalid(9002, 'DNS Validation Error: content is required');
    if (type === 'A' && !isIPv4(content)) throw invalid(9005, 'Content for A record must be a valid IPv4 address.');
    if (type === 'AAAA' && !isIPv6(content)) throw invalid(9006, 'Content for AAAA record must be a valid IPv6 address.');
    if (type === 'MX' && (typeof b.priority !== 'number' || b.priority < 0 || b.priority > 65535)) throw invalid(1004, 'DNS Validation Error: priority is required for MX records (0-65535)');
    if (type === 'TXT' && content.length > 2048) throw invalid(1004, 'DNS Validation Error: TXT content must be at most 2048 characters');
    const priority = type === 'MX' ? (b.priority as number) : undefined;
    const same = [...this.records.values()].filter((r) => r.zone_id === zone.id && r.name === name && r.id !== self?.id);
    const twin = same.find((r) => r.type === type && r.content === content && r.priority === priority);
    if (twin && twin.ttl === ttl) throw new CfRefusal(400, [{ code: 81058, message: 'An identical record already exists.' }]);
    if (twin) throw new CfRefusal(400, [{ code: 81057, message: 'Record already exists.' }]);
    if (type === 'CNAME' && same.some((r) => ['A', 'AAAA', 'CNAME'].includes(r.type))) {
      throw new CfRefusal(400, [{ code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' }]);
    }
    if (type !== 'CNAME' && same.some((r) => r.type === 'CNAME')) throw new CfRefusal(400, [{ code: 81054, message: 'A CNAME record with that host already exists.' }]);
    return { type, name, content, ttl, proxied: b.proxied === true, ...(priority === undefined ? {} : { priority }), ...(data ? { data } : {}) };
  }

  private store(zone: FakeZone, record: Omit<FakeCfRecord, 'id' | 'zone_id' | 'zone_name' | 'created_on' | 'modified_on'>): FakeCfRecord {
    const now = new Date().toISOString();
    const stored = { ...record, id: randomBytes(16).toString('hex'), zone_id: zone.id, zone_name: zone.name, created_on: now, modified_on: now };
    this.records.set(stored.id, stored);
    return stored;
  }

  private replace(record: FakeCfRecord, next: Omit<FakeCfRecord, 'id' | 'zone_id' | 'zone_name' | 'created_on' | 'modified_on'>): FakeCfRecord {
    const updated: FakeCfRecord = { ...record, priority: undefined, data: undefined, ...next, modified_on: new Date().toISOString() };
    if (updated.priority === undefined) delete updated.priority;
    if (updated.data === undefined) delete updated.data;
    this.records.set(record.id, updated);
    return updated;
  }

  private reply(res: ServerResponse, status: number, result: unknown, errors: CfError[], resultInfo?: Record<string, number>): void {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ success: errors.length === 0 && status < 400, errors, messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) }));
  }
}
