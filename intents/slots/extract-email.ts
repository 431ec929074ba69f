import { domainToASCII } from 'node:url';
import { parse as parseHostname } from 'tldts';
import { prepareText, safely } from './prepare-text.js';
import type { SlotMatch } from './slot-match.js';

// Local part: the dot-atom most people use (no quoted local parts: nobody types those in chat).
// The lookbehind keeps "mailto:" and punctuation out; the domain is checked against the public
// suffix list below, so "jane@acme" or "x@y.z" are not addresses.
const EMAIL = /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)*)@((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63})(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/gu;

/**
 * Every e-mail address in `text`, in order, without duplicates. Normalised to lower case with the
 * domain in ASCII (punycode for IDNs): CRM look-ups compare addresses, and no mail system the
 * agency uses treats the local part case-sensitively.
 */
export function findEmails(text: string): SlotMatch<string>[] {
  return safely(() => {
    const prepared = prepareText(text);
    const found: SlotMatch<string>[] = [];
    for (const match of prepared.matchAll(EMAIL)) {
      const email = normaliseEmail(match[1]!, match[2]!);
      if (!email || found.some((f) => f.value === email)) continue;
      found.push({ value: email, spans: [{ start: match.index, end: match.index + match[0].length }] });
    }
    return found;
  }, []);
}

/**
 * The first e-mail address in `text`.
 *
 * @example
 * extractEmail('new lead: Jane Doe, Jane.Doe@Acme.co.uk') // → 'jane.doe@acme.co.uk'
 */
export function extractEmail(text: string): string | undefined {
  return findEmails(text)[0]?.value;
}

function normaliseEmail(local: string, domain: string): string | undefined {
  if (local.length > 64) return undefined;
  const ascii = domainToASCII(domain.toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const parsed = parseHostname(ascii);
  if (parsed.isIp || !parsed.domain || !(parsed.isIcann || parsed.isPrivate)) return undefined;
  return `${local.toLowerCase()}@${ascii}`;
}
