import { DomainProviderError } from '../domain-errors.js';
import type { DnsProvider, DnsRecord, DnsRecordType, DnsZone, NewDnsRecord } from '../ports.js';
import { parseCaa } from './validate-record.js';

export interface CloudflareDnsOptions {
  /** CLOUDFLARE_API_TOKEN: an API token with Zone:Read and DNS:Edit on the zones. */
  token: string;
  /** CLOUDFLARE_API_URL; https://api.cloudflare.com/client/v4 when absent. */
  baseUrl?: string;
  /** Per request; a request cut by it may or may not have happened. */
  timeoutMs?: number;
}

/** Cloudflare's envelope around every answer (developers.cloudflare.com/api). */
interface Envelope<T> {
  success: boolean;
  errors?: { code: number; message: string }[];
  messages?: unknown[];
  result: T;
  result_info?: { page: number; per_page: number; count: number; total_count: number; total_pages?: number };
}

interface CfZone {
  id: string;
  name: string;
  name_servers?: string[];
}

interface CfRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  ttl: number;
  priority?: number;
  proxied?: boolean;
  data?: { flags: number; tag: string; value: string };
}

/** The largest page Cloudflare lists DNS records in. */
const PAGE_SIZE = 100;

/**
 * Cloudflare's error codes for DNS records, as sentences. Codes from Cloudflare's answers: 81053 "An A,
 * AAAA, or CNAME record with that host already exists", 81054 "A CNAME record with that host already
 * exists", 81057 "Record already exists", 81058 "An identical record already exists", 10000
 * "Authentication error", 9109 "Invalid access token" / "Unauthorized to access requested resource".
 */
const SENTENCES: Record<number, { code: 'refused' | 'unauthorized' | 'not_found'; sentence: string }> = {
  81053: { code: 'refused', sentence: 'Cloudflare already has an A, AAAA or CNAME record at that name, and a CNAME must stand alone there. Delete the other record first, or use another name.' },
  81054: { code: 'refused', sentence: 'Cloudflare already has a CNAME at that name, and nothing else can sit beside a CNAME. Delete the CNAME first.' },
  81057: { code: 'refused', sentence: 'Cloudflare already has that record (same type, name and value), so nothing was added.' },
  81058: { code: 'refused', sentence: 'Cloudflare already has an identical record, so nothing was added.' },
  81044: { code: 'not_found', sentence: 'That record is no longer in the Cloudflare zone: someone deleted it.' },
  10000: { code: 'unauthorized', sentence: 'Cloudflare refused the API token (authentication error): it is missing, revoked, or not allowed to edit DNS for this zone. An admin needs to give Switchboard a token with Zone:Read and DNS:Edit.' },
  9109: { code: 'unauthorized', sentence: 'Cloudflare refused the API token as invalid or not allowed for this zone. An admin needs to give Switchboard a valid token with Zone:Read and DNS:Edit.' },
};

/** A Cloudflare refusal that means the record is already there (81057, 81058): nothing to do. */
export class DnsRecordExistsError extends DomainProviderError {
  constructor(message: string) {
    super('refused', message, false, { status: 409 });
  }
}

/**
 * The `cloudflare` DNS provider, on the Cloudflare API v4: `GET /zones?name=` (the zone and its
 * `name_servers`), `GET/POST /zones/{zone_id}/dns_records` (filtered by `type` and `name`, paged),
 * `PUT` and `DELETE /zones/{zone_id}/dns_records/{id}`, with `Authorization: Bearer <token>`.
 *
 * Plain `fetch` rather than the `cloudflare` SDK: five endpoints, and the SDK's typed errors would still
 * have to be turned into these sentences one code at a time.
 */
export class CloudflareDnsProvider implements DnsProvider {
  readonly name = 'cloudflare';
  readonly label = 'Cloudflare';
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: CloudflareDnsOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.cloudflare.com/client/v4').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async findZone(domain: string): Promise<DnsZone | undefined> {
    const { result } = await this.request<CfZone[]>('GET', '/zones', { query: { name: domain } });
    const zone = result.find((z) => z.name.toLowerCase() === domain.toLowerCase());
    return zone && { id: zone.id, name: zone.name, nameServers: zone.name_servers ?? [] };
  }

  async listRecords(zoneId: string, filter: { type?: DnsRecordType; name?: string } = {}): Promise<DnsRecord[]> {
    const records: DnsRecord[] = [];
    for (let page = 1; ; page++) {
      const query: Record<string, string> = { page: String(page), per_page: String(PAGE_SIZE) };
      if (filter.type) query.type = filter.type;
      if (filter.name) query.name = filter.name;
      const { result, result_info: info } = await this.request<CfRecord[]>('GET', `/zones/${encodeURIComponent(zoneId)}/dns_records`, { query });
      records.push(...result.map(toRecord));
      const pages = info?.total_pages ?? (info ? Math.ceil(info.total_count / info.per_page) : 1);
      if (page >= pages || result.length === 0) return records;
    }
  }

  async createRecord(zoneId: string, record: NewDnsRecord): Promise<DnsRecord> {
    const { result } = await this.request<CfRecord>('POST', `/zones/${encodeURIComponent(zoneId)}/dns_records`, { body: toBody(record) });
    return toRecord(result);
  }

  async updateRecord(zoneId: string, id: string, record: NewDnsRecord): Promise<DnsRecord> {
    const { result } = await this.request<CfRecord>('PUT', `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(id)}`, { body: toBody(record) });
    return toRecord(result);
  }

  async deleteRecord(zoneId: string, id: string): Promise<void> {
    await this.request<{ id: string }>('DELETE', `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(id)}`);
  }

  private async request<T>(method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<Envelope<T>> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // A write cut by the timeout may have happened at Cloudflare: never retried blindly.
      if (method !== 'GET' && (error as Error).name === 'TimeoutError') {
        throw new DomainProviderError('outcome_unknown', 'Cloudflare did not answer in time, so I cannot tell whether the change was made. Look at the zone before trying again.', false, { cause: error });
      }
      const why = (error as Error).name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached';
      throw new DomainProviderError('unavailable', `Cloudflare ${why}; try again in a minute.`, true, { cause: error });
    }
    const text = await response.text();
    let body: Partial<Envelope<T>> = {};
    try {
      body = text ? (JSON.parse(text) as Envelope<T>) : {};
    } catch {
      body = {};
    }
    if (response.ok && body.success !== false) return body as Envelope<T>;
    throw toError(response, body.errors ?? []);
  }
}

function toError(response: Response, errors: { code: number; message: string }[]): DomainProviderError {
  if (response.status === 429) {
    const after = Number(response.headers.get('retry-after'));
    return new DomainProviderError('rate_limited', 'Cloudflare is limiting how fast we change records; try again in a few minutes.', true, {
      status: 429,
      ...(Number.isFinite(after) && after > 0 ? { retryAfterSeconds: after } : {}),
    });
  }
  if (response.status >= 500) return new DomainProviderError('unavailable', 'Cloudflare is having trouble right now (a server error); try again in a few minutes.', true);
  for (const error of errors) {
    const known = SENTENCES[error.code];
    if (!known) continue;
    if (error.code === 81057 || error.code === 81058) return new DnsRecordExistsError(known.sentence);
    return new DomainProviderError(known.code, known.sentence, false, { status: known.code === 'unauthorized' ? 401 : known.code === 'not_found' ? 404 : 409 });
  }
  if (response.status === 401 || response.status === 403) return new DomainProviderError('unauthorized', SENTENCES[10000]!.sentence, false, { status: 401 });
  if (response.status === 404) return new DomainProviderError('not_found', 'Cloudflare has no such zone or record in this account.', false, { status: 404 });
  const reason = errors.map((e) => e.message.replace(/\.$/, '')).join('; ') || `HTTP ${response.status}`;
  return new DomainProviderError('provider_error', `Cloudflare refused the change: ${reason}.`, false, { status: 502 });
}

/** The body Cloudflare takes for one record: CAA goes as `data` (flags, tag, value), MX with its priority. */
function toBody(record: NewDnsRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { type: record.type, name: record.name, ttl: record.ttl };
  if (record.type === 'CAA') {
    const parsed = parseCaa(record.content);
    const match = parsed.ok ? /^(\d+) (\S+) "(.*)"$/.exec(parsed.value) : null;
    body.data = { flags: Number(match?.[1] ?? 0), tag: match?.[2] ?? '', value: match?.[3] ?? '' };
  } else {
    body.content = record.content;
  }
  if (record.type === 'MX') body.priority = record.priority;
  if (record.proxied !== undefined && (record.type === 'A' || record.type === 'AAAA' || record.type === 'CNAME')) body.proxied = record.proxied;
  return body;
}

function toRecord(record: CfRecord): DnsRecord {
  const content =
    record.type === 'CAA' && record.data ? `${record.data.flags} ${record.data.tag} "${record.data.value}"` : record.content;
  return {
    id: record.id,
    type: record.type as DnsRecordType,
    name: record.name,
    content,
    ttl: record.ttl,
    ...(record.priority === undefined || record.type !== 'MX' ? {} : { priority: record.priority }),
    ...(record.proxied === undefined ? {} : { proxied: record.proxied }),
  };
}
