import { z } from 'zod';
import type { ToolAction } from '../tool-action.js';
import type { CrmDeps } from './crm-deps.js';
import { contactLabel } from './crm-lookup.js';

export const MergeContactsParamsSchema = z.object({
  keepId: z.string().uuid(),
  dropId: z.string().uuid(),
  keepNumber: z.number().int(),
  dropNumber: z.number().int(),
  /** The preview: what the kept contact will look like and what moves over. */
  preview: z.string(),
});
export type MergeContactsParams = z.infer<typeof MergeContactsParamsSchema>;

/**
 * `crm.contact.merge`, reached by the slash command `/merge <keep> <other>` (contact numbers): folds
 * the second contact into the first. Risky (the second contact is deleted), so the plan shown before
 * the phrase is the preview: the fields the result keeps and what moves over.
 */
export function mergeContactsAction(deps: CrmDeps): ToolAction<MergeContactsParams> {
  return {
    name: 'crm.contact.merge',
    input: MergeContactsParamsSchema,
    async prepare(_slots, ctx) {
      const numbers = (ctx.args ?? []).map((a) => Number(a.replace(/^#/, '')));
      if (numbers.length !== 2 || numbers.some((n) => !Number.isInteger(n) || n <= 0) || numbers[0] === numbers[1]) {
        return { ok: false, refusal: 'Say which two contacts to merge, by number: /merge 12 7 keeps #12 and folds #7 into it.' };
      }
      const [keep, drop] = await Promise.all(numbers.map((n) => deps.crm.findContactByNumber(n)));
      if (!keep || !drop) return { ok: false, refusal: `There is no contact #${!keep ? numbers[0] : numbers[1]}.` };
      const moved = await deps.crm.countsFor(drop.id);
      const take = (field: 'email' | 'phone' | 'companyName' | 'need', label: string) =>
        keep[field] ? `${label} ${keep[field]}` : drop[field] ? `${label} ${drop[field]} (from #${drop.number})` : null;
      const fields = [take('companyName', 'company'), take('email', 'e-mail'), take('phone', 'phone'), take('need', 'need')].filter(Boolean).join(', ');
      const moves = [
        plural(moved.deals, 'deal'),
        plural(moved.notes, 'note'),
        plural(moved.activities, 'activity', 'activities'),
        plural(moved.identities, 'identity', 'identities'),
        plural(moved.conversations, 'conversation'),
        plural(moved.tasks, 'task'),
      ].join(', ');
      return {
        ok: true,
        params: {
          keepId: keep.id,
          dropId: drop.id,
          keepNumber: keep.number,
          dropNumber: drop.number,
          preview: `Merge ${contactLabel(drop)} into ${contactLabel(keep)}. The result: ${keep.name}${fields ? `, ${fields}` : ''}. Moving over from #${drop.number}: ${moves}. Contact #${drop.number} is then deleted.`,
        },
      };
    },
    risk: () => 'risky',
    plan: (p) => p.preview,
    phrase: (p) => ({ verb: 'merge', target: 'contacts', qualifier: `${p.keepNumber}-${p.dropNumber}` }),
    async execute(p) {
      const merged = await deps.crm.merge(p.keepId, p.dropId);
      if (!merged) return { summary: `Contact #${p.keepNumber} or #${p.dropNumber} no longer exists: nothing was merged.` };
      return { summary: `Merged #${p.dropNumber} into ${contactLabel(merged)}.`, data: { contactId: merged.id } };
    },
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
