import { z } from 'zod';
import type { CrmContact } from '../../store/index.js';
import type { ToolAction } from '../tool-action.js';
import type { CrmDeps } from './crm-deps.js';
import { contactLabel, findContact, readReference } from './crm-lookup.js';
import { formatPhone } from './phone.js';

export const FindContactParamsSchema = z.object({
  query: z.string().trim().min(1).max(1000),
  name: z.string().nullable(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** The one detail asked for ("what's John's email?"), or null for the whole card. */
  field: z.enum(['email', 'phone']).nullable(),
});
export type FindContactParams = z.infer<typeof FindContactParamsSchema>;

const WHO_AT = /\b(?:who|anyone|anybody|contacts?|people)\b.*\b(?:at|from|in)\s+(.+?)[?.!]*$/i;

/**
 * `crm.contact.find`: "what's John Smith's email?" (one detail), "find Maria from Globex" (the card),
 * "who do we know at Initech?" (the company's contacts), anything else: a search across contacts,
 * companies, deals and notes (accent- and typo-tolerant).
 */
export function findContactAction(deps: CrmDeps): ToolAction<FindContactParams> {
  return {
    name: 'crm.contact.find',
    intent: 'crm.contact.find',
    input: FindContactParamsSchema,
    async prepare(slots, ctx) {
      const query = slots.query?.trim() || slots.name || slots.email || slots.phone || slots.company;
      if (!query) return { ok: false, question: 'Who are you looking for? A name, company, e-mail or phone number.', slot: 'query' };
      const field = /\be-?mail\b/i.test(ctx.text) ? 'email' : /\b(?:phone|number|mobile|cell)\b/i.test(ctx.text) ? 'phone' : null;
      return {
        ok: true,
        params: { query, name: slots.name ?? null, company: slots.company ?? null, email: slots.email ?? null, phone: slots.phone ?? null, field },
      };
    },
    risk: () => 'safe',
    plan: (p) => `Look up "${p.query}" in the CRM.`,
    phrase: () => ({ verb: 'find', target: 'contact', qualifier: 'crm' }),
    async execute(p, ctx) {
      const whoAt = WHO_AT.exec(p.query);
      const companyOnly = p.company && !p.name && !p.email && !p.phone ? p.company : whoAt?.[1];
      if (companyOnly) {
        const company = await deps.crm.findCompany(companyOnly);
        if (company) {
          const people = await deps.crm.contactsAtCompany(company.id);
          if (!people.length) return { summary: `We have ${company.name} in the CRM but no contacts there yet.` };
          return { summary: `At ${company.name} we know ${people.length === 1 ? 'one person' : `${people.length} people`}:\n${people.map((c) => `• ${card(c)}`).join('\n')}` };
        }
        // Asked about a company the CRM does not know: say so in those words, not as a person's name
        // made of the question ("no contact called "who do we know""), and offer what it does hold.
        if (!p.name && !p.email && !p.phone) {
          const hits = await deps.crm.search(companyOnly, 5);
          if (!hits.length) return { summary: `${companyOnly} isn't in the CRM yet: no company, contact or deal matches it.` };
          return { summary: `There is no company called ${companyOnly} in the CRM, but it has:\n${hitLines(hits)}` };
        }
      }
      const reference = p.name ?? (p.email || p.phone ? '' : readReference(p.query.replace(/^(?:what'?s|what is|find|look up|get|show me|search(?: for)?)\s+/i, '').replace(/['’]s\s+(?:e-?mail|phone|number|details)\b.*$/i, '')).name);
      const found = await findContact(deps.crm, reference || p.query, { company: p.company, email: p.email, phone: p.phone, defaultCountry: deps.defaultCountry, verb: 'show', ctx });
      if ('record' in found) {
        // A typo-tolerant match to another name says so: "Sara Conor" is not "Sarah Connor".
        const asked = p.name ?? reference;
        const closest = asked && !/[@\d]/.test(asked) && !sameName(found.record.name, asked) ? `No contact is called "${asked}"; the closest is ${found.record.name}. ` : '';
        return { summary: `${closest}${answer(found.record, p.field)}`, data: { contactId: found.record.id } };
      }
      if ('question' in found) {
        // A look-up answers with the list (nothing waits for a choice): the options, or the question's own lines.
        const options = found.choices?.map((c) => `• ${c.label}`).join('\n') ?? found.question;
        return { summary: `Several contacts match "${reference || p.query}":\n${options}\nAsk with more of the name, the company or a number for one contact's details.` };
      }
      const hits = await deps.crm.search(p.query, 5);
      if (!hits.length) return { summary: `${found.none} Nothing in the CRM matches "${p.query}".` };
      return { summary: `Nothing by that name, but the CRM has:\n${hitLines(hits)}` };
    },
  };
}

/** The CRM's search results, a line each. */
function hitLines(hits: readonly { kind: string; label: string }[]): string {
  return hits.map((h) => `• ${h.kind}: ${h.label}`).join('\n');
}

function answer(c: CrmContact, field: FindContactParams['field']): string {
  if (field === 'email') return c.email ? `${c.name}'s e-mail is ${c.email}.` : `I have no e-mail for ${c.name}. ${card(c)}`;
  if (field === 'phone') return c.phone ? `${c.name}'s phone number is ${formatPhone(c.phone)}.` : `I have no phone number for ${c.name}. ${card(c)}`;
  return card(c);
}

function card(c: CrmContact): string {
  const details = [c.email, c.phone && formatPhone(c.phone), c.need && `needs: ${c.need}`].filter(Boolean).join(', ');
  return `${contactLabel(c)}${details ? `: ${details}` : ''}`;
}

/** Same name, or the start of it ("Sarah" for Sarah Connor), ignoring case and accents. */
function sameName(name: string, asked: string): boolean {
  const fold = (t: string) => t.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  const [n, a] = [fold(name), fold(readReference(asked).name)];
  return n === a || n.startsWith(`${a} `) || n.split(' ').includes(a);
}
