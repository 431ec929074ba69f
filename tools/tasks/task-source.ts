import type { Task, TaskRepo } from '../../store/index.js';
import type { RecordSource } from '../resolve/index.js';
import { formatTaskLine } from './task-format.js';

/**
 * Open tasks as records found by description: "bob's task about calling acme", "task 12", "my latest
 * task". A task is on the list of its assignee (its creator when nobody is assigned), as in task.list.
 */
export function taskSource(tasks: TaskRepo): RecordSource<Task> {
  return {
    noun: 'open task',
    plural: 'open tasks',
    nounWords: ['task', 'tasks', 'todo', 'to-do', 'todos', 'reminder', 'reminders', 'item', 'list'],
    supports: { owner: true, number: true, organisation: false },
    find: (query) => tasks.findOpenMatching(query),
    get: (key) => tasks.findOpenById(key),
    facts: (task) => ({
      key: task.id,
      text: task.title,
      ownerIds: [task.assigneeId ?? task.createdBy],
      ownerName: task.assigneeId ? task.assigneeName : task.createdByName,
      number: task.number,
      createdAt: task.createdAt,
    }),
    label: (task, { timezone, now }) => formatTaskLine(task, timezone, now, { showAssignee: true }),
  };
}
