import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { App, DomainTarget, Environment } from '../apps/index.js';
import type { MappedRecord } from '../../store/index.js';

/** Vercel's documented targets: a CNAME for a subdomain, an A record for a zone's apex. */
export const VERCEL_CNAME = 'cname.vercel-dns.com';
export const VERCEL_APEX_A = '76.76.21.21';
/** Local and sandbox deploys are served by this machine (the service's /sites pages). */
export const LOCAL_ADDRESS = '127.0.0.1';

/** The TXT record that proves the agency controls the zone: `_switchboard-verify.<domain>`. */
export const TOKEN_LABEL = '_switchboard-verify';
export const TOKEN_PREFIX = 'switchboard-verify=';

export function tokenRecordName(domain: string): string {
  return `${TOKEN_LABEL}.${domain}`;
}

export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(16).toString('hex')}`;
}

/** A TXT value this service wrote for an earlier mapping: replacing it overwrites nobody's record. */
export function isOurToken(record: { type: string; content: string }): boolean {
  return record.type === 'TXT' && record.content.startsWith(TOKEN_PREFIX);
}

/** The environment's domain target as written in the catalog, else its deploy provider's default. */
export function domainTargetOf(app: App, env: Environment, apex: boolean): { target: DomainTarget; fromCatalog: boolean } {
  const deploy = app.environments[env];
  if (deploy.domainTarget) return { target: deploy.domainTarget, fromCatalog: true };
  if (deploy.provider === 'vercel') return { target: apex ? { a: [VERCEL_APEX_A] } : { cname: VERCEL_CNAME }, fromCatalog: false };
  return { target: { a: [LOCAL_ADDRESS] }, fromCatalog: false };
}

/**
 * The records `domain` needs to reach the app's environment, or why it cannot have them (a CNAME
 * cannot sit at a zone's apex: the apex also holds the zone's SOA and NS records).
 */
export function appRecords(app: App, env: Environment, domain: string, zoneName: string): { records: MappedRecord[] } | { refusal: string } {
  const apex = domain === zoneName;
  const { target } = domainTargetOf(app, env, apex);
  if ('cname' in target) {
    if (apex) {
      return {
        refusal:
          `${domain} is the top of its zone, where a CNAME cannot go, and ${app.name} ${env} is reached by a CNAME to ${target.cname}. ` +
          `Map a name under it (such as www.${domain}), or give ${app.name} ${env} addresses in the app catalog (domainTarget: { a: [...] }).`,
      };
    }
    return { records: [{ type: 'CNAME', name: domain, content: target.cname }] };
  }
  return {
    records: [
      ...(target.a ?? []).map((ip): MappedRecord => ({ type: 'A', name: domain, content: ip })),
      ...(target.aaaa ?? []).map((ip): MappedRecord => ({ type: 'AAAA', name: domain, content: ip.toLowerCase() })),
    ],
  };
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host name people can map, in its ASCII form (an internationalised name becomes punycode, as DNS
 * holds it): at least two labels of letters, digits and dashes; or a sentence saying why not.
 */
export function normaliseDomain(raw: string): { domain: string } | { problem: string } {
  const typed = raw.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/\.$/, '');
  const domain = /\s/.test(typed) ? typed : domainToASCII(typed) || typed;
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1)!)) {
    return { problem: `"${raw.trim()}" is not a domain name I can connect: use letters, digits and dashes between dots, such as shop.example.com.` };
  }
  return { domain };
}
