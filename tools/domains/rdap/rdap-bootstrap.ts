import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../../core/index.js';

/** IANA's RDAP bootstrap for domains (RFC 9224): `services` is a list of `[[tlds], [base urls]]`. */
export interface RdapBootstrapFile {
  publication?: string;
  services: [string[], string[]][];
}

/**
 * The copy shipped with the package, for a first start without network: IANA's dns.json as published
 * 2026-03-23 (https://data.iana.org/rdap/dns.json, taken unchanged from a public mirror of it).
 */
export const SHIPPED_BOOTSTRAP = fileURLToPath(new URL('./iana-dns.json', import.meta.url));

const DAY_MS = 24 * 60 * 60 * 1000;
/** After a failed refresh, the copy in hand serves for this long before the next try. */
const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

export interface RdapBootstrapOptions {
  /** RDAP_BOOTSTRAP_URL. */
  url: string;
  clock: Clock;
  /** DATA_DIR: the last fetched copy is kept in `rdap/dns.json` so a restart does not fetch again. */
  dataDir?: string;
  /** The copy used until the first fetch succeeds. */
  shippedFile?: string;
}

/**
 * Which RDAP servers answer for a TLD, from IANA's bootstrap file. The file is fetched at most once a day
 * (kept in memory and in DATA_DIR/rdap/dns.json); until a fetch succeeds, the last copy in DATA_DIR or the
 * shipped one serves, so a service without network still finds the common registries.
 */
export class RdapBootstrap {
  private services: Map<string, string[]> | undefined;
  private fetchedAt = 0;
  private nextAttemptAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly options: RdapBootstrapOptions) {}

  /** Base URLs for `domain` (punycode), longest matching suffix first (RFC 9224 §4); empty when no registry publishes RDAP. */
  async serversFor(domain: string): Promise<string[]> {
    await this.fresh();
    const labels = domain.toLowerCase().split('.');
    for (let i = 1; i < labels.length; i++) {
      const urls = this.services!.get(labels.slice(i).join('.'));
      if (urls?.length) return [...urls].sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')));
    }
    return [];
  }

  private async fresh(): Promise<void> {
    if (!this.services) this.loadLocal();
    const now = this.options.clock.now();
    if (now - this.fetchedAt < DAY_MS || now < this.nextAttemptAt) return;
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    await this.refreshing;
  }

  private loadLocal(): void {
    const cached = this.cacheFile();
    if (cached) {
      try {
        this.services = index(JSON.parse(readFileSync(cached, 'utf8')));
        this.fetchedAt = statSync(cached).mtimeMs;
        return;
      } catch {
        // No copy yet, or a broken one: the shipped copy serves until the next fetch.
      }
    }
    this.services = index(JSON.parse(readFileSync(this.options.shippedFile ?? SHIPPED_BOOTSTRAP, 'utf8')));
  }

  private async refresh(): Promise<void> {
    const now = this.options.clock.now();
    try {
      const response = await fetch(this.options.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      this.services = index(JSON.parse(text));
      this.fetchedAt = now;
      this.save(text);
    } catch {
      this.nextAttemptAt = now + RETRY_AFTER_FAILURE_MS;
    }
  }

  private save(text: string): void {
    const file = this.cacheFile();
    if (!file) return;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    } catch {
      // A read-only data folder only costs a fetch at the next start.
    }
  }

  private cacheFile(): string | undefined {
    return this.options.dataDir ? path.join(this.options.dataDir, 'rdap', 'dns.json') : undefined;
  }
}

function index(file: unknown): Map<string, string[]> {
  const services = (file as RdapBootstrapFile | undefined)?.services;
  if (!Array.isArray(services)) throw new Error('not an RDAP bootstrap file: no "services"');
  const map = new Map<string, string[]>();
  for (const entry of services) {
    if (!Array.isArray(entry) || !Array.isArray(entry[0]) || !Array.isArray(entry[1])) continue;
    const urls = entry[1].filter((u): u is string => typeof u === 'string').map((u) => (u.endsWith('/') ? u : `${u}/`));
    for (const tld of entry[0]) if (typeof tld === 'string') map.set(tld.toLowerCase(), urls);
  }
  return map;
}
