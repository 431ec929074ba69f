import { GrammyError, type Api } from 'grammy';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { grammySignal } from './grammy-signal.js';
import { ALLOWED_UPDATES } from './telegram-update.js';

export interface UpdatePollerOptions {
  api: Api;
  clock: Clock;
  logger: Logger;
  /** How long Telegram holds a getUpdates call open waiting for updates (seconds). */
  timeoutSeconds: number;
  /**
   * Hands one update to the bot; resolves once it is handled. A rejection leaves the update
   * unconfirmed, so Telegram returns it again (the pipeline's de-duplication makes that safe).
   */
  handleUpdate(update: unknown): Promise<void>;
  /** Updates with the same key are handled one after another, in order (the chat id). */
  orderKey(update: unknown): string;
  /** Longest pause after repeated failures. Default 30 s. */
  maxBackoffMs?: number;
}

/**
 * Long polling (https://core.telegram.org/bots/api#getupdates): one getUpdates call at a time,
 * with `offset` one past the last update handled, which is how Telegram learns an update is
 * confirmed. A batch is handled chat by chat (in order within a chat, chats in parallel) before
 * the offset moves; an update whose handling failed is not confirmed and comes back in the next call.
 * Failed calls back off exponentially (or by `retry_after` on 429); `stop()` aborts the call in flight
 * and ends the loop.
 */
export class UpdatePoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private offset: number | undefined;
  private failures = 0;

  constructor(private readonly options: UpdatePollerOptions) {}

  start(): void {
    this.loop ??= this.run().catch((error: unknown) => this.options.logger.error({ err: error }, 'telegram polling stopped unexpectedly'));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { api, logger, timeoutSeconds } = this.options;
    while (!this.stopped) {
      let updates: { update_id: number }[];
      try {
        updates = await api.getUpdates(
          { ...(this.offset !== undefined ? { offset: this.offset } : {}), timeout: timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          grammySignal(this.abort.signal),
        );
      } catch (error) {
        if (this.stopped) break;
        const conflict = error instanceof GrammyError && error.error_code === 409;
        logger.warn(
          { err: error, attempt: this.failures + 1 },
          conflict
            ? 'telegram getUpdates conflict: a webhook is set or another instance is polling with this token'
            : 'telegram getUpdates failed',
        );
        await this.backOff(error);
        continue;
      }
      const unconfirmed = await this.handleBatch(updates);
      if (unconfirmed !== undefined) {
        this.offset = unconfirmed;
        if (this.stopped) break;
        await this.backOff(undefined);
        continue;
      }
      this.failures = 0;
      const last = updates.at(-1);
      if (last) this.offset = last.update_id + 1;
    }
  }

  /** Returns the id of the first update that was not handled, if any. */
  private async handleBatch(updates: { update_id: number }[]): Promise<number | undefined> {
    const byKey = new Map<string, { update_id: number }[]>();
    for (const update of updates) {
      const key = this.options.orderKey(update);
      byKey.set(key, [...(byKey.get(key) ?? []), update]);
    }
    const failed = await Promise.all(
      [...byKey.values()].map(async (queue) => {
        for (const update of queue) {
          try {
            await this.options.handleUpdate(update);
          } catch (error) {
            this.options.logger.warn({ err: error, updateId: update.update_id }, 'telegram update not handled; it will be fetched again');
            return update.update_id;
          }
        }
        return undefined;
      }),
    );
    const ids = failed.filter((id): id is number => id !== undefined);
    return ids.length > 0 ? Math.min(...ids) : undefined;
  }

  private backOff(error: unknown): Promise<void> {
    this.failures++;
    const retryAfter = error instanceof GrammyError ? error.parameters?.retry_after : undefined;
    const exponential = Math.min(1000 * 2 ** (this.failures - 1), this.options.maxBackoffMs ?? 30_000);
    return this.pause(retryAfter !== undefined ? Math.max(retryAfter * 1000, exponential) : exponential);
  }

  /** Waits on the injected clock; `stop()` cuts the wait short. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const done = () => {
        if (timer) this.options.clock.clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      timer = this.options.clock.setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }
}
