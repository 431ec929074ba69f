import { z } from 'zod';
import type { ToolAction } from '../tool-action.js';
import { taskFromSlots, type FindTaskDeps } from './find-task.js';

export const CompleteTaskParamsSchema = z.object({ taskId: z.string().uuid(), number: z.number().int(), title: z.string() });
export type CompleteTaskParams = z.infer<typeof CompleteTaskParamsSchema>;

export function completeTaskAction(deps: FindTaskDeps): ToolAction<CompleteTaskParams> {
  return {
    name: 'task.complete',
    intent: 'task.complete',
    input: CompleteTaskParamsSchema,
    async prepare(slots, ctx) {
      const found = await taskFromSlots(deps, slots, ctx, {
        question: 'Which task is done? Give its number or a few words of its title.',
        verb: 'mark done',
      });
      if (!('task' in found)) return found;
      return { ok: true, params: { taskId: found.task.id, number: found.task.number, title: found.task.title } };
    },
    risk: () => 'safe',
    plan: (p) => `Mark task #${p.number} "${p.title}" done.`,
    phrase: (p) => ({ verb: 'complete', target: 'task', qualifier: String(p.number) }),
    async execute(params, ctx) {
      const task = await deps.tasks.complete(params.taskId, ctx.actor.id);
      if (!task) return { summary: `Task #${params.number} was already closed.`, data: { changed: false } };
      return { summary: `Done: task #${task.number} "${task.title}" is marked complete.`, data: { changed: true, number: task.number } };
    },
  };
}
