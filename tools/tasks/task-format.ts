import type { Task } from '../../store/index.js';

/**
 * One formatter per time zone: making an Intl.DateTimeFormat costs far more than using one (it was
 * 1.5% of a Telegram turn's CPU in the service's profile, one per reply that shows a due date). Bounded
 * by the number of IANA zones; an unknown zone throws when made, as before, and is not kept.
 */
const dueFormatters = new Map<string, Intl.DateTimeFormat>();

function dueFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dueFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dueFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "Tue 24 Nov, 17:00" in the reader's time zone. */
export function formatDue(epochMs: number, timeZone: string): string {
  return dueFormatter(timeZone).format(new Date(epochMs)).replace(' at ', ', ');
}

/** One line per task: `#12 Call John — due Tue 24 Nov, 17:00 · Priya`. */
export function formatTaskLine(task: Task, timeZone: string, now: number, options: { showAssignee?: boolean } = {}): string {
  const due = task.dueAt === null ? '' : ` — due ${formatDue(task.dueAt, timeZone)}${task.dueAt < now ? ' (overdue)' : ''}`;
  const who = options.showAssignee ? ` · ${task.assigneeName ?? 'unassigned'}` : '';
  return `#${task.number} ${task.title}${due}${who}`;
}
