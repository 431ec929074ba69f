import { z } from 'zod';
import type { PeopleRepo, TaskRepo } from '../../store/index.js';
import type { ToolAction } from '../tool-action.js';
import { formatDue } from './task-format.js';

export const CreateTaskParamsSchema = z.object({
  title: z.string().trim().min(1).max(300),
  dueAt: z.number().int().nullable(),
  assigneeId: z.string().uuid().nullable(),
  assigneeName: z.string().nullable(),
});
export type CreateTaskParams = z.infer<typeof CreateTaskParamsSchema>;

const SELF = /^(me|myself|i|mine)$/i;

export function createTaskAction(deps: { tasks: TaskRepo; people: PeopleRepo; onCreated?: (dueAt: number | null) => void }): ToolAction<CreateTaskParams> {
  return {
    name: 'task.create',
    intent: 'task.create',
    input: CreateTaskParamsSchema,
    async prepare(slots, ctx) {
      const title = slots.title?.trim();
      if (!title) return { ok: false, question: 'What is the task?', slot: 'title' };
      const dueAt = slots.due ? Date.parse(slots.due) : null;
      if (dueAt !== null && Number.isNaN(dueAt)) return { ok: false, question: 'When is it due?', slot: 'due' };
      let assigneeId: string | null = ctx.actor.id;
      let assigneeName: string | null = ctx.actor.displayName;
      let finalTitle = title;
      if (slots.assignee && !SELF.test(slots.assignee)) {
        const found = await deps.people.findByName(slots.assignee);
        if (found.length === 1) {
          assigneeId = found[0]!.id;
          assigneeName = found[0]!.displayName;
        } else {
          // Not someone we know (or ambiguous): the name stays in the task, which stays with the requester.
          finalTitle = title.toLowerCase().includes(slots.assignee.toLowerCase()) ? title : `${title} (for ${slots.assignee})`;
        }
      }
      return { ok: true, params: { title: finalTitle, dueAt, assigneeId, assigneeName } };
    },
    risk: () => 'safe',
    plan: (p) => `Create the task "${p.title}".`,
    phrase: () => ({ verb: 'create', target: 'task', qualifier: 'new' }),
    async execute(params, ctx) {
      const task = await deps.tasks.create({
        title: params.title,
        dueAt: params.dueAt,
        assigneeId: params.assigneeId,
        createdBy: ctx.actor.id,
        conversationId: ctx.conversationId,
      });
      deps.onCreated?.(task.dueAt);
      const due = task.dueAt === null ? '' : `, due ${formatDue(task.dueAt, ctx.timezone)}`;
      const who = task.assigneeId && task.assigneeId !== ctx.actor.id ? `, assigned to ${task.assigneeName ?? 'them'}` : '';
      return {
        summary: `Task #${task.number} created: ${task.title}${due}${who}.${task.dueAt !== null ? " I'll remind you when it's due." : ''}`,
        data: { taskId: task.id, number: task.number },
      };
    },
  };
}
