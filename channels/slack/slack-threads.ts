import type { Clock } from '../../core/clock.js';

export interface SlackThreadsOptions {
  clock: Clock;
  /** How long a thread stays joined after the bot last took part in it. Default 7 days. */
  ttlMs?: number;
  /** At most this many threads are remembered; the least recently used go first. Default 10 000. */
  maxThreads?: number;
}

/**
 * The channel threads the bot takes part in: it was mentioned in them, or it posted in them. In a
 * channel, the bot reads a message without a mention only inside such a thread (so a confirmation
 * phrase can be typed there as it is shown), and never the channel's other chatter.
 *
 * Kept in memory, bounded, per instance. After a restart, or on another instance behind a load
 * balancer, a thread is joined again by the next mention (or by the bot's own message arriving as an
 * event); until then a plain reply in it is ignored, never misread. A thread the bot started itself
 * is recognised without memory (Slack sends `parent_user_id`).
 */
export class SlackThreads {
  private readonly ttlMs: number;
  private readonly maxThreads: number;
  /** key → last time the bot took part; Map order is the LRU order. */
  private readonly threads = new Map<string, number>();

  constructor(private readonly options: SlackThreadsOptions) {
    this.ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60_000;
    this.maxThreads = options.maxThreads ?? 10_000;
  }

  remember(channel: string, threadTs: string): void {
    const key = `${channel}:${threadTs}`;
    this.threads.delete(key);
    this.threads.set(key, this.options.clock.now());
    while (this.threads.size > this.maxThreads) {
      const oldest = this.threads.keys().next().value;
      if (oldest === undefined) break;
      this.threads.delete(oldest);
    }
  }

  has(channel: string, threadTs: string): boolean {
    const key = `${channel}:${threadTs}`;
    const at = this.threads.get(key);
    if (at === undefined) return false;
    if (this.options.clock.now() - at > this.ttlMs) {
      this.threads.delete(key);
      return false;
    }
    return true;
  }

  get size(): number {
    return this.threads.size;
  }
}
