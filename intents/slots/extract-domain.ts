import { domainToASCII } from 'node:url';
import { parse as parseHostname } from 'tldts';
import type { IntentId } from '../ids.js';
import { findEmails } from './extract-email.js';
import { prepareText, safely } from './prepare-text.js';
import { insideAny, type Span } from './slot-match.js';

/** A host name found in text, with its public-suffix-aware parts. */
export interface DomainMatch {
  /** Lower-case ASCII (punycode for IDNs), e.g. "shop.acme.co.uk". */
  hostname: string;
  /** The registrable domain, e.g. "acme.co.uk". */
  registrable: string;
  /** What is left of the registrable domain, e.g. "shop"; empty when none. */
  subdomain: string;
  /** Where it was written: a URL's host, a bare name, or the part of an e-mail address after "@". */
  source: 'url' | 'bare' | 'email';
  spans: Span[];
}

export interface FindDomainsOptions {
  /** Also report the domains of e-mail addresses (source "email"). Default false. */
  includeEmailDomains?: boolean;
  /**
   * Accept names whose suffix is also a common file extension ("deploy.sh", "notes.md",
   * "backup.zip"). Default false: outside domain intents those are almost always files.
   */
  allowFileLikeNames?: boolean;
}

/**
 * Real top-level domains that are also everyday file extensions. Extensions that are not TLDs
 * (index.html, config.json, app.ts) need no list: the public suffix list already rejects them.
 */
const FILE_LIKE_SUFFIXES = new Set(['sh', 'py', 'md', 'rs', 'pl', 'pm', 'zip', 'mov', 'ps', 'mp']);

const URL_HOST = /\b(?:https?|ftp|wss?):\/\/([^\s/?#<>"'`\\]+)/giu;

// Labels of letters, digits, hyphens and underscores ("_dmarc.acme.com" is a DNS name), at
// least one dot, and a last label of two or more characters. The lookarounds stop a match from
// starting or ending inside a longer token ("v1.2.3-beta", "a.b.c@x"); a trailing dot, comma or
// bracket is punctuation and stays out.
const BARE_HOST =
  /(?<![\p{L}\p{N}_@.\-/\\*])((?:\*\.)?(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,62})?\.)+[\p{L}\p{N}-]{2,63})(?![\p{L}\p{N}_@-]|\.[\p{L}\p{N}_-])/gu;

/** Every host name in `text`, first mention first, each once. */
export function findDomains(text: string, options: FindDomainsOptions = {}): DomainMatch[] {
  return safely(() => findDomainsUnsafe(prepareText(text), options), []);
}

function findDomainsUnsafe(text: string, options: FindDomainsOptions): DomainMatch[] {
  const found: DomainMatch[] = [];
  const add = (raw: string, source: DomainMatch['source'], span: Span) => {
    const parsed = parseDomain(raw, source !== 'bare' || options.allowFileLikeNames === true);
    if (!parsed) return;
    const existing = found.find((f) => f.hostname === parsed.hostname);
    if (existing) existing.spans.push(span);
    else found.push({ ...parsed, source, spans: [span] });
  };

  const urlSpans: Span[] = [];
  for (const match of text.matchAll(URL_HOST)) {
    const span = { start: match.index, end: match.index + match[0].length };
    urlSpans.push(span);
    add(hostOfAuthority(match[1]!), 'url', span);
  }

  const emails = findEmails(text);
  const emailSpans = emails.flatMap((email) => email.spans);
  for (const match of text.matchAll(BARE_HOST)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (insideAny(span, urlSpans) || insideAny(span, emailSpans)) continue;
    add(match[1]!, 'bare', span);
  }

  if (options.includeEmailDomains) {
    for (const email of emails) {
      const at = email.value.lastIndexOf('@');
      add(email.value.slice(at + 1), 'email', email.spans[0]!);
    }
  }
  return found.sort((a, b) => a.spans[0]!.start - b.spans[0]!.start);
}

/** Intents whose subject is a domain: there, "admin@acme.com" may name the domain acme.com. */
const DOMAIN_INTENTS: ReadonlySet<IntentId> = new Set([
  'domain.check',
  'domain.register',
  'domain.map',
  'domain.dns.add',
  'domain.dns.delete',
  'domain.verify',
]);

/**
 * The first host name in `text` (lower-case ASCII, punycode for IDNs). URLs give their host;
 * file names ("index.html"), versions ("v1.2.3") and IP addresses are not domains. The part after
 * "@" in an e-mail address counts only for a domain intent, and only when no other domain is named.
 *
 * @example
 * extractDomain('is bücher.de still free?') // → 'xn--bcher-kva.de'
 * extractDomain('see https://www.acme.com/pricing.') // → 'www.acme.com'
 */
export function extractDomain(text: string, options: { intent?: IntentId } = {}): string | undefined {
  return pickDomain(text, options.intent)?.hostname;
}

/** `extractDomain`, with the parts and spans of the chosen name. */
export function pickDomain(text: string, intent?: IntentId, exclude: readonly Span[] = []): DomainMatch | undefined {
  const aboutDomains = intent !== undefined && DOMAIN_INTENTS.has(intent);
  const candidates = findDomains(text, { includeEmailDomains: aboutDomains, allowFileLikeNames: aboutDomains }).filter(
    (candidate) => !candidate.spans.every((span) => insideAny(span, exclude)),
  );
  return candidates.find((candidate) => candidate.source !== 'email') ?? candidates[0];
}

/**
 * "hollowtree dot com" → "hollowtree.com": voice notes and people who fear auto-linking spell the
 * dots out. Only between two words, so "dot" alone ("the dot com era" keeps its words apart from
 * nothing) stays; callers apply it to messages about domains only.
 */
export function joinSpokenDots(text: string): string {
  return text.replace(/(?<=[\p{L}\p{N}])\s+dot\s+(?=[\p{L}\p{N}])/giu, '.');
}

/**
 * Parses one candidate host name, or returns undefined when it is not a domain on the public
 * internet (unknown suffix, IP address, malformed label).
 */
export function parseDomain(
  raw: string,
  allowFileLikeNames = true,
): Pick<DomainMatch, 'hostname' | 'registrable' | 'subdomain'> | undefined {
  const trimmed = raw.trim().replace(/\.+$/, '').toLowerCase();
  // A wildcard record name ("*.acme.com") is the zone plus the "*" label.
  if (trimmed.startsWith('*.')) {
    const zone = parseDomain(trimmed.slice(2), allowFileLikeNames);
    if (!zone) return undefined;
    return { hostname: `*.${zone.hostname}`, registrable: zone.registrable, subdomain: zone.subdomain ? `*.${zone.subdomain}` : '*' };
  }
  if (trimmed.length === 0 || trimmed.length > 253) return undefined;
  const ascii = domainToASCII(trimmed);
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || labels.some((label) => !isValidLabel(label))) return undefined;
  const parsed = parseHostname(ascii);
  if (parsed.isIp || !parsed.domain || !parsed.publicSuffix || parsed.isIcann !== true) return undefined;
  if (!allowFileLikeNames && labels.length === 2 && FILE_LIKE_SUFFIXES.has(parsed.publicSuffix)) return undefined;
  // Underscores belong to service labels (_dmarc, _acme-challenge), never to a registrable name.
  if (parsed.domain.includes('_')) return undefined;
  return { hostname: ascii, registrable: parsed.domain, subdomain: parsed.subdomain ?? '' };
}

function isValidLabel(label: string): boolean {
  return (
    label.length >= 1 && label.length <= 63 && /^[a-z0-9_-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-')
  );
}

/** "user:pw@Host.example:8080" → "Host.example"; "[::1]:80" → "" (an IP, never a domain). */
function hostOfAuthority(authority: string): string {
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) return '';
  return host.replace(/:\d*$/, '').replace(/[.,;:!?)\]}'"]+$/, '');
}
