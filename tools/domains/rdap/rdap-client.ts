import { DomainProviderError } from '../domain-errors.js';
import { showDomain, type DomainName } from '../domain-name.js';
import { parseRdapDomain, type RdapDomainFacts } from './parse-rdap.js';
import type { RdapBootstrap } from './rdap-bootstrap.js';

/** What the registry's RDAP server said about one name. */
export type RdapAnswer = { status: 'available'; server: string } | ({ status: 'taken'; server: string } & RdapDomainFacts);

export interface RdapClientOptions {
  /** Finds the registry's server per TLD (RDAP_BOOTSTRAP_URL). */
  bootstrap?: RdapBootstrap;
  /** RDAP_URL: one base URL for every name, instead of the bootstrap. */
  baseUrl?: string;
  timeoutMs?: number;
}

/**
 * Availability through RDAP (RFC 9082/9083): `GET {base}domain/{name}` on the registry's server.
 * Only a 404 means the registry has no such name; a 200 is a registration (registrar and dates read from
 * it); 429, and the 403/422 some registries answer when rate limiting, mean "try again later" and never
 * "available". Plain `fetch`: two status codes and one JSON shape do not need a client library.
 */
export class RdapClient {
  private readonly timeoutMs: number;

  constructor(private readonly options: RdapClientOptions) {
    if (!options.bootstrap && !options.baseUrl) throw new Error('RdapClient needs a bootstrap or a base URL');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async lookup(name: DomainName): Promise<RdapAnswer> {
    const shown = showDomain(name);
    const bases = this.options.baseUrl ? [withSlash(this.options.baseUrl)] : await this.options.bootstrap!.serversFor(name.ascii);
    if (bases.length === 0) {
      throw new DomainProviderError(
        'unsupported_tld',
        `The registry for .${name.suffix} publishes no RDAP service, so I can't check ${shown} from here; the registrar's own search can.`,
      );
    }
    const server = bases[0]!;
    let response: Response;
    try {
      response = await fetch(`${server}domain/${encodeURIComponent(name.ascii)}`, {
        headers: { accept: 'application/rdap+json, application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new DomainProviderError('unavailable', `The registry's RDAP server for .${name.suffix} did not answer, so I can't tell whether ${shown} is free. Try again in a few minutes.`, true, {
        cause: error,
      });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 404) return { status: 'available', server };
    if (response.ok) return { status: 'taken', server, ...parseRdapDomain(body) };
    if (response.status === 429 || response.status === 403 || response.status === 422) {
      const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
      throw new DomainProviderError(
        'rate_limited',
        `The registry for .${name.suffix} is limiting lookups right now, so I can't tell whether ${shown} is free. Try again ${retryAfter ? `in ${describeWait(retryAfter)}` : 'in a minute'}.`,
        true,
        { status: 503, ...(retryAfter ? { retryAfterSeconds: retryAfter } : {}) },
      );
    }
    if (response.status >= 500) {
      throw new DomainProviderError('unavailable', `The registry's RDAP server for .${name.suffix} is having trouble (HTTP ${response.status}), so I can't tell whether ${shown} is free. Try again later.`, true);
    }
    throw new DomainProviderError('provider_error', `The registry refused to look up ${shown}${rdapReason(body)}.`);
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The RFC 9083 error body's title/description, as a clause. */
function rdapReason(body: unknown): string {
  const { title, description } = (body ?? {}) as { title?: unknown; description?: unknown };
  const text = [typeof title === 'string' ? title : '', ...(Array.isArray(description) ? description.filter((d) => typeof d === 'string') : [])]
    .filter(Boolean)
    .join(' ')
    .slice(0, 200);
  return text ? `: ${text}` : '';
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds > 0) return Math.ceil(seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
