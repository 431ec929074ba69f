/**
 * The clock port. Everything that depends on time (expiry, reminders, retries, rate windows)
 * takes a `Clock` so that tests can move time instead of sleeping (xstate's SimulatedClock).
 *
 * @example
 * const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
 * clock.setTimeout(() => console.log('fired'), 60_000);
 * await clock.advance(60_000); // prints "fired"
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

/** `setTimeout` cannot wait longer than 2^31-1 ms; longer timers are re-armed in steps. */
const MAX_NODE_DELAY = 2_147_483_647;

export class SystemClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    const dueAt = Date.now() + Math.max(0, delayMs);
    const arm = () => {
      const remaining = dueAt - Date.now();
      const timer = setTimeout(
        () => {
          if (dueAt - Date.now() > 0) return arm();
          this.timers.delete(id);
          callback();
        },
        Math.min(Math.max(0, remaining), MAX_NODE_DELAY),
      );
      timer.unref?.();
      this.timers.set(id, timer);
    };
    arm();
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(handle.id);
  }
}

interface ManualTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/** A clock that only moves when told to. Timers fire in due order during `advance`/`set`. */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  /**
   * @param settle what "the work a timer started has settled" means besides a few event-loop turns
   *   (the default): a test whose timers start database work waits for that database to be idle, so a
   *   timer that re-arms itself after a query is seen within the same `set`.
   */
  constructor(
    start: number = Date.parse('2026-01-05T09:00:00.000Z'),
    private readonly settle: () => Promise<void> = flushMicrotasks,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, dueAt: this.current + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  /** Moves time forward by `ms`, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    await this.set(this.current + ms);
  }

  async set(epochMs: number): Promise<void> {
    if (epochMs < this.current) throw new RangeError('ManualClock cannot go backwards');
    for (;;) {
      const due = this.timers
        .filter((t) => t.dueAt <= epochMs)
        .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.dueAt);
      due.callback();
      await this.settle();
    }
    this.current = epochMs;
    await this.settle();
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
