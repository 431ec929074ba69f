/**
 * The two ports of the domain tools. Registrars (Porkbun, the sandbox) sell names; DNS providers
 * (Cloudflare, the sandbox) hold zones and records. Actions, the mapping watcher and the CLI speak
 * only to these interfaces, so a test or a newcomer's first run swaps the sandbox in without a key.
 *
 * Errors: a provider throws `DomainProviderError` (tools/domains/domain-errors.ts) whose `message` is a
 * sentence a person can read; `retryable` says whether trying again later may help.
 */

/** A registrar's price for one name, as quoted now. Money in the smallest unit (cents). */
export interface DomainQuote {
  domain: string;
  available: boolean;
  /** First-year price in cents, in `currency`. */
  priceCents: number;
  /** Price of each renewal in cents. */
  renewalCents: number;
  currency: string;
  premium: boolean;
}

export interface Registration {
  domain: string;
  /** Total charged in cents. */
  costCents: number;
  years: number;
  /** The registrar's order id, when it gives one. */
  orderId?: string;
  /** True when the name was already ours and nothing was bought (a retried order). */
  alreadyOwned?: boolean;
}

export interface Registrar {
  /** `porkbun` | `sandbox`. */
  readonly name: string;
  /** Shown in replies: "Porkbun", "the SANDBOX registrar (nothing is bought)". */
  readonly label: string;
  quote(domain: string): Promise<DomainQuote>;
  /** Is the name in the agency's account now? Asked before any retry of `register`. */
  owns(domain: string): Promise<boolean>;
  /**
   * Buys `domain` for `years` at exactly `expectedCostCents`; refuses (DomainProviderError, code
   * `price_changed`) when the registrar's price is no longer that. `idempotencyKey` is unique per intended purchase.
   */
  register(request: { domain: string; years: number; expectedCostCents: number; idempotencyKey: string }): Promise<Registration>;
}

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'CAA';

/** One record as the provider holds it. `name` is the full name (`www.example.com`, or `example.com` at the apex). */
export interface DnsRecord {
  id: string;
  type: DnsRecordType;
  name: string;
  content: string;
  ttl: number;
  /** MX only. */
  priority?: number;
  proxied?: boolean;
}

export type NewDnsRecord = Omit<DnsRecord, 'id'>;

export interface DnsZone {
  id: string;
  name: string;
  /** The zone's authoritative name servers (host names). */
  nameServers: string[];
}

export interface DnsProvider {
  /** `cloudflare` | `sandbox`. */
  readonly name: string;
  readonly label: string;
  /** The zone that holds `domain` (the registrable name), or undefined when the account has none. */
  findZone(domain: string): Promise<DnsZone | undefined>;
  /** Creates a zone when the provider can (the sandbox; Cloudflare's `POST /zones`). */
  createZone?(domain: string): Promise<DnsZone>;
  listRecords(zoneId: string, filter?: { type?: DnsRecordType; name?: string }): Promise<DnsRecord[]>;
  createRecord(zoneId: string, record: NewDnsRecord): Promise<DnsRecord>;
  updateRecord(zoneId: string, id: string, record: NewDnsRecord): Promise<DnsRecord>;
  deleteRecord(zoneId: string, id: string): Promise<void>;
}
