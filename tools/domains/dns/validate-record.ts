import { isIP, isIPv4, isIPv6 } from 'node:net';
import { parse as parseHostname } from 'tldts';
import type { DnsRecord, DnsRecordType, NewDnsRecord } from '../ports.js';

/**
 * Everything said about a DNS record before any provider is asked: the type is one we manage, the
 * value fits the type, the name is inside the zone, the TTL is in range, and the record can sit beside
 * the ones already at that name. Each refusal is one sentence a person can act on; nothing is sent.
 * The rules are Cloudflare's (the stricter of our two providers), so the sandbox teaches the same habits.
 */

export const MANAGED_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA'];

/** Five minutes: short enough that a mistake is corrected quickly, long enough not to load the name servers. */
export const DEFAULT_TTL = 300;
/** Cloudflare's range for a TTL set by hand (below 60 needs an Enterprise plan); 1 day at most. */
export const MIN_TTL = 60;
export const MAX_TTL = 86_400;

/** One TXT character-string holds at most 255 bytes (RFC 1035 §3.3); Cloudflare takes 2,048 characters in all. */
export const TXT_CHUNK_BYTES = 255;
export const TXT_MAX_CHARS = 2048;

export const CAA_TAGS = ['issue', 'issuewild', 'iodef'] as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const no = <T>(reason: string): Checked<T> => ({ ok: false, reason });

const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/** `Www.Acme.co.uk.` → `www.acme.co.uk`. */
export function canonicalName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** `https://soarix-web.pages.dev/` → `soarix-web.pages.dev`: what people paste when a host name is meant. */
function hostOfUrl(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    const host = new URL(value).hostname;
    return isHostName(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

/** A host name a record may point at: at least two labels, none empty or too long, not an address. */
export function isHostName(value: string): boolean {
  const host = canonicalName(value);
  if (host.length === 0 || host.length > 253 || isIP(host) !== 0) return false;
  const labels = host.split('.');
  return labels.length >= 2 && labels.every((l) => l !== '*' && LABEL.test(l));
}

/**
 * The full name of a record, from what a person says: `@` (or nothing) is `domain` itself, `www` is
 * www.<domain>, and a full name inside the zone is kept. A full name in another zone is refused.
 */
export function recordFullName(name: string | undefined, domain: string, zone: string): Checked<string> {
  const given = canonicalName(name ?? '@');
  let full: string;
  if (given === '' || given === '@') full = domain;
  else if (given === zone || given.endsWith(`.${zone}`)) full = given;
  else {
    const parsed = parseHostname(given);
    if (given.includes('.') && parsed.isIcann === true && parsed.domain !== null && parsed.domain !== zone) {
      return no(`${given} is outside the zone ${zone}: a record here is named inside it, such as www (for www.${zone}) or @ (for ${zone} itself).`);
    }
    full = `${given}.${domain}`;
  }
  if (full.length > 253) return no(`${full} is longer than the 253 characters a DNS name may have.`);
  const long = full.split('.').find((l) => l.length > 63);
  if (long) return no(`"${long}" is longer than the 63 characters one part of a DNS name may have.`);
  if (!full.split('.').every((l) => LABEL.test(l))) return no(`${full} is not a valid DNS name: use letters, digits, hyphens and underscores between the dots.`);
  return ok(full);
}

/** How a name is said back: `www.acme.co.uk`, or `acme.co.uk (the domain itself)`. */
export function sayName(name: string, zone: string): string {
  return name === zone ? `${zone} (the domain itself)` : name;
}

/** The character-strings of a TXT value: quoted strings as given, or the whole value as one string. */
export function txtStrings(content: string): string[] | undefined {
  const trimmed = content.trim();
  if (!trimmed.startsWith('"')) return [content];
  const strings: string[] = [];
  const quoted = /"((?:[^"\\]|\\.)*)"\s*/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = quoted.exec(trimmed)) !== null) {
    strings.push(match[1]!.replace(/\\(.)/g, '$1'));
    end = quoted.lastIndex;
  }
  return end === trimmed.length ? strings : undefined;
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** Splits a long text into chunks of at most 255 bytes, never inside a character. */
function chunkText(text: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const char of text) {
    if (Buffer.byteLength(current + char) > TXT_CHUNK_BYTES) {
      chunks.push(current);
      current = '';
    }
    current += char;
  }
  if (current) chunks.push(current);
  return chunks;
}

export interface RecordRequest {
  type: string;
  /** The full name (recordFullName). */
  name: string;
  zone: string;
  value: string;
  /** MX only; may also lead the value ("10 mail.acme.co.uk"). */
  priority?: number;
  ttl?: number;
}

/** A record ready for a provider, and what was done to the value on the way (said in the restatement). */
export interface CheckedRecord {
  record: NewDnsRecord;
  /** A TXT value longer than 255 bytes, split into quoted chunks as Cloudflare does. */
  chunks?: number;
}

/** The record types managed here; NS, SRV and the rest are refused with where to change them. */
export function checkType(given: string): Checked<DnsRecordType> {
  const type = given.trim().toUpperCase();
  if ((MANAGED_TYPES as readonly string[]).includes(type)) return ok(type as DnsRecordType);
  return no(`I can manage A, AAAA, CNAME, MX, TXT and CAA records; ${type || 'that'} records have to be changed at the DNS provider itself.`);
}

/** Checks one new record; a refusal says what is wrong and how to say it right. */
export function checkRecord(req: RecordRequest): Checked<CheckedRecord> {
  const checkedType = checkType(req.type);
  if (!checkedType.ok) return checkedType;
  const type = checkedType.value;
  const ttl = req.ttl ?? DEFAULT_TTL;
  if (!Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL) {
    return no(`A TTL of ${req.ttl} seconds is out of range: use between ${MIN_TTL} seconds and ${MAX_TTL} (one day); without one I use ${DEFAULT_TTL}.`);
  }
  const value = req.value.trim();
  if (!value) return no(`A ${type} record needs a value.`);
  const at = sayName(req.name, req.zone);
  const base = { type, name: req.name, ttl };
  switch (type) {
    case 'A':
      if (isIPv4(value)) return ok({ record: { ...base, content: value } });
      if (isIPv6(value)) return no(`${value} is an IPv6 address: an A record takes an IPv4 address such as 203.0.113.10. Add it as an AAAA record instead.`);
      return no(`An A record points to an IPv4 address such as 203.0.113.10, and "${value}" is not one.${isHostName(value) ? ' To point a name at another host, use a CNAME.' : ''}`);
    case 'AAAA':
      if (isIPv6(value)) return ok({ record: { ...base, content: value.toLowerCase() } });
      if (isIPv4(value)) return no(`${value} is an IPv4 address: an AAAA record takes an IPv6 address such as 2001:db8::1. Add it as an A record instead.`);
      return no(`An AAAA record points to an IPv6 address such as 2001:db8::1, and "${value}" is not one.`);
    case 'CNAME': {
      if (req.name === req.zone) {
        return no(`${req.zone} is the domain itself, and a CNAME cannot sit there (the domain must keep its SOA and NS records). Use an A or AAAA record for ${req.zone}, or put the CNAME on www.`);
      }
      if (isIP(value)) return no(`A CNAME points to a host name, and ${value} is an address: use an ${isIPv4(value) ? 'A' : 'AAAA'} record for it.`);
      const web = hostOfUrl(value);
      if (web) return no(`A CNAME points to a host name, not a web address: use ${web} (without ${value.slice(0, value.indexOf('//') + 2)} or a path).`);
      if (!isHostName(value)) return no(`A CNAME points to a host name such as shop.example.net, and "${value}" is not one.`);
      const target = canonicalName(value);
      if (target === req.name) return no(`A CNAME cannot point to itself (${at}).`);
      return ok({ record: { ...base, content: target } });
    }
    case 'MX': {
      const parts = value.split(/\s+/);
      let priority = req.priority;
      let host = value;
      if (parts.length === 2 && /^\d+$/.test(parts[0]!)) {
        priority = Number(parts[0]);
        host = parts[1]!;
      } else if (parts.length > 1) {
        return no(`An MX value is a priority and a mail server, such as "10 mail.${req.zone}"; "${value}" is not that.`);
      }
      if (priority === undefined) return no(`An MX record needs a priority (lower is tried first): say it as "10 ${isHostName(host) ? canonicalName(host) : `mail.${req.zone}`}".`);
      if (!Number.isInteger(priority) || priority < 0 || priority > 65535) return no(`An MX priority is a whole number from 0 to 65535, not ${priority}.`);
      if (isIP(host)) return no(`An MX record names a mail server by its host name, not an address (${host}): add an A record such as mail.${req.zone} for the address and point the MX at it.`);
      if (!isHostName(host)) return no(`An MX record names a mail server such as mail.${req.zone}, and "${host}" is not a host name.`);
      return ok({ record: { ...base, content: canonicalName(host), priority } });
    }
    case 'TXT': {
      if (value.length > TXT_MAX_CHARS) return no(`That TXT value is ${value.length} characters long; a TXT record holds at most ${TXT_MAX_CHARS}.`);
      const strings = txtStrings(value);
      if (!strings) return no(`That TXT value starts with a quote but is not a list of quoted strings ("first part" "second part"): give it with no quotes and I split it where needed.`);
      if (value.startsWith('"')) {
        const long = strings.findIndex((s) => Buffer.byteLength(s) > TXT_CHUNK_BYTES);
        if (long >= 0) {
          return no(`Quoted part ${long + 1} of that TXT value is ${Buffer.byteLength(strings[long]!)} bytes; each quoted part holds at most ${TXT_CHUNK_BYTES}. Split it, or give the value with no quotes and I split it.`);
        }
        return ok({ record: { ...base, content: strings.map(quote).join(' ') } });
      }
      if (Buffer.byteLength(value) <= TXT_CHUNK_BYTES) return ok({ record: { ...base, content: value } });
      // Like Cloudflare: a longer value is kept whole but split into quoted 255-byte strings (RFC 1035 §3.3).
      const chunks = chunkText(value);
      return ok({ record: { ...base, content: chunks.map(quote).join(' ') }, chunks: chunks.length });
    }
    case 'CAA': {
      const parsed = parseCaa(value);
      if (!parsed.ok) return parsed;
      return ok({ record: { ...base, content: parsed.value } });
    }
  }
}

/** `0 issue "letsencrypt.org"` (flags optional, quotes optional) → its canonical form. */
export function parseCaa(value: string): Checked<string> {
  const match = /^(?:(\d{1,3})\s+)?([A-Za-z0-9]+)\s+"?([^"]*)"?$/.exec(value.trim());
  if (!match) return no(`A CAA value is a tag and a value, such as issue "letsencrypt.org"; "${value}" is not that.`);
  const flags = match[1] === undefined ? 0 : Number(match[1]);
  const tag = match[2]!.toLowerCase();
  const content = match[3]!.trim();
  if (flags > 255) return no(`CAA flags are a number from 0 to 255 (usually 0), not ${flags}.`);
  if (!(CAA_TAGS as readonly string[]).includes(tag)) {
    return no(`A CAA tag is issue, issuewild or iodef; "${tag}" is not one of them.`);
  }
  if (tag === 'iodef') {
    if (!/^(mailto:[^@\s]+@[^@\s]+|https?:\/\/\S+)$/i.test(content)) return no(`A CAA iodef value is where reports go: a mailto: address or an https:// URL, not "${content}".`);
  } else if (content !== ';' && !isHostName(content.split(';')[0]!.trim())) {
    return no(`A CAA ${tag} value names a certificate authority's domain such as letsencrypt.org (or ";" for none), not "${content}".`);
  }
  return ok(`${flags} ${tag} "${content}"`);
}

/** The value of a record as compared and said back: TXT strings joined, host names without case or trailing dot. */
export function comparableContent(record: Pick<DnsRecord, 'type' | 'content'>): string {
  switch (record.type) {
    case 'TXT':
      return (txtStrings(record.content) ?? [record.content]).join('');
    case 'CNAME':
    case 'MX':
      return canonicalName(record.content);
    case 'CAA': {
      const parsed = parseCaa(record.content);
      return parsed.ok ? parsed.value : record.content;
    }
    default:
      return record.content.toLowerCase();
  }
}

/** A record as compared and said: a provider's, a new one, or one carried in parameters (priority null). */
export interface RecordLike {
  type: DnsRecordType;
  name: string;
  content: string;
  ttl: number;
  priority?: number | null;
}

export function sameRecord(a: Omit<RecordLike, 'ttl'>, b: Omit<RecordLike, 'ttl'>): boolean {
  return (
    a.type === b.type &&
    canonicalName(a.name) === canonicalName(b.name) &&
    comparableContent(a) === comparableContent(b) &&
    (a.type !== 'MX' || (a.priority ?? null) === (b.priority ?? null))
  );
}

/** What adding `record` means beside the records already at its name. */
export type Placement =
  | { kind: 'new' }
  | { kind: 'identical'; existing: DnsRecord }
  /** A CNAME where a CNAME is: the add replaces it (risky: the restatement shows the old one). */
  | { kind: 'replace'; existing: DnsRecord }
  | { kind: 'refused'; reason: string };

/**
 * A CNAME stands alone at its name (RFC 1034 §3.6.2; Cloudflare 81053/81054): no CNAME beside other
 * records, nothing beside a CNAME. A second CNAME at a name replaces the first.
 */
export function placeRecord(record: NewDnsRecord, atName: readonly DnsRecord[], zone: string): Placement {
  const identical = atName.find((r) => sameRecord(r, record));
  if (identical) return { kind: 'identical', existing: identical };
  const at = sayName(record.name, zone);
  const cname = atName.find((r) => r.type === 'CNAME');
  if (record.type === 'CNAME') {
    if (cname) return { kind: 'replace', existing: cname };
    if (atName.length > 0) {
      const types = [...new Set(atName.map((r) => r.type))];
      const what = atName.length === 1 ? `${/^(A|MX)/.test(types[0]!) ? 'an' : 'a'} ${types[0]} record` : `${types.join(' and ')} records`;
      return { kind: 'refused', reason: `${at} already has ${what}, and a CNAME cannot sit beside other records of the same name. Delete ${atName.length === 1 ? 'it' : 'them'} first, or put the CNAME on another name.` };
    }
    return { kind: 'new' };
  }
  if (cname) {
    return { kind: 'refused', reason: `${at} is a CNAME to ${cname.content}, and nothing else can sit beside a CNAME. Delete the CNAME first if ${at} should have its own ${record.type} record.` };
  }
  return { kind: 'new' };
}

/** One record said to a person: `CNAME www.acme.co.uk → shop.example.net (TTL 300)`. */
export function describeRecord(record: RecordLike, zone: string): string {
  const value = record.type === 'MX' ? `${record.priority ?? '?'} ${record.content}` : record.type === 'TXT' ? `"${comparableContent(record)}"` : record.content;
  const ttl = record.ttl === 1 ? 'TTL auto' : `TTL ${record.ttl}`;
  return `${record.type} ${sayName(record.name, zone)} → ${value} (${ttl})`;
}
