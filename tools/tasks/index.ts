import type { PeopleRepo, TaskRepo } from '../../store/index.js';
import type { RolePolicy } from '../policy.js';
import type { ToolAction, ToolContext } from '../tool-action.js';
import { completeTaskAction } from './complete-task.js';
import { createTaskAction } from './create-task.js';
import { createTasksAction, undoTasksAction } from './create-tasks.js';
import { deleteTaskAction } from './delete-task.js';
import { listTasksAction } from './list-tasks.js';

/** The task tool: create, list, complete, delete. */
export function createTaskActions(deps: { tasks: TaskRepo; people: PeopleRepo; policy?: RolePolicy; onCreated?: (dueAt: number | null) => void }): ToolAction<never>[] {
  const { policy } = deps;
  // Finding a task by description lists someone else's tasks back only to roles that may see them.
  const find = { ...deps, ...(policy ? { seesOthers: (ctx: ToolContext) => policy.maySeeOthers(ctx.actor.role, 'tasks') } : {}) };
  return [
    createTaskAction(deps),
    createTasksAction(deps),
    undoTasksAction(deps),
    listTasksAction(deps),
    completeTaskAction(find),
    deleteTaskAction(find),
  ] as unknown as ToolAction<never>[];
}

export { formatDue, formatTaskLine } from './task-format.js';
export { UNDO_WINDOW_MS, CreateTasksParamsSchema, type CreateTasksParams } from './create-tasks.js';
export { CANNOT_MOVE_TASK } from './create-task.js';
export { taskSource } from './task-source.js';
export type { FindTaskDeps } from './find-task.js';
export { ReminderScheduler, type ReminderSchedulerOptions } from './reminder-scheduler.js';
