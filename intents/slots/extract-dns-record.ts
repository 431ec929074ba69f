import { isIPv4, isIPv6 } from 'node:net';
import type { DnsRecordType } from '../ids.js';
import { parseDomain } from './extract-domain.js';
import { prepareText, safely } from './prepare-text.js';
import { insideAny, type SlotMatch, type Span } from './slot-match.js';

/** The DNS record a message describes; every part optional. */
export interface DnsRecord {
  recordType?: DnsRecordType;
  /** Relative to the zone: "www", "@" for the apex, "_dmarc", "*". */
  recordName?: string;
  /**
   * An IP address, a host name (no trailing dot), TXT content without its quotes, or the record's
   * data in zone-file order when it has several fields: "10 mail.acme.com" (MX priority first),
   * "10 5 5060 sip.acme.com" (SRV), '0 issue "letsencrypt.org"' (CAA).
   */
  recordValue?: string;
}

/** `DnsRecord` plus where each part was read, so the zone's domain is not taken from the value. */
export interface DnsRecordMatch {
  record: DnsRecord;
  typeSpan?: Span;
  nameSpan?: Span;
  valueSpan?: Span;
}

// --- record type ---

const NAMED_TYPES = /(?<![\w-])(aaaa|cname|txt|mx|ns|srv|caa)(?![\w-])/giu;
// "A" is also the English article, so it counts only as "A record", "an a record", "type A", or
// an upper-case A standing alone inside a command ("dns add acme.com A www 1.2.3.4").
const A_TYPE = /(?<![\w-])(?:A(?=[\s-]*rec(?:ord)?s?\b)|(?<=\b(?:an|the|type|new|another)\s+)a(?=[\s-]*rec(?:ord)?s?\b)|(?<=\btype\s*[:=]?\s*)a(?![\w-])|(?<=\S\s+)A(?=\s+\S))(?![\w-])/gu;

// --- record value ---

const QUOTED = /"([^"\n]{1,2048})"/g;
/** Slack's inline code and single quotes also wrap pasted values: `v=spf1 …`, 'abc123' (not an apostrophe: no letter before it). */
const OTHER_QUOTES = /`([^`\n]{1,2048})`|(?<![\p{L}\p{N}])'([^'\n]{1,2048})'(?![\p{L}\p{N}])/gu;
/** "value 4f1c2a9e7b": a TXT value said after its cue, without quotes. */
const TXT_VALUE_CUE = /\b(?:value|content|data)\s*[:=]?\s*([^\s,;"'`]+)/iu;
/** TXT content people paste without quotes; taken up to the end of the sentence. */
const BARE_TXT =
  /(?<![\w-])(?:v=spf1(?:\s+(?:[~?+-]?(?:all|a|mx|ptr)(?::\S+)?(?![\w.-])|[~?+-]?(?:include|ip4|ip6|exists|a|mx):\S+|redirect=\S+|exp=\S+))*|v=(?:DMARC1|DKIM1|BIMI1|STSv1)\s*;(?:\s*[\w-]+=[^;\s]*\s*;?)*|[\w.-]*(?:verification|verify|domain-key|site-key)[\w.-]*=[\w.=+/-]+|MS=ms\d+)/giu;
const IPV4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d]|\.\d)/g;
const IPV6 = /(?<![\w:])((?:[0-9a-f]{1,4})?(?::[0-9a-f]{0,4}){2,7}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?)(?![\w:])/giu;
const HOST_TOKEN = /(?<![\w@.\-/])((?:[\w-]+\.)+[\w-]{2,63})\.?(?![\w@-]|\.\w)/gu;
/** Words that introduce the record's data: "point www to", "value", "→". */
const VALUE_CUE =
  /(?:\b(?:to|at|value(?:\s+of)?|content|target|data|alias(?:ed)?(?:\s+(?:to|for))?|with(?:\s+(?:value|content))?|pointing(?:\s+(?:to|at))?|points?\s+(?:to|at)|resolv(?:e|es|ing)\s+to|=)|->|=>|→)\s*$/iu;
const PRIORITY = /\b(?:priority|prio|pri|preference|pref)\s*(?:of\s*)?[:=]?\s*(\d{1,5})\b/iu;
const MX_DATA = /\bmx\s+(?:rec(?:ord)?s?\s+)?(\d{1,5})\s+((?:[\w-]+\.)+[\w-]{2,63})(?![\w-])/iu;
const CAA = /(?<![\w-])(\d{1,3})\s+(issue|issuewild|iodef)\s+"?([^"\s]+)"?/iu;
const SRV_DATA = /(?<![\w.])(\d{1,5})\s+(\d{1,5})\s+(\d{1,5})\s+((?:[\w-]+\.)+[\w-]{2,63})\.?(?![\w-])/u;

// --- record name ---

const EXPLICIT_NAME = /\b(?:record\s+name|name|host(?:name)?|subdomain)(?:\s*[:=]\s*|\s+(?:is\s+|of\s+)?)(@|\*|[\w*][\w.*-]*)/iu;
const APEX_WORDS = /\b(?:root(?:\s+domain)?|apex|zone\s+apex|naked(?:\s+domain)?|bare\s+domain)\b/iu;
const LONE_AT = /(?<!\S)@(?!\S)/u;
// "_dmarc", "_sip._tls", and DKIM selectors: "google._domainkey", "k1._domainkey".
const SERVICE_LABEL = /(?<![\w.-])((?:[a-z0-9-]+\.)?_[a-z0-9-]+(?:\._[a-z0-9-]+)*)(?=$|[\s.,;:!?)])/iu;
/** A single label after "for"/"on"/"called": "an A record for www". */
// Followed by punctuation, the zone or the data: "for www on acme.com", "for mail, 1.2.3.4" (not "for the microsoft 365 setup").
const LABEL_AFTER_CUE =
  /\b(?:for|on|called|named|under)\s+(?:the\s+)?([a-z0-9*][a-z0-9-]{0,62})(?=$|[,;:!?)]|\s+(?:on|in|at|of|to|from|pointing|points|->|→|=>|with|record|\d{1,3}\.))/giu;
const NOT_LABELS = new Set([
  'a', 'an', 'the', 'it', 'this', 'that', 'me', 'us', 'them', 'my', 'our', 'domain', 'record', 'records',
  'zone', 'dns', 'value', 'type', 'root', 'apex', 'now', 'today', 'tomorrow', 'please', 'ip', 'email',
  'mail-server', 'verification', 'all', 'both', 'google', 'vercel', 'cloudflare', 'netlify',
  // prepositions and verbs that follow a record type ("MX for …", "CNAME pointing to …")
  'for', 'to', 'on', 'at', 'in', 'of', 'with', 'and', 'from', 'pointing', 'points', 'called', 'named', 'that',
  'which', 'is', 'as', 'value', 'priority', 'rec', 'delegation', 'entry', 'entries', 'the',
]);
/**
 * Words people put before a record type that describe it rather than name it ("the old spf txt",
 * "the zoho mx", "a second mx"): never a record's name.
 */
const NOT_NAMES_BEFORE_TYPE = new Set([
  ...NOT_LABELS, 'new', 'old', 'second', 'third', 'another', 'extra', 'existing', 'current', 'stale', 'main', 'primary',
  'backup', 'spf', 'dkim', 'dmarc', 'zoho', 'apple', 'google', 'microsoft', 'mailchimp', 'sendgrid', 'facebook', 'stripe',
  'github', 'shopify', 'wildcard', 'need', 'needs', 'want', 'wants', 'get', 'set', 'put', 'make', 'some', 'any', 'two',
  'these', 'those', 'your', 'our', 'their', 'its', 'please', 'pls', 'ipv4', 'ipv6', 'add', 'create', 'remove', 'delete', 'drop', 'kill', 'erase', 'dns',
  'verification', 'ownership', 'office', 'outlook', 'mx', 'txt', 'cname', 'aaaa', 'caa', 'ns', 'srv',
]);
/** "the www CNAME", "the www A record": a label right before the record type. */
const LABEL_BEFORE_TYPE = /(?<![\w.@-])([a-z0-9*][a-z0-9-]{0,62})\s+(?:aaaa|cname|txt|mx|ns|srv|caa|a(?=[\s-]*rec(?:ord)?s?\b))(?![\w-])/giu;
/** "delete www from acme.com": a lone label between a removal verb and the zone. */
const LABEL_BEFORE_ZONE = /\b(?:delete|delet|remove|drop|kill|erase|purge)\s+(?:the\s+)?([a-z0-9*][a-z0-9-]{0,62})\s+(?:from|on|off)\s+/diu;
/** Words before a host name that make it the zone, not the record's data: "an MX record for acme.com". */
const ZONE_CUE = /\b(?:for|on|of|in|from|under|zone)\s+(?:the\s+)?(?:domain\s+|zone\s+)?$/iu;
const TYPE_JUST_BEFORE = /\b(?:aaaa|cname|txt|mx|ns|srv|caa|a)\s+(?:rec(?:ord)?s?\s+)?$/iu;
/** "add an MX record to acme.com", "add a txt to acme.com": there "to" names the zone, not the data. */
const TO_ZONE = /\b(?:records?|rec|entry|dns|aaaa|cname|txt|mx|ns|srv|caa|a)\s*,?\s+to\s+(?:the\s+)?(?:domain\s+|zone\s+)?$/iu;

/**
 * The DNS record described in `text`: its type, its name relative to the zone, and its value.
 * When the type is not said it is inferred from the value: IPv4 → A, IPv6 → AAAA, SPF/DMARC or
 * quoted text → TXT, "priority 10" → MX, another host name → CNAME.
 *
 * @example
 * extractDnsRecord('add an MX record for acme.com: mail.acme.com priority 10')
 * // → { recordType: 'MX', recordValue: '10 mail.acme.com' }
 * extractDnsRecord('TXT _dmarc "v=DMARC1; p=none"')
 * // → { recordType: 'TXT', recordName: '_dmarc', recordValue: 'v=DMARC1; p=none' }
 */
export function extractDnsRecord(text: string): DnsRecord {
  return findDnsRecord(text).record;
}

export function findDnsRecord(text: string): DnsRecordMatch {
  return safely(() => findDnsRecordUnsafe(prepareText(text)), { record: {} });
}

function findDnsRecordUnsafe(text: string): DnsRecordMatch {
  const result: DnsRecordMatch = { record: {} };
  const type = findType(text);
  if (type) {
    result.record.recordType = type.value;
    result.typeSpan = type.spans[0];
  }

  const value = findValue(text, result.record.recordType);
  if (value) {
    result.record.recordValue = value.value;
    result.valueSpan = value.spans[0];
  }

  const name = findName(text, [result.valueSpan, result.typeSpan].filter((s): s is Span => s !== undefined), type);
  if (name) {
    result.record.recordName = name.value;
    result.nameSpan = name.spans[0];
  }

  if (!result.record.recordType && result.record.recordValue !== undefined) {
    const inferred = inferType(result.record.recordValue, result.record.recordName, text);
    if (inferred) result.record.recordType = inferred;
  }
  return result;
}

function findType(text: string): SlotMatch<DnsRecordType> | undefined {
  const found: SlotMatch<DnsRecordType>[] = [];
  for (const match of text.matchAll(NAMED_TYPES)) {
    // "ns" and "mx" are also parts of words in other languages; the lookarounds handle English.
    found.push({ value: match[1]!.toUpperCase() as DnsRecordType, spans: [spanOf(match)] });
  }
  for (const match of text.matchAll(A_TYPE)) {
    // A stand-alone capital A at the start of a sentence is the article ("A new record for…").
    if (match[0] === 'A' && /(?:^|[.!?]\s*)$/.test(text.slice(0, match.index).trimEnd())) continue;
    found.push({ value: 'A', spans: [spanOf(match)] });
  }
  return found.sort((a, b) => a.spans[0]!.start - b.spans[0]!.start)[0];
}

function findValue(text: string, type: DnsRecordType | undefined): SlotMatch<string> | undefined {
  if (type === 'CAA' || type === undefined) {
    const caa = CAA.exec(text);
    if (caa) return { value: `${caa[1]} ${caa[2]!.toLowerCase()} "${caa[3]}"`, spans: [spanOf(caa)] };
  }
  if (type === 'SRV') {
    const srv = SRV_DATA.exec(text);
    if (srv) return { value: `${srv[1]} ${srv[2]} ${srv[3]} ${srv[4]!.toLowerCase()}`, spans: [spanOf(srv)] };
  }

  const txt = findTxtContent(text) ?? (type === 'TXT' ? cuedTxtValue(text) : undefined);
  if (txt && (type === undefined || type === 'TXT')) return txt;

  for (const match of text.matchAll(IPV4)) {
    if (isIPv4(match[1]!) && (type === undefined || type === 'A')) return { value: match[1]!, spans: [spanOf(match)] };
  }
  for (const match of text.matchAll(IPV6)) {
    const candidate = match[1]!;
    if (candidate.includes(':') && isIPv6(candidate) && (type === undefined || type === 'AAAA')) {
      return { value: candidate.toLowerCase(), spans: [spanOf(match)] };
    }
  }

  // "mx 10 mail.acme.com": the priority straight after the type marks the data, whatever follows ("… to acme.com").
  const mxData = type === 'MX' || type === undefined ? MX_DATA.exec(text) : null;
  if (mxData && parseDomain(mxData[2]!)) return { value: `${mxData[1]} ${mxData[2]!.toLowerCase()}`, spans: [spanOf(mxData)] };

  const host = findTargetHost(text, type);
  if (host) {
    const priority = findPriority(text, host.spans[0]!);
    if (priority !== undefined && (type === 'MX' || type === undefined)) {
      return { value: `${priority} ${host.value}`, spans: host.spans };
    }
    return host;
  }
  return txt;
}

function findTxtContent(text: string): SlotMatch<string> | undefined {
  QUOTED.lastIndex = 0;
  const quoted = QUOTED.exec(text);
  if (quoted) return { value: quoted[1]!, spans: [spanOf(quoted)] };
  OTHER_QUOTES.lastIndex = 0;
  const other = OTHER_QUOTES.exec(text);
  if (other) return { value: (other[1] ?? other[2])!, spans: [spanOf(other)] };
  BARE_TXT.lastIndex = 0;
  const bare = BARE_TXT.exec(text);
  if (bare) {
    const value = bare[0].replace(/[\s.,]+$/, '');
    return { value, spans: [{ start: bare.index, end: bare.index + value.length }] };
  }
  return undefined;
}

function cuedTxtValue(text: string): SlotMatch<string> | undefined {
  const cued = TXT_VALUE_CUE.exec(text);
  if (!cued || parseDomain(cued[1]!)) return undefined;
  const start = cued.index + cued[0].length - cued[1]!.length;
  return { value: cued[1]!, spans: [{ start, end: start + cued[1]!.length }] };
}

/**
 * The host name a record points at: the one after a cue ("to", "value", "→"), or, for the types
 * whose data is a host name, the last host named after the first (the first names the zone).
 */
function findTargetHost(text: string, type: DnsRecordType | undefined): SlotMatch<string> | undefined {
  const hosts = [...text.matchAll(HOST_TOKEN)]
    .map((match) => ({ match, parsed: parseDomain(match[1]!) }))
    .filter(({ parsed }) => parsed !== undefined);
  const cued = hosts.find(({ match }) => {
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    return VALUE_CUE.test(before) && !TO_ZONE.test(before);
  });
  // Without a cue, for types whose data is a host name: the last host that is not the zone.
  const dataHosts = hosts.filter(({ match }) => !ZONE_CUE.test(text.slice(Math.max(0, match.index - 40), match.index)));
  const last = dataHosts[dataHosts.length - 1];
  const chosen =
    cued ??
    // A lone host name right after the type is the record's own name ("remove cname blog.acme.com").
    (last &&
    (type === 'CNAME' || type === 'MX' || type === 'NS') &&
    (hosts.length >= 2 || (dataHosts.length === hosts.length && !TYPE_JUST_BEFORE.test(text.slice(Math.max(0, last.match.index - 24), last.match.index))))
      ? last
      : undefined);
  if (!chosen) return undefined;
  return { value: chosen.parsed!.hostname, spans: [spanOf(chosen.match)] };
}

function findPriority(text: string, hostSpan: Span): number | undefined {
  const explicit = PRIORITY.exec(text);
  if (explicit) return Number(explicit[1]);
  // "… to 10 mail.acme.com"
  const before = /(?:^|\s)(\d{1,5})\s+$/.exec(text.slice(Math.max(0, hostSpan.start - 8), hostSpan.start));
  return before ? Number(before[1]) : undefined;
}

function findName(text: string, taken: readonly Span[], type: SlotMatch<DnsRecordType> | undefined): SlotMatch<string> | undefined {
  const free = (span: Span) => !insideAny(span, taken);

  const explicit = EXPLICIT_NAME.exec(text);
  if (explicit && free(spanOf(explicit))) {
    const raw = explicit[1]!.toLowerCase();
    return { value: normaliseName(raw), spans: [spanOf(explicit)] };
  }
  const service = SERVICE_LABEL.exec(text);
  if (service && free(spanOf(service))) return { value: service[1]!.toLowerCase(), spans: [spanOf(service)] };

  const apex = APEX_WORDS.exec(text) ?? LONE_AT.exec(text);
  if (apex && free(spanOf(apex))) return { value: '@', spans: [spanOf(apex)] };

  // "the www CNAME", "delete www from acme.com": a bare label before the type or the zone.
  for (const match of text.matchAll(LABEL_BEFORE_TYPE)) {
    const label = match[1]!.toLowerCase();
    const span = { start: match.index, end: match.index + match[1]!.length };
    if (NOT_NAMES_BEFORE_TYPE.has(label) || /^\d+$/.test(label) || !free(span)) continue;
    return { value: normaliseName(label), spans: [span] };
  }
  const beforeZone = LABEL_BEFORE_ZONE.exec(text);
  if (beforeZone && !NOT_NAMES_BEFORE_TYPE.has(beforeZone[1]!.toLowerCase())) {
    const [start, end] = beforeZone.indices![1]!;
    const span = { start, end };
    if (free(span)) return { value: normaliseName(beforeZone[1]!.toLowerCase()), spans: [span] };
  }

  // "CNAME www …", "A blog 1.2.3.4": a bare label right after the type.
  if (type) {
    const after = text.slice(type.spans[0]!.end);
    const label = /^[\s-]*(?:rec(?:ord)?s?\s+)?(?:for\s+)?([a-z0-9*][a-z0-9-]{0,62}|@)(?=$|[\s,;:])/iu.exec(after);
    if (label && !NOT_LABELS.has(label[1]!.toLowerCase()) && !/^\d+$/.test(label[1]!)) {
      const start = type.spans[0]!.end + label.index + label[0].length - label[1]!.length;
      const span = { start, end: start + label[1]!.length };
      if (free(span)) return { value: normaliseName(label[1]!.toLowerCase()), spans: [span] };
    }
  }

  for (const match of text.matchAll(LABEL_AFTER_CUE)) {
    const label = match[1]!.toLowerCase();
    const start = match.index + match[0].length - label.length;
    const span = { start, end: start + label.length };
    if (NOT_LABELS.has(label) || /^\d+$/.test(label) || !free(span)) continue;
    return { value: label, spans: [span] };
  }
  return undefined;
}

function normaliseName(raw: string): string {
  const name = raw.replace(/\.+$/, '');
  return /^(?:root|apex)$/.test(name) ? '@' : name;
}

function inferType(value: string, name: string | undefined, text: string): DnsRecordType | undefined {
  if (isIPv4(value)) return 'A';
  if (isIPv6(value)) return 'AAAA';
  if (/^\d{1,3} (?:issue|issuewild|iodef) /.test(value)) return 'CAA';
  if (/^\d+ \S+$/.test(value)) return 'MX';
  if (/^\d+ \d+ \d+ \S+$/.test(value)) return 'SRV';
  if (parseDomain(value)) return /\bname\s*servers?\b|\bnameservers?\b/i.test(text) ? 'NS' : 'CNAME';
  if (name?.startsWith('_') || /=/.test(value) || /"/.test(text)) return 'TXT';
  return undefined;
}

function spanOf(match: RegExpExecArray | RegExpMatchArray): Span {
  const start = match.index ?? 0;
  return { start, end: start + match[0].length };
}
