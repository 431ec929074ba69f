import { z } from 'zod';
import { ROLES } from '../../core/roles.js';
import type { ToolAction } from '../tool-action.js';

/** What the approve action needs from the pairing service (bot/pairing.ts). */
export interface PairingApprover {
  lookup(code: string): Promise<{ personId: string; identity: string } | undefined>;
  approve(code: string, role: (typeof ROLES)[number], approvedBy: string | null): Promise<{ identity: string } | undefined>;
}

export const ApprovePairingParamsSchema = z.object({
  code: z.string().regex(/^[A-Z2-9]{8}$/),
  role: z.enum(ROLES).exclude(['unknown']),
  identity: z.string(),
});
export type ApprovePairingParams = z.infer<typeof ApprovePairingParamsSchema>;

/**
 * `/approve CODE ROLE`: gives the person behind a pairing code a role. Granting admin is risky and
 * granting owner critical (it needs an owner and a one-time code): both need the typed phrase.
 */
export function approvePairingAction(deps: { pairing: PairingApprover }): ToolAction<ApprovePairingParams> {
  return {
    name: 'people.approve',
    input: ApprovePairingParamsSchema,
    async prepare(_slots, ctx) {
      const [rawCode = '', rawRole = ''] = ctx.args ?? [];
      const code = rawCode.replace(/[\s-]/g, '').toUpperCase();
      const role = ApprovePairingParamsSchema.shape.role.safeParse(rawRole.toLowerCase());
      if (!role.success) return { ok: false, refusal: 'Give a role: owner, admin, developer, sales or client. For example: /approve K7PX2M9Q developer' };
      const found = await deps.pairing.lookup(code);
      if (!found) return { ok: false, refusal: `There is no pending pairing code ${code}. Codes expire after an hour.` };
      return { ok: true, params: { code, role: role.data, identity: found.identity } };
    },
    risk: (p) => (p.role === 'owner' ? 'critical' : p.role === 'admin' ? 'risky' : 'safe'),
    plan: (p) => `Give ${p.identity} (pairing code ${p.code}) the ${p.role} role.`,
    phrase: (p) => ({ verb: 'grant', target: p.role, qualifier: p.code }),
    async execute(params, ctx) {
      const approved = await deps.pairing.approve(params.code, params.role, ctx.actor.id);
      if (!approved) return { summary: `Pairing code ${params.code} is no longer pending (it may have expired).`, data: { changed: false } };
      return { summary: `${approved.identity} is now ${params.role}.`, data: { changed: true } };
    },
  };
}
