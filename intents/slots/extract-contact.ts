import { findEmails } from './extract-email.js';
import { findPhones } from './extract-phone.js';
import { prepareText, safely } from './prepare-text.js';
import { findNameRuns, readName, type NameRun } from './proper-names.js';
import { maskSpans, type Span } from './slot-match.js';

/** Who a CRM message is about. */
export interface ContactParty {
  /** A person, e.g. "Jane Doe". */
  name?: string;
  /** An organisation, e.g. "Acme Ltd". */
  company?: string;
}

export interface ContactPartyMatch extends ContactParty {
  spans: Span[];
}

// --- cues ---

/** After these, the words that follow are a person's name, capitalised or not. */
const EXPLICIT_NAME_CUES = /\b(?:my\s+name\s+is|my\s+name's|name\s*[:=]|name\s+is|full\s+name\s*[:=]?)\s*/giu;
/** After these, a capitalised run is a person's name ("I'm Jane", not "I'm interested"). */
const NAME_CUES =
  /\b(?:i\s+am|i'm|im|this\s+is|it's|(?:new\s+)?(?:lead|contact|prospect|client|customer)\s*(?:[:=\-–—]|is|called|named)?|add|called|named|for|about|with|to|delete|remove|erase|forget|find|look\s+up|contact\s+details\s+for)\s+/giu;
/** After these, a capitalised run is an organisation. */
const COMPANY_CUES =
  /(?:\b(?:from|at|of|with|company\s*(?:[:=]|is|called|named)?|works?\s+(?:at|for)|working\s+(?:at|for)|employed\s+(?:at|by)|represent(?:s|ing)?|on\s+behalf\s+of|org(?:anisation|anization)?\s*[:=]?|(?:i|we)\s+(?:run|own|manage|founded|started)|(?:owner|founder|ceo|director|head)\s+(?:of|at))|@)\s+(?:the\s+)?/giu;

/**
 * The person and company of a new lead ("new lead: Jane Doe from Acme Ltd, jane@acme.com") or of
 * a client introducing themselves ("Hi, I'm Jane from Acme"). E-mail addresses and phone numbers
 * are left to their own extractors and never read as names.
 *
 * @example
 * extractContactParty('new lead: Jane Doe from Acme Ltd, jane@acme.com, +44 7911 123456')
 * // → { name: 'Jane Doe', company: 'Acme Ltd' }
 */
export function extractContactParty(text: string): ContactParty {
  const { spans: _spans, ...party } = findContactParty(text);
  return party;
}

export function findContactParty(text: string): ContactPartyMatch {
  return safely(() => findContactPartyUnsafe(prepareText(text)), { spans: [] });
}

function findContactPartyUnsafe(prepared: string): ContactPartyMatch {
  const text = maskContactDetails(prepared);
  const company = findCompany(text);
  const name = findPersonName(text, company ? [company] : []);
  const result: ContactPartyMatch = { spans: [] };
  if (name) {
    result.name = name.value;
    result.spans.push({ start: name.start, end: name.end });
  }
  if (company && company.value !== name?.value) {
    result.company = company.value;
    result.spans.push({ start: company.start, end: company.end });
  }
  return result;
}

/**
 * The organisation a deal message is about ("move the Acme deal to proposal" → company Acme,
 * "mark Jane Doe's deal as won" → name Jane Doe). A run with a legal suffix or a single word is a
 * company; two or more plain capitalised words are a person. Deals are tracked per company, so
 * a single word is read as one.
 */
export function extractDealParty(text: string): ContactParty {
  return safely(() => {
    const { spans: _spans, ...party } = findDealParty(text);
    return party;
  }, {});
}

export function findDealParty(text: string): ContactPartyMatch {
  return safely(() => {
    const masked = maskContactDetails(prepareText(text));
    const cued = findCompany(masked);
    const run = cued ?? findNameRuns(masked, { company: true, maxWords: 6 })[0];
    if (!run) return { spans: [] };
    const span = { start: run.start, end: run.end };
    const words = run.value.split(/\s+/);
    const personLike = !run.isCompany && words.length >= 2 && !cued && /^[\p{Lu}]/u.test(words[1]!);
    return personLike ? { name: run.value, spans: [span] } : { company: run.value, spans: [span] };
  }, { spans: [] });
}

// --- readers ---

function findCompany(text: string): NameRun | undefined {
  for (const cue of text.matchAll(COMPANY_CUES)) {
    const run = readName(text, cue.index + cue[0].length, { company: true, maxWords: 6 });
    if (run) return run;
  }
  return findNameRuns(text, { company: true, maxWords: 6 }).find((run) => run.isCompany);
}

function findPersonName(text: string, exclude: readonly NameRun[]): NameRun | undefined {
  const free = (run: NameRun) => !exclude.some((other) => run.start < other.end && other.start < run.end);
  for (const cue of text.matchAll(EXPLICIT_NAME_CUES)) {
    const run = readName(text, cue.index + cue[0].length, { allowLowerCase: true, maxWords: 4 });
    if (run && free(run)) return run;
  }
  for (const cue of text.matchAll(NAME_CUES)) {
    const run = readName(text, cue.index + cue[0].length, { maxWords: 4 });
    if (run && free(run) && !run.isCompany) return run;
  }
  return findNameRuns(text, { maxWords: 4 }).find((run) => free(run) && !run.isCompany);
}

/** Hides e-mail addresses, phone numbers and URLs so their parts are never read as names. */
export function maskContactDetails(text: string): string {
  const spans = [
    ...findEmails(text).flatMap((email) => email.spans),
    ...findPhones(text).flatMap((phone) => phone.spans),
    ...[...text.matchAll(/\b(?:https?:\/\/|www\.)\S+/giu)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
  ];
  return maskSpans(text, spans);
}
