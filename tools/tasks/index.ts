import type { PeopleRepo, TaskRepo } from '../../store/index.js';
import type { ToolAction } from '../tool-action.js';
import { completeTaskAction } from './complete-task.js';
import { createTaskAction } from './create-task.js';
import { createTasksAction, undoTasksAction } from './create-tasks.js';
import { deleteTaskAction } from './delete-task.js';
import { listTasksAction } from './list-tasks.js';

/** The task tool: create, list, complete, delete. */
export function createTaskActions(deps: { tasks: TaskRepo; people: PeopleRepo; onCreated?: () => void }): ToolAction<never>[] {
  return [
    createTaskAction(deps),
    createTasksAction(deps),
    undoTasksAction(deps),
    listTasksAction(deps),
    completeTaskAction(deps),
    deleteTaskAction(deps),
  ] as unknown as ToolAction<never>[];
}

export { formatDue, formatTaskLine } from './task-format.js';
export { UNDO_WINDOW_MS, CreateTasksParamsSchema, type CreateTasksParams } from './create-tasks.js';
export { findTask } from './find-task.js';
export { ReminderScheduler, type ReminderSchedulerOptions } from './reminder-scheduler.js';
