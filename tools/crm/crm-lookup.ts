import type { CrmContact, CrmDeal, CrmRepo } from '../../store/index.js';
import { normalisePhone } from './phone.js';

/**
 * Contacts and deals found by what people call them ("sarah from cyberdyne", "#12", "the acme deal",
 * "sarah@cyberdyne.com"). One module so every CRM `prepare` finds records the same way.
 *
 * Not (yet) tools/resolve: its in-memory check matches words by exact stem, which would drop the
 * accent and typo tolerance the CRM's trigram queries give ("Jose Muller" → José Müller). Switching is
 * this file only: a `RecordSource` over `CrmRepo.findContactsByName` / `findDeals`.
 */
export type Found<R> = { record: R } | { question: string } | { none: string };

const NUMBER = /^(?:contact\s*|deal\s*)?(?:number\s*|no\.?\s*)?#?\s*(\d{1,7})$/i;
const EMAIL = /[^\s@<>(),;]+@[^\s@<>(),;]+\.[^\s@<>(),;]+/;
/** "sarah from cyberdyne", "sarah at cyberdyne", "sarah @ cyberdyne", "sarah (cyberdyne)". */
const AT_COMPANY = /^(.+?)\s+(?:from|at|@|of)\s+(.+)$|^(.+?)\s*\((.+)\)$/i;
const FILLER = /^(?:the|our|my|contact|lead|client|customer|deal|mr\.?|mrs\.?|ms\.?)\s+|\s+(?:deal|contact|lead|account)$/gi;

/** "the acme deal" → "acme"; "Sarah from Cyberdyne" → name and company. */
export function readReference(text: string): { name: string; company?: string } {
  let rest = text.trim().replace(/[?.!]+$/, '');
  for (let i = 0; i < 3; i++) rest = rest.replace(FILLER, '').trim();
  const at = AT_COMPANY.exec(rest);
  if (at) return { name: (at[1] ?? at[3])!.trim(), company: (at[2] ?? at[4])!.trim() };
  return { name: rest };
}

export function contactLabel(c: CrmContact): string {
  return `#${c.number} ${c.name}${c.companyName ? ` (${c.companyName})` : ''}`;
}

export function dealLabel(d: CrmDeal): string {
  return `deal #${d.number} "${d.title}" (${d.stage})`;
}

/**
 * The one contact `reference` names: by number, e-mail, phone, or name (at a company). Several with no
 * clear best: a question listing them; none: a sentence saying so.
 */
export async function findContact(
  crm: CrmRepo,
  reference: string,
  options: { company?: string | null; email?: string | null; phone?: string | null; defaultCountry: string; verb: string },
): Promise<Found<CrmContact>> {
  const text = reference.trim();
  const byNumber = NUMBER.exec(text);
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
  const matches = await crm.findContactsByName(read.name, company);
  if (matches.length === 1) return { record: matches[0]! };
  if (matches.length > 1) {
    const folded = fold(read.name);
    const exact = matches.filter((m) => fold(m.name) === folded);
    return exact.length === 1 ? { record: exact[0]! } : ask(matches, options.verb);
  }
  return { none: `I can't find a contact called "${read.name}"${company ? ` at ${company}` : ''}.` };
}

/** The one deal `reference` names ("acme", "the acme deal", "deal 3"): open deals before closed ones. */
export async function findDeal(crm: CrmRepo, reference: string, verb: string): Promise<Found<CrmDeal>> {
  const text = reference.trim();
  const byNumber = NUMBER.exec(text);
  const deals = byNumber ? (await crm.listDeals()).filter((d) => d.number === Number(byNumber[1])) : await crm.findDeals(readReference(text).name || text);
  if (!deals.length) return { none: byNumber ? `There is no deal #${byNumber[1]}.` : `I can't find a deal for "${readReference(text).name}".` };
  const open = deals.filter((d) => d.closedAt === null);
  const pool = open.length ? open : deals;
  if (pool.length === 1) return { record: pool[0]! };
  const lines = pool.slice(0, 5).map((d) => `• ${dealLabel(d)}${d.companyName ? `, ${d.companyName}` : ''}`);
  return { question: `Several deals match "${text}":\n${lines.join('\n')}\nWhich one should I ${verb}? Say its number, e.g. "deal ${pool[0]!.number}".` };
}

function ask(contacts: CrmContact[], verb: string): Found<CrmContact> {
  const lines = contacts.slice(0, 5).map((c) => `• ${contactLabel(c)}${c.email ? `, ${c.email}` : ''}`);
  return { question: `Several contacts match:\n${lines.join('\n')}\nWhich one should I ${verb}? Say its number, e.g. "#${contacts[0]!.number}".` };
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
