import { z } from 'zod';
import type { ToolAction } from '../../tools/index.js';
import type { LeadBook } from './client-ports.js';
import * as say from './client-wording.js';
import type { Handoffs } from './handoffs.js';

export const CaptureLeadParamsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().email().optional(),
  phone: z.string().regex(/^\+\d{6,15}$/).optional(),
  need: z.string().trim().min(1).max(2000).optional(),
  channel: z.string(),
  externalId: z.string().min(1),
});
export type CaptureLeadParams = z.infer<typeof CaptureLeadParamsSchema>;

/**
 * `client.lead.capture`: a client's own details become a lead (the CRM finds or creates the contact by
 * phone or e-mail, with the conversation attached) and the team hears about it. The one client action
 * that writes; it runs through the executor like any action (audit, idempotency per message), and the
 * role policy lets a client run nothing else. Its parameters come from the client's own message and
 * the number they write from, never from another record.
 */
export function captureLeadAction(deps: { leads: LeadBook | undefined; handoffs: Handoffs }): ToolAction<CaptureLeadParams> {
  return {
    name: 'client.lead.capture',
    input: CaptureLeadParamsSchema,
    // Built by the client desk from the conversation, never from understood slots alone.
    async prepare() {
      return { ok: false, refusal: say.CANNOT };
    },
    risk: () => 'safe',
    plan: (p) => `Pass ${p.name}'s details to the team.`,
    phrase: () => ({ verb: 'save', target: 'lead', qualifier: 'details' }),
    async execute(p, ctx) {
      const captured = deps.leads
        ? await deps.leads.captureLead({
            name: p.name,
            ...(p.company ? { company: p.company } : {}),
            ...(p.email ? { email: p.email } : {}),
            ...(p.phone ? { phone: p.phone } : {}),
            ...(p.need ? { need: p.need } : {}),
            conversationId: ctx.conversationId,
            identity: { channel: p.channel, externalId: p.externalId, personId: ctx.actor.id },
          })
        : undefined;
      const known = captured ? !captured.created : false;
      await deps.handoffs.tellTeam('lead.created', say.leadNotice({ ...p, known }));
      return { summary: say.leadCaptured(p.name), data: { contactId: captured?.contactId ?? null, created: captured?.created ?? null } };
    },
  };
}
