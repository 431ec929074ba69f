import { z } from 'zod';
import { addDays, wallTimeAt, wallTimeToInstant, weekdayOf } from '../../intents/slots/index.js';
import type { PeopleRepo, TaskRepo } from '../../store/index.js';
import type { RolePolicy } from '../policy.js';
import type { Prepared, ToolAction } from '../tool-action.js';
import { formatTaskLine } from './task-format.js';

export const ListTasksParamsSchema = z.object({
  assigneeId: z.string().uuid().nullable(),
  who: z.string(),
  window: z.enum(['open', 'today', 'week', 'overdue', 'until']),
  until: z.number().int().nullable(),
});
export type ListTasksParams = z.infer<typeof ListTasksParamsSchema>;

const EVERYONE = /^(everyone|everybody|all|the team|team)$/i;
const SELF = /^(me|myself|i|mine)$/i;

/** Start of the next day, and of the next Monday, in the reader's zone. */
function windowEnd(window: 'today' | 'week', now: number, timeZone: string): number {
  const today = { ...wallTimeAt(timeZone, now), hour: 0, minute: 0, second: 0 };
  const days = window === 'today' ? 1 : ((8 - weekdayOf(today)) % 7 || 7);
  return wallTimeToInstant(timeZone, addDays(today, days));
}

/**
 * Lists open tasks: your own, someone's ("what's on bob's list?") or everyone's. Other people's lists
 * only for the roles the policy lets see them (`maySeeOthers(role, 'tasks')`: owners and admins by default).
 */
export function listTasksAction(deps: { tasks: TaskRepo; people: PeopleRepo; policy?: RolePolicy }): ToolAction<ListTasksParams> {
  return {
    name: 'task.list',
    intent: 'task.list',
    input: ListTasksParamsSchema,
    async prepare(slots, ctx) {
      let assigneeId: string | null = ctx.actor.id;
      let who = 'you';
      const refuseOthers = (whose: string): Prepared<never> | undefined =>
        deps.policy && !deps.policy.maySeeOthers(ctx.actor.role, 'tasks')
          ? { ok: false, refusal: `Sorry, I can only show you your own tasks, not ${whose}. Say "my tasks" to see yours.` }
          : undefined;
      if (slots.assignee && EVERYONE.test(slots.assignee)) {
        const refused = refuseOthers("everyone's");
        if (refused) return refused;
        assigneeId = null;
        who = 'everyone';
      } else if (slots.assignee && !SELF.test(slots.assignee)) {
        const found = await deps.people.findByName(slots.assignee);
        if (found.length === 0) return { ok: false, refusal: `I don't know anyone called ${slots.assignee} here.` };
        if (found.length > 1) {
          const names = found.map((p) => p.displayName ?? slots.assignee).join(', ');
          return { ok: false, refusal: `Several people here are called ${slots.assignee} (${names}): say the full name.` };
        }
        const refused = found[0]!.id === ctx.actor.id ? undefined : refuseOthers(`${found[0]!.displayName ?? slots.assignee}'s`);
        if (refused) return refused;
        assigneeId = found[0]!.id;
        who = found[0]!.displayName ?? slots.assignee;
      }
      const text = ctx.text.toLowerCase();
      const window = /\b(?:overdue|late|past due)\b/.test(text)
        ? 'overdue'
        : /\b(today|tonight)\b/.test(text)
          ? 'today'
          : /\b(this week|week)\b/.test(text)
            ? 'week'
            : slots.due
              ? 'until'
              : 'open';
      const until = window === 'until' && slots.due ? Date.parse(slots.due) : null;
      return { ok: true, params: { assigneeId, who, window, until } };
    },
    risk: () => 'safe',
    plan: (p) => `List ${p.who === 'you' ? 'your' : `${p.who}'s`} tasks.`,
    phrase: () => ({ verb: 'list', target: 'tasks', qualifier: 'open' }),
    async execute(params, ctx) {
      const base = params.assigneeId ? { assigneeId: params.assigneeId } : {};
      const tasks =
        params.window === 'overdue'
          ? await deps.tasks.listOpen({ ...base, dueBefore: ctx.now })
          : params.window === 'today' || params.window === 'week'
            ? await deps.tasks.listOpen({ ...base, dueBefore: windowEnd(params.window, ctx.now, ctx.timezone) })
            : params.window === 'until' && params.until !== null
              ? await deps.tasks.listOpen({ ...base, dueBefore: params.until + 1 })
              : await deps.tasks.listOpen(base);
      const whose = params.who === 'you' ? 'You have' : params.who === 'everyone' ? 'The team has' : `${params.who} has`;
      // "2 open tasks", "no overdue tasks"; "2 tasks due this week", "no tasks due today".
      const count = tasks.length === 0 ? 'no' : String(tasks.length);
      const noun = `task${tasks.length === 1 ? '' : 's'}`;
      const due = { today: 'due today', week: 'due this week', until: 'due by then' } as const;
      const scoped = params.window === 'open' || params.window === 'overdue' ? `${count} ${params.window} ${noun}` : `${count} ${noun} ${due[params.window]}`;
      if (tasks.length === 0) return { summary: `${whose} ${scoped}.`, data: { count: 0 } };
      const lines = tasks.map((t) => `• ${formatTaskLine(t, ctx.timezone, ctx.now, { showAssignee: params.assigneeId === null })}`);
      return {
        summary: `${whose} ${scoped}:\n${lines.join('\n')}`,
        data: { count: tasks.length, numbers: tasks.map((t) => t.number) },
      };
    },
  };
}
