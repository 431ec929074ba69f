import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { toSwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { notifyEventNames, type NotifyEvent } from '../intents/index.js';
import type { ConversationRepo, HotStore, MessageRepo, NotificationRepo } from '../store/index.js';
import type { Outbox } from './outbox/index.js';

/** Something that happened that chats may have subscribed to. */
export interface NotificationEvent {
  /** Stable per occurrence (e.g. `task.due:<task id>`): the same event is delivered once per chat. */
  id: string;
  type: NotifyEvent;
  text: string;
}

const TOPIC = 'notifications';

export interface NotificationServiceOptions {
  hot: HotStore;
  notifications: NotificationRepo;
  conversations: ConversationRepo;
  messages: MessageRepo;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** Notifications one chat receives per minute; the rest are held back (and said so once). */
  perChatPerMinute: number;
}

/**
 * Delivers events (build finished or failed, deploy live or failed, domain verified, task due) to
 * the chats subscribed to them. An event is published on the hot tier's pub/sub, so every instance
 * hears it; each (event, chat) delivery is claimed in the durable store first, so it happens once
 * whichever instances hear it. Each delivery is a stored message handed to the outbox (one lane per
 * chat, so a slow chat holds no other back); its outcome (sent, failed, unknown) is written to the
 * delivery record when the outbox settles it. Failed and held-back deliveries stay on record.
 */
export class NotificationService {
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: NotificationServiceOptions) {
    // The delivery record follows its message, whichever instance (and attempt) delivers it.
    options.outbox.onSettled(async (row, outcome, error) => {
      const eventId = (row.payload as { eventId?: unknown }).eventId;
      if (typeof eventId !== 'string' || outcome === 'retrying') return;
      await options.notifications.finish(eventId, row.conversationId, outcome, row.id, outcome === 'sent' ? undefined : error?.message);
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.options.hot.subscribe(TOPIC, (raw) => {
      const work = this.fanOut(JSON.parse(raw) as NotificationEvent).then((delivering) => Promise.all(delivering)).catch((error: unknown) =>
        this.options.logger.error({ err: toSwitchboardError(error) }, 'notification fan-out failed'),
      );
      this.running.add(work);
      void work.finally(() => this.running.delete(work));
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Stores one message per subscribed chat and hands them to the outbox, then tells every instance
   * (which find each delivery already claimed, unless this one could not finish). Resolves once the
   * outbox's first pass over those chats is done (chats in parallel).
   */
  async publish(event: NotificationEvent): Promise<void> {
    const delivering = await this.fanOut(event);
    await this.options.hot.publish(TOPIC, JSON.stringify(event));
    await Promise.all(delivering);
  }

  private async fanOut(event: NotificationEvent): Promise<Promise<void>[]> {
    const { notifications, hot, messages, outbox, perChatPerMinute } = this.options;
    const delivering: Promise<void>[] = [];
    // Chats subscribed under an event's old name (build.finished) still receive it; each chat once.
    const subscribers = new Map<string, Awaited<ReturnType<NotificationRepo['subscribersOf']>>[number]>();
    for (const name of notifyEventNames(event.type)) {
      for (const s of await notifications.subscribersOf(name)) if (!subscribers.has(s.conversationId)) subscribers.set(s.conversationId, s);
    }
    for (const subscription of subscribers.values()) {
      if (!(await notifications.claim(event.id, subscription.conversationId, event.type))) continue;
      const { count } = await hot.hit(`notify-rate:${subscription.conversationId}`, 60_000);
      if (count > perChatPerMinute) {
        await notifications.finish(event.id, subscription.conversationId, 'rate_limited', null, `over ${perChatPerMinute} notifications a minute`);
        // Said once per minute, so a burst of events does not become a burst of apologies.
        if (await hot.claim(`notify-held:${subscription.conversationId}`, 60_000)) {
          await messages.recordNotification(subscription.conversationId, {
            text: 'More notifications arrived in the last minute than this chat gets; I held some back.',
            kind: 'notification',
          });
          delivering.push(outbox.kick(subscription.conversationId));
        }
        continue;
      }
      await messages.recordNotification(subscription.conversationId, { text: event.text, kind: 'notification', payload: { event: event.type, eventId: event.id } });
      delivering.push(outbox.kick(subscription.conversationId));
    }
    return delivering;
  }
}

export function newEventId(type: string): string {
  return `${type}:${randomUUID()}`;
}
