import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseHostname } from 'tldts';

/** A domain name as typed, in both forms: `ascii` (punycode, what registries and registrars take) and `unicode`. */
export interface DomainName {
  ascii: string;
  unicode: string;
  /** True for an internationalised name (`bücher.de` ↔ `xn--bcher-kva.de`). */
  idn: boolean;
  /** The public suffix (`com`, `co.uk`). */
  suffix: string;
  /** The name one registers (`acme.co.uk` for `shop.acme.co.uk`). */
  registrable: string;
}

export type ParsedDomain = { ok: true; name: DomainName } | { ok: false; reason: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads a domain name typed by a person: Unicode or punycode, any case, a trailing dot allowed. A name
 * that cannot be a domain, or whose suffix is not on the public suffix list (tldts), gets a sentence
 * saying what is wrong. IDN conversion is WHATWG's (node:url), the same as browsers use.
 *
 * @example
 * parseDomainName('Bücher.de') // { ok: true, name: { ascii: 'xn--bcher-kva.de', unicode: 'bücher.de', idn: true, … } }
 */
export function parseDomainName(input: string): ParsedDomain {
  const typed = input.trim().replace(/\.$/, '');
  if (!typed) return { ok: false, reason: 'Give me a domain name, like acme.com.' };
  if (/\s/.test(typed)) return { ok: false, reason: `"${typed}" is not a domain name: it has spaces in it.` };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) || typed.includes('/')) {
    return { ok: false, reason: `"${typed}" looks like a web address; give me just the domain, like acme.com.` };
  }
  if (!typed.includes('.')) return { ok: false, reason: `"${typed}" is not a domain name: it needs an ending such as .com or .co.uk.` };
  const ascii = domainToASCII(typed);
  if (!ascii) return { ok: false, reason: `"${typed}" is not a valid domain name: it holds characters a domain cannot have.` };
  if (ascii.length > 253) return { ok: false, reason: `"${typed}" is too long for a domain name (at most 253 characters).` };
  const labels = ascii.split('.');
  if (labels.some((l) => l.length === 0)) return { ok: false, reason: `"${typed}" is not a valid domain name: a part between two dots is empty.` };
  const long = labels.find((l) => l.length > 63);
  if (long) return { ok: false, reason: `"${typed}" is not a valid domain name: each part between dots can have at most 63 characters.` };
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad) {
    return {
      ok: false,
      reason: `"${typed}" is not a valid domain name: "${domainToUnicode(bad) || bad}" may hold only letters, digits and hyphens, and cannot start or end with a hyphen.`,
    };
  }
  const parsed = parseHostname(ascii);
  if (parsed.isIp) return { ok: false, reason: `"${typed}" is an IP address, not a domain name.` };
  if (!parsed.isIcann || !parsed.publicSuffix) {
    return { ok: false, reason: `".${labels.at(-1)}" is not a domain ending I know, so "${typed}" cannot be registered.` };
  }
  if (!parsed.domain) return { ok: false, reason: `"${typed}" is only an ending; add a name before it, like acme.${parsed.publicSuffix}.` };
  const unicode = domainToUnicode(ascii);
  return { ok: true, name: { ascii, unicode, idn: unicode !== ascii, suffix: parsed.publicSuffix, registrable: parsed.domain } };
}

/** "bücher.de (xn--bcher-kva.de)" for an IDN, else the name. */
export function showDomain(name: Pick<DomainName, 'ascii' | 'unicode'>): string {
  return name.unicode !== name.ascii ? `${name.unicode} (${name.ascii})` : name.ascii;
}
