import type { Clock, TimerHandle } from '../../core/clock.js';
import { toSwitchboardError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Task, TaskRepo } from '../../store/index.js';

export interface ReminderSchedulerOptions {
  tasks: TaskRepo;
  clock: Clock;
  logger: Logger;
  /** Sends the reminder of one task; called once per task, after the task's reminder is claimed. */
  deliver(task: Task): Promise<void>;
  /** How often to look for reminders created by another instance (ms). */
  pollMs?: number;
}

/**
 * Fires task reminders at their due time, on the clock port. The next due time is read from the
 * store, so reminders survive restarts (an overdue reminder fires at start); each reminder is
 * claimed with one conditional UPDATE, so it fires once however many instances run.
 */
export class ReminderScheduler {
  private timer: TimerHandle | undefined;
  /** When the armed timer fires (ms), while one is armed and no tick is running. */
  private nextLookAt: number | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;
  private readonly pollMs: number;

  constructor(private readonly options: ReminderSchedulerOptions) {
    this.pollMs = options.pollMs ?? 60_000;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.tick();
  }

  stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    return this.ticking ?? Promise.resolve();
  }

  /**
   * A task was created or changed here: look again now, unless its due time (when given) is no earlier
   * than the next look already planned, which will see it anyway. A task with no due time needs none.
   * (Every created task used to cost two queries of the reminder scan.)
   */
  poke(dueAt?: number | null): void {
    if (!this.running || dueAt === null) return;
    if (dueAt !== undefined && this.nextLookAt !== undefined && dueAt >= this.nextLookAt) return;
    void this.tick();
  }

  private tick(): Promise<void> {
    // One tick at a time; a poke during a tick is covered by the re-arm at its end.
    this.nextLookAt = undefined;
    this.ticking ??= this.fireDue()
      .catch((error: unknown) => this.options.logger.error({ err: toSwitchboardError(error) }, 'reminder tick failed'))
      .finally(async () => {
        this.ticking = undefined;
        await this.arm();
      });
    return this.ticking;
  }

  private async fireDue(): Promise<void> {
    const { tasks, clock, deliver, logger } = this.options;
    for (const task of await tasks.dueForReminder(clock.now())) {
      if (!(await tasks.claimReminder(task.id))) continue;
      try {
        await deliver(task);
      } catch (error) {
        logger.error({ err: toSwitchboardError(error), task: task.number }, 'reminder delivery failed');
      }
    }
  }

  private async arm(): Promise<void> {
    if (!this.running) return;
    const { tasks, clock } = this.options;
    if (this.timer) clock.clearTimeout(this.timer);
    const next = await tasks.nextReminderAt().catch(() => undefined);
    const delay = next === undefined ? this.pollMs : Math.min(Math.max(next - clock.now(), 0), this.pollMs);
    this.nextLookAt = clock.now() + delay;
    this.timer = clock.setTimeout(() => void this.tick(), delay);
  }
}
