import type { Clock } from '../../core/clock.js';
import type { Database } from './database.js';

export interface Subscription {
  conversationId: string;
  channel: string;
  externalId: string;
  thread: string;
  events: string[];
}

/** `unknown`: the platform may or may not have the message (see the outbox). */
export type DeliveryStatus = 'delivering' | 'sent' | 'failed' | 'rate_limited' | 'unknown';

/** Notification subscriptions per chat, and the record of each event's delivery to each chat. */
export class NotificationRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Subscribes a chat to events (added to what it had). Returns everything it is now subscribed to. */
  async subscribe(conversationId: string, events: string[], by: string | null): Promise<string[]> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<{ events: string[] }>(
      `INSERT INTO notification_subscriptions (conversation_id, events, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (conversation_id) DO UPDATE
         SET events = ARRAY(SELECT DISTINCT unnest(notification_subscriptions.events || EXCLUDED.events) ORDER BY 1), updated_at = $4
       RETURNING events`,
      [conversationId, [...new Set(events)].sort(), by, now],
    );
    return rows[0]!.events;
  }

  async subscribersOf(eventType: string): Promise<Subscription[]> {
    const { rows } = await this.db.query<{ conversation_id: string; channel: string; external_id: string; thread: string; events: string[] }>(
      `SELECT s.conversation_id, c.channel, c.external_id, c.thread, s.events
       FROM notification_subscriptions s JOIN conversations c ON c.id = s.conversation_id
       WHERE $1 = ANY (s.events) ORDER BY s.created_at`,
      [eventType],
    );
    return rows.map((r) => ({ conversationId: r.conversation_id, channel: r.channel, externalId: r.external_id, thread: r.thread, events: r.events }));
  }

  /** Claims the delivery of an event to a chat: true for exactly one caller. */
  async claim(eventId: string, conversationId: string, eventType: string, status: DeliveryStatus = 'delivering'): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO notification_deliveries (event_id, conversation_id, event_type, status, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [eventId, conversationId, eventType, status, new Date(this.clock.now())],
    );
    return (rowCount ?? 0) > 0;
  }

  async finish(eventId: string, conversationId: string, status: DeliveryStatus, messageId: string | null, error?: string): Promise<void> {
    await this.db.query(
      `UPDATE notification_deliveries SET status = $3, message_id = $4, error = $5 WHERE event_id = $1 AND conversation_id = $2`,
      [eventId, conversationId, status, messageId, error ?? null],
    );
  }

  async deliveriesOf(eventId: string): Promise<{ conversationId: string; status: DeliveryStatus; error: string | null }[]> {
    const { rows } = await this.db.query<{ conversation_id: string; status: DeliveryStatus; error: string | null }>(
      'SELECT conversation_id, status, error FROM notification_deliveries WHERE event_id = $1 ORDER BY created_at',
      [eventId],
    );
    return rows.map((r) => ({ conversationId: r.conversation_id, status: r.status, error: r.error }));
  }
}
