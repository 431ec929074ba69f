import { z } from 'zod';
import type { ToolAction } from '../tool-action.js';
import type { CrmDeps } from './crm-deps.js';
import { contactLabel, findContact, readReference } from './crm-lookup.js';

export const AddNoteParamsSchema = z.object({
  contactId: z.string().uuid().nullable(),
  companyId: z.string().uuid().nullable(),
  label: z.string(),
  note: z.string().trim().min(1).max(5000),
});
export type AddNoteParams = z.infer<typeof AddNoteParamsSchema>;

/** `crm.note.add`: a note on a contact ("note for sarah from cyberdyne: prefers calls"), or on a company when the name is one. */
export function addNoteAction(deps: CrmDeps): ToolAction<AddNoteParams> {
  return {
    name: 'crm.note.add',
    intent: 'crm.note.add',
    input: AddNoteParamsSchema,
    async prepare(slots, ctx) {
      if (!slots.name) return { ok: false, question: 'Who is the note about?', slot: 'name' };
      if (!slots.note?.trim()) return { ok: false, question: 'What should the note say?', slot: 'note' };
      const found = await findContact(deps.crm, slots.name, { company: slots.company ?? null, defaultCountry: deps.defaultCountry, verb: 'add the note to', ctx });
      if ('record' in found) return { ok: true, params: { contactId: found.record.id, companyId: null, label: contactLabel(found.record), note: slots.note.trim() } };
      if ('question' in found) return { ok: false, question: found.question, slot: 'name', ...(found.choices ? { choices: found.choices } : {}) };
      const company = await deps.crm.findCompany(slots.company ?? readReference(slots.name).name);
      if (company) return { ok: true, params: { contactId: null, companyId: company.id, label: company.name, note: slots.note.trim() } };
      return { ok: false, refusal: `${found.none} Add them as a lead first ("new lead: …").` };
    },
    risk: () => 'safe',
    plan: (p) => `Add a note to ${p.label}: "${p.note}".`,
    phrase: () => ({ verb: 'add', target: 'note', qualifier: 'crm' }),
    async execute(p, ctx) {
      await deps.crm.addNote({ body: p.note, contactId: p.contactId, companyId: p.companyId, authorId: ctx.actor.id });
      return { summary: `Noted on ${p.label}.` };
    },
  };
}
