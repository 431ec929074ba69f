import { z } from 'zod';
import { eraseContact, type ErasureCounts } from '../../store/index.js';
import type { ToolAction } from '../tool-action.js';
import type { CrmDeps } from './crm-deps.js';
import { contactLabel, findContact } from './crm-lookup.js';
import { formatPhone, nationalDigits } from './phone.js';

export const EraseContactParamsSchema = z.object({
  contactId: z.string().uuid(),
  number: z.number().int(),
  label: z.string(),
  /** Every spelling of the person the sweep looks for (see `needlesFor`). */
  needles: z.array(z.string()),
  /** Their phone number's national digits, found however it was typed. */
  phoneDigits: z.array(z.string()),
  conversations: z.number().int(),
  deals: z.number().int(),
  notes: z.number().int(),
});
export type EraseContactParams = z.infer<typeof EraseContactParamsSchema>;

/**
 * `crm.contact.delete` is an erasure on request: the contact and the person's data wherever it is
 * stored (store/durable/crm-erasure.ts), then a receipt of what was erased, per kind, to the requester.
 * Critical (phrase and one-time code): it cannot be undone. The audit log keeps a record of it
 * without personal data, and its chain still verifies.
 */
export function eraseContactAction(deps: CrmDeps): ToolAction<EraseContactParams> {
  return {
    name: 'crm.contact.delete',
    intent: 'crm.contact.delete',
    input: EraseContactParamsSchema,
    async prepare(slots, ctx) {
      const reference = slots.name ?? slots.email;
      if (!reference) return { ok: false, question: 'Whose data should I erase? Give a name, e-mail or contact number.', slot: 'name' };
      const found = await findContact(deps.crm, reference, { company: slots.company ?? null, email: slots.email ?? null, defaultCountry: deps.defaultCountry, verb: 'erase', ctx });
      if ('question' in found) return { ok: false, question: found.question, slot: 'name', ...(found.choices ? { choices: found.choices } : {}) };
      if ('none' in found) return { ok: false, refusal: found.none };
      const contact = found.record;
      const counts = await deps.crm.countsFor(contact.id);
      const identities = await deps.crm.identitiesOf(contact.id);
      return {
        ok: true,
        params: {
          contactId: contact.id,
          number: contact.number,
          label: contactLabel(contact),
          needles: needlesFor({ name: contact.name, email: contact.email, phone: contact.phone, identities: identities.map((i) => i.externalId) }),
          phoneDigits: contact.phone ? [nationalDigits(contact.phone)] : [],
          conversations: counts.conversations,
          deals: counts.deals,
          notes: counts.notes,
        },
      };
    },
    risk: () => 'critical',
    plan: (p) =>
      `Erase contact ${p.label} and everything stored about them: the contact, their identities, ${p.conversations ? `${plural(p.conversations, 'conversation')} of theirs with the messages and transcripts, ` : ''}${plural(p.notes, 'note')}, activities, mentions in tasks, deals and job records, and the audit records that name them${p.deals ? ` (${p.deals === 1 ? 'their deal stays' : `their ${p.deals} deals stay`}, without them)` : ''}. This cannot be undone.`,
    phrase: (p) => ({ verb: 'erase', target: 'contact', qualifier: String(p.number) }),
    async execute(p, ctx) {
      const counts = await eraseContact(deps.db, deps.audit, {
        contactId: p.contactId,
        needles: p.needles,
        phoneDigits: p.phoneDigits,
        requestedBy: ctx.actor.id,
        conversationId: ctx.conversationId,
      });
      if (!counts.contacts) return { summary: `Contact #${p.number} was already erased.`, data: { counts } };
      // The receipt names the contact by number only: this reply is stored too.
      return { summary: `Erased contact #${p.number}. ${receipt(counts)}`, data: { counts } };
    },
  };
}

/** The spellings of a person an erasure looks for: name (as typed and without accents), e-mail, phone formats, channel ids. */
export function needlesFor(person: { name: string; email: string | null; phone: string | null; identities: string[] }): string[] {
  const folded = person.name.normalize('NFKD').replace(/\p{M}/gu, '');
  const phones = person.phone ? [person.phone, person.phone.replace(/^\+/, ''), formatPhone(person.phone)] : [];
  // Short channel ids (a Telegram id of a few digits) would match unrelated numbers.
  const ids = person.identities.filter((id) => id.length >= 6);
  return [...new Set([person.name, folded, person.email, ...phones, ...ids].filter((n): n is string => Boolean(n && n.trim())))];
}

/** "Removed: 1 contact, 2 identities, …" — counts per kind, no personal data. */
export function receipt(c: ErasureCounts): string {
  const parts = [
    plural(c.contacts, 'contact'),
    plural(c.identities, 'identity', 'identities'),
    plural(c.conversations, 'conversation'),
    plural(c.messages, 'message'),
    plural(c.notes, 'note'),
    plural(c.activities, 'activity', 'activities'),
    plural(c.tasks, 'task link'),
    plural(c.checkpoints, 'conversation state'),
    plural(c.auditRecords, 'audit record redacted', 'audit records redacted'),
    plural(c.otherRecords, 'other mention', 'other mentions'),
  ];
  return `Removed: ${parts.join(', ')}. The audit log keeps a record of this erasure without personal data.`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
