import { z } from 'zod';
import type { SlotName } from '../../intents/index.js';
import type { ToolAction } from '../tool-action.js';
import type { CrmDeps } from './crm-deps.js';
import { contactLabel } from './crm-lookup.js';
import { formatPhone } from './phone.js';

export const CreateLeadParamsSchema = z.object({
  /** `create` a contact, or `update` the existing one the person chose. */
  mode: z.enum(['create', 'update']),
  contactId: z.string().uuid().nullable(),
  existingLabel: z.string().nullable(),
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().max(200).nullable(),
  email: z.string().email().nullable(),
  phone: z.string().nullable(),
  need: z.string().max(5000).nullable(),
});
export type CreateLeadParams = z.infer<typeof CreateLeadParamsSchema>;

const UPDATE = /^(?:yes,? )?(?:update|merge|existing|the existing one|that one|(?:it'?s |that'?s )?(?:the )?same(?: one| person)?|it'?s (?:her|him|them))\b/i;
const ADD_NEW = /^(?:no,? )?(?:(?:add|create|make)(?: a)? (?:new|another|separate)|(?:a )?(?:new|another|separate|different)(?: one| person| contact)?)\b/i;

/**
 * `crm.lead.create`, for the team: a contact that looks like an existing one (same e-mail, same phone in
 * any format, a similar name at the same company) gets a question instead of a silent duplicate, and the
 * answer ("update them" / "add new") decides. Clients never reach this action: their details go through
 * bot/client to `CrmService.captureLead`, which finds or creates without asking about anyone else.
 *
 * The answer to the duplicate question arrives in a free-text slot of the intent (note, else company):
 * the dialog reads an answer into the slot a question names, and the catalog has no slot for a choice.
 */
export function createLeadAction(deps: CrmDeps): ToolAction<CreateLeadParams> {
  return {
    name: 'crm.lead.create',
    intent: 'crm.lead.create',
    input: CreateLeadParamsSchema,
    async prepare(slots, ctx) {
      const decisionSlot: SlotName = !slots.note ? 'note' : !slots.company ? 'company' : 'note';
      const answer = decisionIn({ ...slots }, ctx.text);
      const lead = { ...slots };
      if (answer) delete lead[answer.slot];
      const name = lead.name?.trim();
      if (!name) return { ok: false, question: 'What is the name of the lead?', slot: 'name' };
      const phone = lead.phone ? deps.service.normalisePhone(lead.phone) : undefined;
      if (lead.phone && !phone) return { ok: false, question: `"${lead.phone}" doesn't look like a phone number. What is the number, with its country code?`, slot: 'phone' };
      const params: CreateLeadParams = {
        mode: 'create',
        contactId: null,
        existingLabel: null,
        name,
        company: lead.company?.trim() || null,
        email: lead.email?.trim().toLowerCase() || null,
        phone: phone ?? null,
        need: lead.note?.trim() || null,
      };
      const duplicates = await deps.service.duplicatesOf(params);
      if (!duplicates.length) return { ok: true, params };
      const existing = duplicates[0]!.contact;
      if (answer?.decision === 'update') return { ok: true, params: { ...params, mode: 'update', contactId: existing.id, existingLabel: contactLabel(existing) } };
      if (answer?.decision === 'new') return { ok: true, params };
      const who = `${existing.name}${existing.companyName ? ` at ${existing.companyName}` : ''}`;
      const added = new Date(existing.createdAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: ctx.timezone });
      const why = duplicates[0]!.reason === 'name' ? '' : `, same ${duplicates[0]!.reason === 'email' ? 'e-mail' : 'phone number'}`;
      const more = duplicates.length > 1 ? ` ${duplicates.length - 1} other similar contact${duplicates.length > 2 ? 's' : ''} exist too.` : '';
      return {
        ok: false,
        // The suggested answers are ones the understanding does not take for a new request ("update" alone is a deal update).
        question: `${who} already exists (added ${added}${why}): update the existing one, or add a new contact?${more}`,
        slot: decisionSlot,
      };
    },
    risk: () => 'safe',
    plan: (p) =>
      p.mode === 'update'
        ? `Update contact ${p.existingLabel} with ${describe(p) || 'nothing new'}.`
        : `Add ${p.name}${p.company ? ` from ${p.company}` : ''} as a new lead${describe(p) ? ` (${describe(p)})` : ''}.`,
    phrase: (p) => ({ verb: 'add', target: 'lead', qualifier: p.mode }),
    async execute(p, ctx) {
      // No conversation link: the chat a team member logged the lead in is theirs, not the contact's
      // (erasing the contact blanks the contact's own conversations).
      const input = { name: p.name, company: p.company, email: p.email, phone: p.phone, need: p.need, createdBy: ctx.actor.id };
      if (p.mode === 'update') {
        const contact = await deps.service.updateFromLead(p.contactId!, input);
        if (!contact) return { summary: `Contact ${p.existingLabel} no longer exists: nothing was changed.` };
        return { summary: `Updated contact ${contactLabel(contact)}.`, data: { contactId: contact.id, number: contact.number } };
      }
      const { contact, deal } = await deps.service.createLead(input);
      const dealText = deal ? `, deal #${deal.number} at ${deal.stage}` : '';
      return { summary: `Added ${contact.name}${contact.companyName ? ` (${contact.companyName})` : ''} as a lead: contact #${contact.number}${dealText}.`, data: { contactId: contact.id, number: contact.number } };
    },
  };
}

/** The answer to the duplicate question, when this message is one: a whole message in a free-text slot saying update or new. */
function decisionIn(slots: Record<string, unknown>, text: string): { slot: 'note' | 'company'; decision: 'update' | 'new' } | undefined {
  const message = text.trim().toLowerCase();
  if (message.length > 60) return undefined;
  for (const slot of ['note', 'company'] as const) {
    const value = typeof slots[slot] === 'string' ? (slots[slot] as string).trim().toLowerCase() : '';
    if (!value || !message.endsWith(value)) continue;
    if (UPDATE.test(value)) return { slot, decision: 'update' };
    if (ADD_NEW.test(value)) return { slot, decision: 'new' };
  }
  return undefined;
}

function describe(p: CreateLeadParams): string {
  return [p.email, p.phone && formatPhone(p.phone), p.need && `needs: ${p.need}`].filter(Boolean).join(', ');
}

