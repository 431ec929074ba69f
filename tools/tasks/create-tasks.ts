import { z } from 'zod';
import type { TaskRepo } from '../../store/index.js';
import type { ToolAction } from '../tool-action.js';
import { CreateTaskParamsSchema } from './create-task.js';
import { formatDue } from './task-format.js';

export const CreateTasksParamsSchema = z.object({ tasks: z.array(CreateTaskParamsSchema).min(1).max(20) });
export type CreateTasksParams = z.infer<typeof CreateTasksParamsSchema>;

/** How long "undo" can take back the tasks a voice note created. */
export const UNDO_WINDOW_MS = 5 * 60_000;

/**
 * Several tasks at once, as a voice note ("call John tomorrow at five and send Acme the proposal by
 * Friday") asks for. The agent builds the parameters from the extracted drafts; there is nothing to
 * prepare. Safe: they are the sender's own new tasks, and "undo" takes them back for five minutes.
 */
export function createTasksAction(deps: { tasks: TaskRepo; onCreated?: (dueAt: number | null) => void }): ToolAction<CreateTasksParams> {
  return {
    name: 'task.create.many',
    input: CreateTasksParamsSchema,
    async prepare() {
      return { ok: false, refusal: 'task.create.many is started with its tasks already extracted.' };
    },
    risk: () => 'safe',
    plan: (p) => `Create ${p.tasks.length} tasks.`,
    phrase: () => ({ verb: 'create', target: 'tasks', qualifier: 'many' }),
    async execute(params, ctx) {
      const created = [];
      for (const draft of params.tasks) {
        created.push(
          await deps.tasks.create({ title: draft.title, dueAt: draft.dueAt, assigneeId: draft.assigneeId, createdBy: ctx.actor.id, conversationId: ctx.conversationId }),
        );
      }
      for (const task of created) deps.onCreated?.(task.dueAt);
      const lines = created.map((task) => {
        const due = task.dueAt === null ? '' : ` — due ${formatDue(task.dueAt, ctx.timezone)}`;
        const who = task.assigneeId && task.assigneeId !== ctx.actor.id ? ` · ${task.assigneeName ?? 'assigned'}` : '';
        return `• #${task.number} ${task.title}${due}${who}`;
      });
      return {
        summary: [`Created ${created.length} task${created.length === 1 ? '' : 's'}:`, ...lines, 'Say "undo" within 5 minutes to remove them.'].join('\n'),
        data: { taskIds: created.map((t) => t.id), numbers: created.map((t) => t.number) },
      };
    },
  };
}

export const UndoTasksParamsSchema = z.object({ taskIds: z.array(z.string().uuid()).min(1).max(20), requesterId: z.string().uuid() });
export type UndoTasksParams = z.infer<typeof UndoTasksParamsSchema>;

/** "undo": removes the tasks just created, only if the same person created them and they are still open. */
export function undoTasksAction(deps: { tasks: TaskRepo }): ToolAction<UndoTasksParams> {
  return {
    name: 'task.undo',
    input: UndoTasksParamsSchema,
    async prepare() {
      return { ok: false, refusal: 'task.undo is started by "undo".' };
    },
    risk: () => 'safe',
    plan: (p) => `Remove the ${p.taskIds.length} tasks just created.`,
    phrase: () => ({ verb: 'undo', target: 'tasks', qualifier: 'created' }),
    async execute(params, ctx) {
      const removed: number[] = [];
      for (const id of params.taskIds) {
        const task = await deps.tasks.findById(id);
        if (!task || task.createdBy !== params.requesterId || task.status !== 'open') continue;
        if (await deps.tasks.delete(id, ctx.actor.id)) removed.push(task.number);
      }
      if (removed.length === 0) return { summary: 'Those tasks were already changed or removed; nothing to undo.', data: { removed } };
      return { summary: `Undone: removed task${removed.length === 1 ? '' : 's'} ${removed.map((n) => `#${n}`).join(', ')}.`, data: { removed } };
    },
  };
}
