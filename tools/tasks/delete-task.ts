import { z } from 'zod';
import type { ToolAction } from '../tool-action.js';
import { taskFromSlots, type FindTaskDeps } from './find-task.js';
import { formatDue } from './task-format.js';

export const DeleteTaskParamsSchema = z.object({
  taskId: z.string().uuid(),
  number: z.number().int(),
  title: z.string(),
  dueAt: z.number().int().nullable(),
  createdBy: z.string().uuid(),
  createdByName: z.string().nullable(),
  requesterId: z.string().uuid(),
  timezone: z.string(),
});
export type DeleteTaskParams = z.infer<typeof DeleteTaskParamsSchema>;

/** Deleting your own task is safe; deleting a task someone else created is risky and needs the phrase. */
export function deleteTaskAction(deps: FindTaskDeps): ToolAction<DeleteTaskParams> {
  return {
    name: 'task.delete',
    intent: 'task.delete',
    input: DeleteTaskParamsSchema,
    async prepare(slots, ctx) {
      const found = await taskFromSlots(deps, slots, ctx, {
        question: 'Which task should I delete? Give its number or a few words of its title.',
        verb: 'delete',
      });
      if (!('task' in found)) return found;
      const { task } = found;
      return {
        ok: true,
        params: {
          taskId: task.id,
          number: task.number,
          title: task.title,
          dueAt: task.dueAt,
          createdBy: task.createdBy,
          createdByName: task.createdByName,
          requesterId: ctx.actor.id,
          timezone: ctx.timezone,
        },
      };
    },
    risk: (p) => (p.createdBy === p.requesterId ? 'safe' : 'risky'),
    plan: (p) =>
      `Delete task #${p.number} "${p.title}"${p.dueAt === null ? '' : ` (due ${formatDue(p.dueAt, p.timezone)})`}, created by ${p.createdByName ?? 'someone else'}. It will no longer appear in anyone's list or send a reminder.`,
    phrase: (p) => ({ verb: 'delete', target: 'task', qualifier: String(p.number) }),
    async execute(params, ctx) {
      const task = await deps.tasks.delete(params.taskId, ctx.actor.id);
      if (!task) return { summary: `Task #${params.number} was already deleted.`, data: { changed: false } };
      return { summary: `Deleted task #${task.number} "${task.title}".`, data: { changed: true, number: task.number } };
    },
  };
}
