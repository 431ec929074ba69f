import { z } from 'zod';
import type { ToolAction } from '../tool-action.js';
import type { CrmDeps } from './crm-deps.js';
import { findDeal } from './crm-lookup.js';

export const UpdateDealParamsSchema = z.object({
  dealId: z.string().uuid(),
  number: z.number().int(),
  title: z.string(),
  fromStage: z.string(),
  stage: z.string(),
  closed: z.boolean(),
  amount: z.number().nonnegative().nullable(),
  currency: z.string().nullable(),
  note: z.string().nullable(),
});
export type UpdateDealParams = z.infer<typeof UpdateDealParamsSchema>;

const CURRENCIES: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', usd: 'USD', eur: 'EUR', gbp: 'GBP' };
/** "12k", "$12,000", "€8.5k", "12 000 eur", "1.2m". */
const AMOUNT = /(?:^|[\s(])([$€£])?\s?(\d{1,3}(?:[ ,]\d{3})+|\d+(?:\.\d+)?)\s?(k|m)?\b\s?(usd|eur|gbp)?/i;

/** An amount in the message ("acme signed! 12k"), or null. */
export function amountIn(text: string): { amount: number; currency: string | null } | null {
  const m = AMOUNT.exec(text);
  if (!m || (!m[1] && !m[3] && !m[4])) return null;
  const base = Number(m[2]!.replace(/[ ,]/g, ''));
  const factor = m[3]?.toLowerCase() === 'k' ? 1_000 : m[3]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  const symbol = m[1] ?? m[4]?.toLowerCase();
  return { amount: Math.round(base * factor * 100) / 100, currency: symbol ? CURRENCIES[symbol]! : null };
}

/**
 * `crm.deal.update`: "move the acme deal to negotiation", "mark cyberdyne as proposal sent", "acme
 * signed! 12k" (won, with the amount). The stage is one of the configured pipeline's (CRM_PIPELINE).
 * Safe: a stage can always be moved back.
 */
export function updateDealAction(deps: CrmDeps): ToolAction<UpdateDealParams> {
  const pipeline = deps.service.pipeline;
  return {
    name: 'crm.deal.update',
    intent: 'crm.deal.update',
    input: UpdateDealParamsSchema,
    async prepare(slots, ctx) {
      const reference = slots.company ?? slots.name;
      if (!reference) return { ok: false, question: 'Which deal? Name the company or say its number.', slot: 'company' };
      const stage = pipeline.stageFor(slots.stage ?? '') ?? pipeline.stageFor(ctx.text);
      if (!stage) return { ok: false, question: `Which stage should it move to? ${pipeline.stages.join(', ')}.`, slot: 'stage' };
      const found = await findDeal(deps.crm, reference, 'move', ctx);
      if ('question' in found) return { ok: false, question: found.question, slot: 'company', ...(found.choices ? { choices: found.choices } : {}) };
      if ('none' in found) return { ok: false, refusal: found.none };
      const deal = found.record;
      const money = amountIn(ctx.text);
      return {
        ok: true,
        params: {
          dealId: deal.id,
          number: deal.number,
          title: deal.title,
          fromStage: deal.stage,
          stage,
          closed: pipeline.isClosed(stage),
          amount: money?.amount ?? null,
          currency: money?.currency ?? null,
          note: slots.note?.trim() || null,
        },
      };
    },
    risk: () => 'safe',
    plan: (p) => `Move deal #${p.number} "${p.title}" from ${p.fromStage} to ${p.stage}${p.amount !== null ? ` (${money(p.amount, p.currency)})` : ''}.`,
    phrase: (p) => ({ verb: 'move', target: 'deal', qualifier: String(p.number) }),
    async execute(p, ctx) {
      const deal = await deps.crm.updateDeal(p.dealId, { stage: p.stage, closed: p.closed, amount: p.amount, currency: p.currency });
      if (!deal) return { summary: `Deal #${p.number} no longer exists: nothing was changed.` };
      if (p.note) await deps.crm.addNote({ body: p.note, dealId: deal.id, companyId: deal.companyId, authorId: ctx.actor.id });
      const worth = deal.amount !== null ? `, ${money(deal.amount, deal.currency)}` : '';
      const moved = p.fromStage === p.stage ? `is already at ${p.stage}` : `moved from ${p.fromStage} to ${p.stage}`;
      return { summary: `Deal #${deal.number} "${deal.title}" ${moved}${worth}.${p.stage === pipeline.won && p.fromStage !== p.stage ? ' 🎉' : ''}`, data: { dealId: deal.id } };
    },
  };
}

function money(amount: number, currency: string | null): string {
  return currency ? new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount) : amount.toLocaleString('en-US');
}
