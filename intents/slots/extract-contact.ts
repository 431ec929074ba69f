import { findEmails } from './extract-email.js';
import { findPhones } from './extract-phone.js';
import { prepareText, safely } from './prepare-text.js';
import { findNameRuns, isNotNameWord, readName, type NameRun, type ReadNameOptions } from './proper-names.js';
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

/**
 * What the message does with the person, which changes how it names them: a new lead lists
 * "Name, Company, e-mail"; a deletion names a company only to tell two people apart ("delete John
 * from Initech"); a lookup asks for "Jane's email" or "who we know at Initech".
 */
export type ContactPurpose = 'lead' | 'find' | 'delete';

// --- cues ---
// A cue says a name follows. After one, the name may be typed in lower case ("new lead sarah
// connor from cyberdyne"): the loose reader then stops at everyday words instead of at capitals.

/** After these, the words that follow are a person's name, capitalised or not. */
const EXPLICIT_NAME_CUES =
  /\b(?:my\s+name\s+is|my\s+name's|(?:full\s+)?name\s*[:=]|name\s+is|name's|names|contact\s+(?:person\s+)?(?:is|[:=])|ask\s+for|speak\s+to)\s*/giu;
/** Someone speaking of themselves: "I'm Jane", "this is Jane Doe" (not "I'm interested"). */
const SELF_CUES = /\b(?:i\s+am|i'm|im|this\s+is|it's)\s+/giu;
/** After these, a capitalised run is a person's name. */
const NAME_CUES =
  /\b(?:(?:new\s+)?(?:lead|contact|prospect|client|customer)\s*(?:[:=\-–—]|is|called|named)?|add|called|named|for|about|with|to|delete|remove|erase|forget|find|look\s+up|contact\s+details\s+for)\s+/giu;
/** Per purpose, the cues after which a lower-case name is still read. */
const LOOSE_NAME_CUES: Readonly<Record<ContactPurpose, RegExp>> = {
  lead: /\b(?:(?:new\s+)?(?:lead|prospect|enquiry|inquiry)|new\s+one)(?:\s+(?:pls|please))?\s*(?:[:\-–—→!]+\s*|\s+)|\b(?:put|add|met|spoke\s+(?:to|with)|talked\s+(?:to|with))\s+(?=\p{L})/giu,
  delete:
    /\b(?:delete|delet|remove|erase|wipe|purge|drop|scrub|nuke|get\s+rid\s+of)\s+(?:all\s+)?(?:(?:the|this)\s+)?(?:(?:personal\s+)?(?:data|details|info(?:rmation)?)\s+(?:for|of|on|about)\s+)?(?:(?:duplicate|test|spam|old)\s+)?(?:(?:contact|lead|person|customer|client)(?:\s+(?:card|record|entry))?\s+)?(?:for\s+|of\s+)?/giu,
  find: /\b(?:find|look\s*up|lookup|search(?:\s+(?:the\s+)?(?:crm|contacts?))?(?:\s+for)?|(?:e-?mail(?:\s+address)?|(?:phone\s+)?number|phone|mobile|details|info|contact\s+(?:details|info))\s+(?:for|of)|reach|about|who(?:'s|\s+is))\s*:?\s+/giu,
};
/** "Jane Doe's email", "sarah connor's number": a possessive before contact details. */
const POSSESSIVE_DETAILS = /'s\s+(?:e-?mail|number|phone|mobile|details|contact|data|info|address|record|card|file|personal)/giu;

/** After these, a run is an organisation (capitalised, or in lower case when `loose`). */
const COMPANY_CUES =
  /(?:\b(?:from|at|of|with|company\s*(?:[:=]|is|called|named)?|works?\s+(?:at|for)|working\s+(?:at|for)|employed\s+(?:at|by)|represent(?:s|ing)?|on\s+behalf\s+of|org(?:anisation|anization)?\s*[:=]?|(?:i|we)\s+(?:run|own|manage|founded|started)|(?:owner|founder|ceo|director|head)\s+(?:of|at)|we're|we\s+are)|@)\s+(?:the\s+)?/giu;
/** A business named outright: "my company is kumar textiles", "a small bakery called Crumbs", "shop name Jade Garden". */
const EXPLICIT_COMPANY_CUES =
  /\b(?:(?:my\s+|our\s+)?(?:company|business|firm|shop|store|bakery|restaurant|cafe|studio|agency|clinic|salon|brand)\s+(?:is\s+called|is\s+named|called|named|name\s+is|name\s*[:=]?|is)|company\s*[:=])\s+/giu;
/** "a lead for Redwood Dental": for a lead, "for" names the business when it reads as one. */
const LEAD_FOR = /\blead\s+for\s+/giu;
/** "from" / "at" cues that name where a lead came from, not their company. */
const SOURCE_WORDS = /^(?:the|a|an|our|your|my|linkedin|instagram|facebook|twitter|google|whatsapp|telegram|slack|contact|website|site|web|webinar|expo|conference|meetup|event|referral|form|crm)\b/iu;

const LOOSE: ReadNameOptions = { loose: true, maxWords: 3 };
const LOOSE_COMPANY: ReadNameOptions = { loose: true, company: true, maxWords: 4 };
const COMPANY: ReadNameOptions = { company: true, maxWords: 6 };

/**
 * The person and company of a new lead ("new lead: Jane Doe from Acme Ltd, jane@acme.com"), of a
 * client introducing themselves ("Hi, I'm Jane from Acme"), of a lookup or of an erasure request.
 * E-mail addresses and phone numbers are left to their own extractors and never read as names.
 *
 * @example
 * extractContactParty('new lead: Jane Doe from Acme Ltd, jane@acme.com, +44 7911 123456')
 * // → { name: 'Jane Doe', company: 'Acme Ltd' }
 * extractContactParty("what's sarah connor's number", 'find') // → { name: 'Sarah Connor' }
 */
export function extractContactParty(text: string, purpose: ContactPurpose = 'lead'): ContactParty {
  const { spans: _spans, ...party } = findContactParty(text, purpose);
  return party;
}

export function findContactParty(text: string, purpose: ContactPurpose = 'lead'): ContactPartyMatch {
  return safely(() => findContactPartyUnsafe(prepareText(text), purpose), { spans: [] });
}

function findContactPartyUnsafe(prepared: string, purpose: ContactPurpose): ContactPartyMatch {
  const text = maskContactDetails(prepared);
  let name = findPersonName(text, purpose);
  let company = findCompany(text, name, purpose);
  // "a lead for Redwood Dental": a person-looking run that reads as a business is the company.
  if (name?.isCompany) {
    company ??= name;
    name = findPersonName(text, purpose, [name]);
  }
  const result: ContactPartyMatch = { spans: [] };
  if (name) {
    result.name = name.value;
    result.spans.push({ start: name.start, end: name.end });
  }
  if (company && !overlaps(company, name)) {
    result.company = company.value;
    result.spans.push({ start: company.start, end: company.end });
  }
  return result;
}

// --- people ---

function findPersonName(text: string, purpose: ContactPurpose, exclude: readonly NameRun[] = []): NameRun | undefined {
  const free = (run: NameRun | undefined): run is NameRun => run !== undefined && !exclude.some((other) => overlaps(run, other));
  for (const cue of text.matchAll(EXPLICIT_NAME_CUES)) {
    const run = readName(text, cue.index + cue[0].length, { loose: true, maxWords: 4 });
    if (free(run)) return run;
  }
  for (const cue of text.matchAll(SELF_CUES)) {
    const from = cue.index + cue[0].length;
    const run = readName(text, from, { maxWords: 4 }) ?? selfNameInLowerCase(text, from);
    if (free(run) && !run.isCompany) return run;
  }
  for (const cue of text.matchAll(LOOSE_NAME_CUES[purpose])) {
    const run = readName(text, cue.index + cue[0].length, LOOSE);
    if (free(run)) return run;
  }
  if (purpose !== 'lead') {
    const possessive = possessiveName(text);
    if (free(possessive)) return possessive;
  }
  // Without a cue of its own, a run right after "at"/"from" names a company ("who do we know at Initech").
  const person = (run: NameRun | undefined): run is NameRun =>
    free(run) && !run.isCompany && (purpose === 'delete' || !/\b(?:at|from|of|with)\s+(?:the\s+)?$/iu.test(text.slice(0, run.start)));
  for (const cue of text.matchAll(NAME_CUES)) {
    const run = readName(text, cue.index + cue[0].length, { maxWords: 4 });
    if (person(run)) return run;
  }
  return findNameRuns(text, { maxWords: 4 }).find(person);
}

/** "hey im sam, …": a lower-case first name only when punctuation or "from" closes it. */
function selfNameInLowerCase(text: string, from: number): NameRun | undefined {
  const run = readName(text, from, { loose: true, maxWords: 2 });
  if (!run) return undefined;
  return /^\s*(?:$|[,.!;]|from\b|at\b|with\b|and\b|here\b)/iu.test(text.slice(run.end)) ? run : undefined;
}

/** "whats sarah connor's number": the words before the possessive, back to the first everyday word. */
function possessiveName(text: string): NameRun | undefined {
  for (const match of text.matchAll(POSSESSIVE_DETAILS)) {
    const before = text.slice(0, match.index);
    const words = [...before.matchAll(/[\p{L}][\p{L}\p{M}'’.-]*/gu)].slice(-3);
    // Read forward from the earliest word that starts a name reaching the possessive.
    for (const word of words) {
      const run = readName(text, word.index, LOOSE);
      if (run && run.end === match.index) return run;
    }
  }
  return undefined;
}

// --- companies ---

function findCompany(text: string, person: NameRun | undefined, purpose: ContactPurpose): NameRun | undefined {
  const free = (run: NameRun | undefined): run is NameRun => run !== undefined && !overlaps(run, person);
  for (const cue of text.matchAll(EXPLICIT_COMPANY_CUES)) {
    const run = readName(text, cue.index + cue[0].length, LOOSE_COMPANY);
    if (free(run)) return run;
  }
  for (const cue of text.matchAll(COMPANY_CUES)) {
    const from = cue.index + cue[0].length;
    // A deletion names a company only to tell two people apart: "delete John from Initech".
    if (purpose === 'delete' && (!person || text.slice(person.end, cue.index).trim() !== '')) continue;
    if (SOURCE_WORDS.test(text.slice(from))) continue;
    const run = readName(text, from, COMPANY) ?? (/^(?:from|at|of)\b/iu.test(cue[0]) ? readName(text, from, LOOSE_COMPANY) : undefined);
    if (free(run) && !isNotNameWord(run.value)) return run;
  }
  if (purpose === 'lead') {
    for (const cue of text.matchAll(LEAD_FOR)) {
      const run = readName(text, cue.index + cue[0].length, LOOSE_COMPANY);
      if (free(run) && (run.isCompany || person)) return run;
    }
    const listed = person ? companyListedAfter(text, person) : undefined;
    if (listed) return listed;
  }
  if (purpose === 'delete') return undefined;
  return findNameRuns(text, COMPANY).find((run) => free(run) && run.isCompany);
}

/** "Jane Doe, Acme Ltd, jane@acme.com", "Jane Doe (Acme)", "Jane Doe / Acme": the run listed next to the name. */
function companyListedAfter(text: string, person: NameRun): NameRun | undefined {
  const separator = /^\s*(?:,|\/|\(|-|–|—)\s*/u.exec(text.slice(person.end));
  if (!separator) return undefined;
  const from = person.end + separator[0].length;
  const run = readName(text, from, COMPANY) ?? readName(text, from, LOOSE_COMPANY);
  if (!run) return undefined;
  // The run must be the whole item of the list, not the start of a sentence ("Jane, wants a site").
  return /^\s*(?:$|[,/)+.;]|[-–—]\s)/u.test(text.slice(run.end)) ? run : undefined;
}

// --- deals ---

/** "the Acme deal", "Jane Doe's opportunity", "acme ltd deal → won": the words before the record noun. */
const DEAL_NOUN = /(?:'s)?\s+(?:deal|opportunity|opp|account|pipeline\s+entry)\b/giu;
/** "move acme to …", "mark cyberdyne as …", "set initech deal to …". */
const DEAL_VERB =
  /\b(?:move|moved|mark|set|push|put|drag|change|update|drop|advance|bump|close|closing|shift)\s+(?:the\s+)?(?:deal\s+(?:for|with)\s+)?/giu;
/** "we lost orchard & vine", "we won Rossi Auto", "sent the proposal to Saffron Kitchen". */
const DEAL_OUTCOME = /\b(?:lost|won|signed|closed|(?:sent|emailed)\s+(?:the|a|our)\s+(?:proposal|quote|contract|estimate)\s+to|deal\s+with)\s+(?:the\s+)?/giu;
/** "acme signed!", "Helix Bio accepted the proposal": the words before an outcome verb. */
const SUBJECT_VERB =
  /^\s*((?:[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.&-]*\s+){0,3}?[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.&-]*)\s+(?:signed|accepted|declined|rejected|said|went|is|are|has|have|moved|agreed|turned|chose|picked|dropped|ghosted|wants?|paid|approved|deal)\b/iu;

/**
 * The organisation a deal message is about ("move the acme deal to proposal" → company Acme,
 * "mark Jane Doe's deal as won" → name Jane Doe). Deals are tracked per company, so a run is a
 * company unless it is a person's possessive ("Jane Doe's deal") or followed by "at <company>".
 */
export function extractDealParty(text: string): ContactParty {
  return safely(() => {
    const { spans: _spans, ...party } = findDealParty(text);
    return party;
  }, {});
}

export function findDealParty(text: string): ContactPartyMatch {
  return safely(() => findDealPartyUnsafe(maskContactDetails(prepareText(text))), { spans: [] });
}

function findDealPartyUnsafe(text: string): ContactPartyMatch {
  const run = dealRun(text);
  if (!run) return { spans: [] };
  const span = { start: run.start, end: run.end };
  // "the deal with John at Acme": John is the person, Acme the company.
  const at = /^\s+(?:at|from)\s+/iu.exec(text.slice(run.end));
  const company = at ? readName(text, run.end + at[0].length, COMPANY) ?? readName(text, run.end + at[0].length, LOOSE_COMPANY) : undefined;
  if (company) return { name: run.value, company: company.value, spans: [span, { start: company.start, end: company.end }] };
  const possessive = /^'s\s+(?:deal|opportunity|opp)\b/iu.test(text.slice(run.end));
  const words = run.value.split(/\s+/);
  const personLike = possessive && !run.isCompany && words.length >= 2 && /^\p{Lu}/u.test(words[1]!);
  return personLike ? { name: run.value, spans: [span] } : { company: run.value, spans: [span] };
}

function dealRun(text: string): NameRun | undefined {
  for (const noun of text.matchAll(DEAL_NOUN)) {
    const run = runEndingAt(text, noun.index);
    if (run) return run;
  }
  const after = (cue: RegExp) => {
    for (const match of text.matchAll(cue)) {
      const from = match.index + match[0].length;
      const run = readName(text, from, COMPANY) ?? readName(text, from, LOOSE_COMPANY);
      if (run) return run;
    }
    return undefined;
  };
  const subject = SUBJECT_VERB.exec(text);
  return (
    after(DEAL_VERB) ??
    (subject ? runEndingAt(text, subject.index + subject[0].indexOf(subject[1]!) + subject[1]!.length) : undefined) ??
    after(DEAL_OUTCOME) ??
    findNameRuns(text, COMPANY)[0]
  );
}

/** The longest name run that ends exactly at `end` ("move the acme ltd| deal"), read in lower case if need be. */
function runEndingAt(text: string, end: number): NameRun | undefined {
  const words = [...text.slice(0, end).matchAll(/[\p{L}\p{N}&][\p{L}\p{M}\p{N}'’.&-]*/gu)].slice(-4);
  for (const word of words) {
    const run = readName(text, word.index, COMPANY) ?? readName(text, word.index, LOOSE_COMPANY);
    if (run && run.end === end) return run;
  }
  return undefined;
}

// --- shared ---

function overlaps(a: NameRun, b: NameRun | undefined): boolean {
  return b !== undefined && a.start < b.end && b.start < a.end;
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
