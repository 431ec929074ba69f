import { z } from 'zod';
import { parse as parseHostname } from 'tldts';
import { SANDBOX } from '../../build/index.js';
import { DomainProviderError } from '../domain-errors.js';
import type { DnsProvider, DnsRecord, DnsRecordType } from '../ports.js';
import { canonicalName, checkType, recordFullName, type Checked } from './validate-record.js';

/** Where a DNS action acts, as its parameters carry it (the provider is the one configured). */
export const DnsWhereSchema = z.object({
  provider: z.string(),
  /** Shown in replies: "Cloudflare", "the SANDBOX DNS". */
  providerLabel: z.string(),
  sandbox: z.boolean(),
  zone: z.string(),
  /** Null: the sandbox hosts the zone from the first record on (created when the action runs). */
  zoneId: z.string().nullable(),
});
export type DnsWhere = z.infer<typeof DnsWhereSchema>;

/** A record as it is now, carried in the parameters so the restatement shows it and execution checks it did not change. */
export const ExistingRecordSchema = z.object({
  id: z.string(),
  type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA']),
  name: z.string(),
  content: z.string(),
  ttl: z.number().int(),
  priority: z.number().int().nullable(),
});
export type ExistingRecord = z.infer<typeof ExistingRecordSchema>;

export const existing = (r: DnsRecord): ExistingRecord => ({ id: r.id, type: r.type, name: r.name, content: r.content, ttl: r.ttl, priority: r.priority ?? null });

export const labelOf = (where: Pick<DnsWhere, 'sandbox'>): string => (where.sandbox ? SANDBOX : '');

/**
 * A record name as a word of the confirmation phrase, which starts with a letter or digit and has no
 * `*`: `_dmarc.acme.co.uk` → `dmarc.acme.co.uk`, `*.dev.acme.co.uk` → `WILDCARD.dev.acme.co.uk`.
 */
export function phraseName(name: string): string {
  return name.replace(/\*/g, 'WILDCARD').replace(/^_+/, '');
}

/** The zone a domain's records live in: its registrable name (`shop.acme.co.uk` → `acme.co.uk`). */
export function zoneNameOf(domain: string): string {
  const host = canonicalName(domain);
  return parseHostname(host).domain ?? host;
}

/** `TTL 600`, `ttl of 10 minutes`, `ttl=3600s` in the message: the slots do not carry a TTL. */
export function ttlIn(text: string): number | undefined {
  const match = /\bttl\s*(?:of\s*|=\s*|:\s*|to\s*)?(\d+)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?)?\b/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 's').toLowerCase();
  return Number(match[1]) * (unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1);
}

/** `priority 10` in the message, for an MX whose value is the host alone. */
export function priorityIn(text: string): number | undefined {
  const match = /\bpriority\s*(?:of\s*|=\s*|:\s*)?(\d+)\b/i.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * Finds the zone of `domain` on the provider. The sandbox hosts any zone (a missing one is created when
 * the action runs); Cloudflare's zones are added in Cloudflare's dashboard, so a missing one is refused.
 */
export async function findWhere(provider: DnsProvider, domain: string, creating: boolean): Promise<Checked<DnsWhere>> {
  const zoneName = zoneNameOf(domain);
  const sandbox = provider.name === 'sandbox';
  const base = { provider: provider.name, providerLabel: provider.label, sandbox, zone: zoneName };
  const found = await read(base, () => provider.findZone(zoneName));
  if (!found.ok) return found;
  const zone = found.value;
  if (zone) return { ok: true, value: { ...base, zone: zone.name.toLowerCase(), zoneId: zone.id } };
  if (creating && provider.createZone && sandbox) return { ok: true, value: { ...base, zoneId: null } };
  return {
    ok: false,
    reason: creating
      ? `${zoneName} is not a zone in the ${provider.label} account, so I can't add records to it. Add the domain to ${provider.label} first (its dashboard, "Add a site"), then ask again.`
      : `${labelOf(base)}${zoneName} has no zone on ${provider.label}, so there is no record to delete.`,
  };
}

/** Runs a provider read for `prepare`: a provider failure becomes a refusal with its sentence. */
export async function read<T>(where: { sandbox: boolean }, work: () => Promise<T>): Promise<Checked<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof DomainProviderError) return { ok: false, reason: `${labelOf(where)}${error.message}` };
    throw error;
  }
}

/** Checks the name and type a person gave before anything is asked of the provider. */
export function checkNameAndType(slots: { domain?: string; recordType?: string; recordName?: string }): Checked<{ domain: string; zone: string; name: string; type: DnsRecordType }> {
  const type = checkType(slots.recordType ?? '');
  if (!type.ok) return type;
  const domain = canonicalName(slots.domain ?? '');
  const zone = zoneNameOf(domain);
  const name = recordFullName(slots.recordName, domain, zone);
  if (!name.ok) return name;
  return { ok: true, value: { domain, zone, name: name.value, type: type.value } };
}
