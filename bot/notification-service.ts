import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { toSwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { NotifyEvent } from '../intents/index.js';
import type { ConversationRepo, HotStore, MessageRepo, NotificationRepo } from '../store/index.js';
import type { MessagePipeline } from './message-pipeline.js';

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
  pipeline: MessagePipeline;
  clock: Clock;
  logger: Logger;
  /** Notifications one chat receives per minute; the rest are held back (and said so once). */
  perChatPerMinute: number;
}

/**
 * Delivers events (build finished or failed, deploy live or failed, domain verified, task due) to
 * the chats subscribed to them. An event is published on the hot tier's pub/sub, so every instance
 * hears it; each (event, chat) delivery is claimed in the durable store first, so it happens once
 * whichever instances hear it. Deliveries go through the pipeline's delivery (retries with backoff);
 * failed and held-back deliveries stay on record.
 */
export class NotificationService {
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: NotificationServiceOptions) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.options.hot.subscribe(TOPIC, (raw) => {
      const work = this.fanOut(JSON.parse(raw) as NotificationEvent).catch((error: unknown) =>
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
   * Delivers from this instance, then tells every instance (which find each delivery already
   * claimed, unless this one could not finish). Resolves when this instance is done.
   */
  async publish(event: NotificationEvent): Promise<void> {
    await this.fanOut(event);
    await this.options.hot.publish(TOPIC, JSON.stringify(event));
  }

  private async fanOut(event: NotificationEvent): Promise<void> {
    const { notifications, hot, messages, pipeline, perChatPerMinute } = this.options;
    for (const subscription of await notifications.subscribersOf(event.type)) {
      if (!(await notifications.claim(event.id, subscription.conversationId, event.type))) continue;
      const conversation = { id: subscription.conversationId, channel: subscription.channel, externalId: subscription.externalId, thread: subscription.thread, createdAt: 0 };
      const { count } = await hot.hit(`notify-rate:${subscription.conversationId}`, 60_000);
      if (count > perChatPerMinute) {
        await notifications.finish(event.id, subscription.conversationId, 'rate_limited', null, `over ${perChatPerMinute} notifications a minute`);
        // Said once per minute, so a burst of events does not become a burst of apologies.
        if (await hot.claim(`notify-held:${subscription.conversationId}`, 60_000)) {
          const notice = await messages.recordNotification(subscription.conversationId, {
            text: 'More notifications arrived in the last minute than this chat gets; I held some back.',
            kind: 'notification',
          });
          await pipeline.deliver([pipeline.toOutbound(notice, conversation)]);
        }
        continue;
      }
      const stored = await messages.recordNotification(subscription.conversationId, { text: event.text, kind: 'notification', payload: { event: event.type, eventId: event.id } });
      const delivered = await pipeline.deliver([pipeline.toOutbound(stored, conversation)]);
      await notifications.finish(event.id, subscription.conversationId, delivered ? 'sent' : 'failed', stored.id, delivered ? undefined : 'delivery failed');
    }
  }
}

export function newEventId(type: string): string {
  return `${type}:${randomUUID()}`;
}
