import type { Task } from '../../store/index.js';

/** "Tue 24 Nov, 17:00" in the reader's time zone. */
export function formatDue(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(epochMs))
    .replace(' at ', ', ');
}

/** One line per task: `#12 Call John — due Tue 24 Nov, 17:00 · Priya`. */
export function formatTaskLine(task: Task, timeZone: string, now: number, options: { showAssignee?: boolean } = {}): string {
  const due = task.dueAt === null ? '' : ` — due ${formatDue(task.dueAt, timeZone)}${task.dueAt < now ? ' (overdue)' : ''}`;
  const who = options.showAssignee ? ` · ${task.assigneeName ?? 'unassigned'}` : '';
  return `#${task.number} ${task.title}${due}${who}`;
}
