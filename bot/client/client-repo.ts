import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { Database } from '../../store/index.js';

export type HandoffReason = 'asked_for_person' | 'not_helped';

export interface Handoff {
  id: string;
  conversationId: string;
  reason: HandoffReason;
  summary: string;
  status: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
}

/** Details of a lead the client started to leave, kept until they give their name. */
export interface PendingLead {
  company?: string;
  email?: string;
  need?: string;
}

interface HandoffRow {
  id: string;
  conversation_id: string;
  reason: HandoffReason;
  summary: string;
  status: 'open' | 'closed';
  opened_at: Date;
  closed_at: Date | null;
}

const toHandoff = (row: HandoffRow): Handoff => ({
  id: row.id,
  conversationId: row.conversation_id,
  reason: row.reason,
  summary: row.summary,
  status: row.status,
  openedAt: row.opened_at.getTime(),
  closedAt: row.closed_at?.getTime() ?? null,
});

/**
 * The durable state of client conversations (migration 12): hand-offs to the team and the notices that
 * announced them (a team reply to a notice is relayed to the client), and per conversation the turns in a
 * row the bot could not help with and a lead waiting for a name. Kept in PostgreSQL: a restart must not
 * make the bot speak again in a conversation a person has taken over.
 */
export class ClientRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Opens a hand-off; when one is already open in the conversation, returns that one (`created: false`). */
  async openHandoff(conversationId: string, reason: HandoffReason, summary: string): Promise<{ handoff: Handoff; created: boolean }> {
    const { rows } = await this.db.query<HandoffRow>(
      `INSERT INTO handoffs (id, conversation_id, reason, summary, status, opened_at) VALUES ($1, $2, $3, $4, 'open', $5)
       ON CONFLICT (conversation_id) WHERE status = 'open' DO NOTHING RETURNING *`,
      [randomUUID(), conversationId, reason, summary, new Date(this.clock.now())],
    );
    if (rows[0]) return { handoff: toHandoff(rows[0]), created: true };
    const open = await this.openIn(conversationId);
    if (!open) throw new Error(`hand-off of ${conversationId} is neither open nor insertable`);
    return { handoff: open, created: false };
  }

  async openIn(conversationId: string): Promise<Handoff | undefined> {
    const { rows } = await this.db.query<HandoffRow>(`SELECT * FROM handoffs WHERE conversation_id = $1 AND status = 'open'`, [conversationId]);
    return rows[0] ? toHandoff(rows[0]) : undefined;
  }

  async listOpen(): Promise<Handoff[]> {
    const { rows } = await this.db.query<HandoffRow>(`SELECT * FROM handoffs WHERE status = 'open' ORDER BY opened_at`);
    return rows.map(toHandoff);
  }

  /** An open hand-off by its id or the start of it (notices show 8 characters); undefined when none or several match. */
  async findOpen(idOrPrefix: string): Promise<Handoff | undefined> {
    const prefix = idOrPrefix.toLowerCase().replace(/[^0-9a-f-]/g, '');
    if (!prefix) return undefined;
    const { rows } = await this.db.query<HandoffRow>(`SELECT * FROM handoffs WHERE status = 'open' AND id::text LIKE $1 LIMIT 2`, [`${prefix}%`]);
    return rows.length === 1 ? toHandoff(rows[0]!) : undefined;
  }

  /** Closes an open hand-off once; false when it was not open (already handed back). */
  async close(id: string, by: string | null): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE handoffs SET status = 'closed', closed_at = $2, closed_by = $3 WHERE id = $1 AND status = 'open'`, [
      id,
      new Date(this.clock.now()),
      by,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async addNotice(handoffId: string, messageId: string): Promise<void> {
    await this.db.query('INSERT INTO handoff_notices (handoff_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [handoffId, messageId]);
  }

  /** The notices of a hand-off: where the team heard about it (conversation and thread), to post follow-ups there. */
  async noticesOf(handoffId: string): Promise<{ messageId: string; conversationId: string; platformMessageId: string | null }[]> {
    const { rows } = await this.db.query<{ message_id: string; conversation_id: string; platform_message_id: string | null }>(
      `SELECT n.message_id, m.conversation_id, m.platform_message_id FROM handoff_notices n JOIN messages m ON m.id = n.message_id
       WHERE n.handoff_id = $1 ORDER BY m.seq`,
      [handoffId],
    );
    return rows.map((r) => ({ messageId: r.message_id, conversationId: r.conversation_id, platformMessageId: r.platform_message_id }));
  }

  /**
   * The hand-off a team message answers: the notice whose platform message id it replies to (a Telegram
   * reply, a Slack thread's parent ts), sent in the same chat on the same channel.
   */
  async byReply(channel: string, chat: string, replyTo: string): Promise<Handoff | undefined> {
    const { rows } = await this.db.query<HandoffRow>(
      `SELECT h.* FROM handoff_notices n
         JOIN messages m ON m.id = n.message_id
         JOIN conversations c ON c.id = m.conversation_id
         JOIN handoffs h ON h.id = n.handoff_id
       WHERE c.channel = $1 AND c.external_id = $2 AND m.platform_message_id = $3
       ORDER BY h.opened_at DESC LIMIT 1`,
      [channel, chat, replyTo],
    );
    return rows[0] ? toHandoff(rows[0]) : undefined;
  }

  /** Counts one more turn the bot could not help with; returns how many in a row now. */
  async miss(conversationId: string): Promise<number> {
    const { rows } = await this.db.query<{ misses: number }>(
      `INSERT INTO client_conversations (conversation_id, misses, updated_at) VALUES ($1, 1, $2)
       ON CONFLICT (conversation_id) DO UPDATE SET misses = client_conversations.misses + 1, updated_at = $2 RETURNING misses`,
      [conversationId, new Date(this.clock.now())],
    );
    return rows[0]!.misses;
  }

  /** The bot helped (or a person took over): the count starts again. */
  async helped(conversationId: string): Promise<void> {
    await this.db.query(`UPDATE client_conversations SET misses = 0, updated_at = $2 WHERE conversation_id = $1 AND misses <> 0`, [
      conversationId,
      new Date(this.clock.now()),
    ]);
  }

  async pendingLead(conversationId: string): Promise<PendingLead | undefined> {
    const { rows } = await this.db.query<{ pending_lead: PendingLead | null }>(`SELECT pending_lead FROM client_conversations WHERE conversation_id = $1`, [conversationId]);
    return rows[0]?.pending_lead ?? undefined;
  }

  async setPendingLead(conversationId: string, lead: PendingLead | null): Promise<void> {
    await this.db.query(
      `INSERT INTO client_conversations (conversation_id, pending_lead, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id) DO UPDATE SET pending_lead = $2, updated_at = $3`,
      [conversationId, lead, new Date(this.clock.now())],
    );
  }

  /** Open tasks marked client-visible about these apps, oldest due first. */
  async visibleTasks(apps: readonly string[]): Promise<{ number: number; title: string; app: string; dueAt: number | null }[]> {
    if (apps.length === 0) return [];
    const { rows } = await this.db.query<{ number: number; title: string; app: string; due_at: Date | null }>(
      `SELECT number, title, app, due_at FROM tasks WHERE status = 'open' AND client_visible AND app = ANY ($1::text[])
       ORDER BY due_at NULLS LAST, number`,
      [apps],
    );
    return rows.map((r) => ({ number: r.number, title: r.title, app: r.app, dueAt: r.due_at?.getTime() ?? null }));
  }

  /** Marks a task as about an app and visible to that app's client (or not). */
  async showTaskToClient(taskNumber: number, app: string | null, visible: boolean): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE tasks SET client_visible = $2, app = $3, updated_at = $4 WHERE number = $1`, [
      taskNumber,
      visible,
      app,
      new Date(this.clock.now()),
    ]);
    return (rowCount ?? 0) > 0;
  }
}
