import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import type { Task, TaskRepo } from '../../../store/index.js';
import { ReminderScheduler } from '../../../tools/tasks/index.js';

/** A task store that counts the scheduler's reads: the poke must not read when nothing can be due sooner. */
function countingTasks(next: () => number | undefined) {
  const reads = { due: 0, next: 0 };
  const tasks = {
    async dueForReminder() {
      reads.due++;
      return [] as Task[];
    },
    async claimReminder() {
      return false;
    },
    async nextReminderAt() {
      reads.next++;
      return next();
    },
  } as unknown as TaskRepo;
  return { tasks, reads };
}

const logger = { error() {}, warn() {}, info() {}, debug() {} } as never;
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('ReminderScheduler.poke', () => {
  it('looks again only for a task due before the next planned look', async () => {
    const clock = new ManualClock(Date.parse('2026-12-05T10:00:00Z'));
    const nextDue = clock.now() + 3_600_000; // an hour from now
    const { tasks, reads } = countingTasks(() => nextDue);
    const scheduler = new ReminderScheduler({ tasks, clock, logger, deliver: async () => {}, pollMs: 60_000 });
    await scheduler.start();
    await settle();
    const before = { ...reads };

    scheduler.poke(null); // no due time: nothing to remind
    scheduler.poke(clock.now() + 2 * 3_600_000); // due after the planned look (in at most a minute)
    await settle();
    expect(reads).toEqual(before);

    scheduler.poke(clock.now() + 5_000); // due before it: look now
    await settle();
    expect(reads.due).toBe(before.due + 1);

    scheduler.poke(); // a change without a due time given: look, as before
    await settle();
    expect(reads.due).toBe(before.due + 2);
    await scheduler.stop();
  });
});
