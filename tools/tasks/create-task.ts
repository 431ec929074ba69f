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

/**
 * A request to move an existing task ("push back the invoice task to monday", "reschedule task 3 to
 * Friday") is not a new task. Tasks cannot be rescheduled yet, so it is answered with what to do
 * instead rather than stored as a task called "push back the invoice task to".
 * "remind me to move the task board" stays a task: the request words come first there.
 */
const MOVE_A_TASK =
  /^\W*(?:(?:hey|hi|ok|okay|so|please|pls|can\s+you|could\s+you)\b[\s,]*)*(?:push(?:\s+back)?|move|postpone|reschedule|delay|bump|shift|snooze|change\s+the\s+(?:due\s+)?(?:date|time|deadline)\s+(?:of|on|for))\b.*?\b(?:task|reminder|to-?do)\b/iu;
export const CANNOT_MOVE_TASK =
  "I can't move a task to another time yet. Delete it and ask again with the new time (\"remind me to … on Monday\"), or mark it done.";

export function createTaskAction(deps: { tasks: TaskRepo; people: PeopleRepo; onCreated?: (dueAt: number | null) => void }): ToolAction<CreateTaskParams> {
  return {
    name: 'task.create',
    intent: 'task.create',
    input: CreateTaskParamsSchema,
    async prepare(slots, ctx) {
      if (MOVE_A_TASK.test(ctx.text)) return { ok: false, refusal: CANNOT_MOVE_TASK };
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
