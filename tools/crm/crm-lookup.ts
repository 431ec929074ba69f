import type { CrmContact, CrmDeal, CrmRepo } from '../../store/index.js';
import { resolveRecord, type PeopleDirectory, type RecordSource } from '../resolve/index.js';
import type { Choice, ToolContext } from '../tool-action.js';
import { contactLabel, dealLabel } from './crm-labels.js';
import { contactSource, dealSource } from './crm-sources.js';
import { normalisePhone } from './phone.js';

/**
 * Contacts and deals found by what people call them ("sarah from cyberdyne", "#12", "the acme deal",
 * "sarah@cyberdyne.com"). An e-mail or phone is looked up exactly; a description goes through the shared
 * resolver (tools/resolve, with the CRM's record sources: a numbered question when several match, answered
 * by "2" or a word); when it finds nothing, a typo-tolerant look-up (trigram similarity) has the last word,
 * since the resolver matches words by exact stem ("Sara Conor" still finds Sarah Connor).
 */
export type Found<R> = { record: R } | { question: string; choices?: Choice[] } | { none: string };

/** Who asks, for the resolver ("my latest lead" is not a thing here: CRM records have no owner). */
export type LookupContext = Pick<ToolContext, 'actor' | 'now' | 'timezone' | 'choices'>;

/** "#12", "contact 12", "deal no. 3"; a bare "2" too, unless it answers a question that listed options. */
const NUMBER = /^(?:contact\s*|deal\s*)?(?:number\s*|no\.?\s*)?#?\s*(\d{1,7})$/i;
const BARE_NUMBER = /^\s*\d{1,7}\s*$/;
const EMAIL = /[^\s@<>(),;]+@[^\s@<>(),;]+\.[^\s@<>(),;]+/;
/** "sarah from cyberdyne", "sarah at cyberdyne", "sarah @ cyberdyne", "sarah (cyberdyne)". */
const AT_COMPANY = /^(.+?)\s+(?:from|at|@|of)\s+(.+)$|^(.+?)\s*\((.+)\)$/i;
const FILLER = /^(?:the|our|my|contact|lead|client|customer|deal|mr\.?|mrs\.?|ms\.?)\s+|\s+(?:deal|contact|lead|account)$/gi;
/** CRM records have no owner: names in a description are words of the record, never people to look up. */
const NOBODY: PeopleDirectory = { findByName: async () => [] };

/** "the acme deal" → "acme"; "Sarah from Cyberdyne" → name and company. */
export function readReference(text: string): { name: string; company?: string } {
  let rest = text.trim().replace(/[?.!]+$/, '');
  for (let i = 0; i < 3; i++) rest = rest.replace(FILLER, '').trim();
  const at = AT_COMPANY.exec(rest);
  if (at) return { name: (at[1] ?? at[3])!.trim(), company: (at[2] ?? at[4])!.trim() };
  return { name: rest };
}

export { contactLabel, dealLabel };

/**
 * The one contact `reference` names: by number, e-mail, phone, or description (at a company). Several:
 * a question listing them (with choices); none: a sentence saying so.
 */
export async function findContact(
  crm: CrmRepo,
  reference: string,
  options: { company?: string | null; email?: string | null; phone?: string | null; defaultCountry: string; verb: string; ctx: LookupContext },
): Promise<Found<CrmContact>> {
  const text = reference.trim();
  const byNumber = byRecordNumber(text, options.ctx);
  if (byNumber) {
    const contact = await crm.findContactByNumber(Number(byNumber[1]));
    return contact ? { record: contact } : { none: `There is no contact #${byNumber[1]}.` };
  }
  const email = options.email ?? EMAIL.exec(text)?.[0];
  const phone = normalisePhone(options.phone ?? (/^[+\d][\d\s().-]{5,}$/.test(text) ? text : undefined), options.defaultCountry);
  if (email || phone) {
    const exact = (await crm.findDuplicates({ email: email ?? null, phone: phone ?? null })).filter((d) => d.reason !== 'name').map((d) => d.contact);
    if (exact.length === 1) return { record: exact[0]! };
    if (exact.length > 1) return ask(exact, options.verb);
    if (!text || text === email || normalisePhone(text, options.defaultCountry) === phone) return { none: `I can't find a contact with ${email ?? phone}.` };
  }
  const read = readReference(text);
  const company = options.company?.trim() || read.company;
  const description = company && !read.company ? `${read.name} from ${company}` : text;
  const resolved = await resolve(contactSource(crm), description, options.ctx, options.verb);
  if (!('none' in resolved)) return resolved;
  // Nothing by exact words: the typo-tolerant look-up ("Sara Conor", "Jose Mueller").
  const similar = await crm.findContactsByName(read.name, company);
  if (similar.length === 1) return { record: similar[0]! };
  if (similar.length > 1) return ask(similar, options.verb);
  return { none: `I can't find a contact called "${read.name}"${company ? ` at ${company}` : ''}.` };
}

/** The one deal `reference` names ("acme", "the acme deal", "deal 3"): open deals before closed ones. */
export async function findDeal(crm: CrmRepo, reference: string, verb: string, ctx: LookupContext): Promise<Found<CrmDeal>> {
  const text = reference.trim();
  const byNumber = byRecordNumber(text, ctx);
  if (byNumber) {
    const deal = await crm.getDealByNumber(Number(byNumber[1]));
    return deal ? { record: deal } : { none: `There is no deal #${byNumber[1]}.` };
  }
  const resolved = await resolve(dealSource(crm), text, ctx, verb, (deals) => {
    const open = deals.filter((d) => d.closedAt === null);
    return open.length ? open : deals;
  });
  if (!('none' in resolved)) return resolved;
  const similar = (await crm.findDeals(readReference(text).name || text)).filter((d, _, all) => d.closedAt === null || all.every((o) => o.closedAt !== null));
  if (similar.length === 1) return { record: similar[0]! };
  if (similar.length > 1) {
    const lines = similar.slice(0, 5).map((d) => `• ${dealLabel(d)}${d.companyName ? `, ${d.companyName}` : ''}`);
    return { question: `Several deals match "${text}":\n${lines.join('\n')}\nWhich one should I ${verb}? Say its number, e.g. "deal ${similar[0]!.number}".` };
  }
  return { none: `I can't find a deal for "${readReference(text).name}".` };
}

/** The shared resolver, optionally narrowing its candidates first (open deals before closed ones). */
async function resolve<R>(source: RecordSource<R>, description: string, ctx: LookupContext, verb: string, narrow?: (records: R[]) => R[]): Promise<Found<R>> {
  const narrowed: RecordSource<R> = narrow ? { ...source, find: async (q, actor) => narrow(await source.find(q, actor)) } : source;
  const found = await resolveRecord(narrowed, description, { actor: ctx.actor, now: ctx.now, timezone: ctx.timezone, people: NOBODY, ...(ctx.choices ? { choices: ctx.choices } : {}) }, verb);
  if ('record' in found) return found;
  if ('question' in found) return { question: found.question, choices: found.choices };
  return { none: found.none };
}

/** A record number typed, unless it is the position of an option the last question listed ("2"). */
function byRecordNumber(text: string, ctx: LookupContext): RegExpExecArray | null {
  if (ctx.choices?.length && BARE_NUMBER.test(text)) return null;
  return NUMBER.exec(text);
}

function ask(contacts: CrmContact[], verb: string): Found<CrmContact> {
  const lines = contacts.slice(0, 5).map((c) => `• ${contactLabel(c)}${c.email ? `, ${c.email}` : ''}`);
  return { question: `Several contacts match:\n${lines.join('\n')}\nWhich one should I ${verb}? Say its number, e.g. "#${contacts[0]!.number}".` };
}
