import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Database } from './database.js';

export interface Conversation {
  id: string;
  channel: string;
  /** The platform's conversation key (chat id, channel id, web chat session). */
  externalId: string;
  /** '' when the conversation has no thread. */
  thread: string;
  createdAt: number;
}

interface ConversationRow {
  id: string;
  channel: string;
  external_id: string;
  thread: string;
  created_at: Date;
}

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  channel: row.channel,
  externalId: row.external_id,
  thread: row.thread,
  createdAt: row.created_at.getTime(),
});

export class ConversationRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The conversation for a platform key, created on first use (race-safe). */
  async ensure(channel: string, externalId: string, thread = ''): Promise<Conversation> {
    const { rows } = await this.db.query<ConversationRow>(
      `INSERT INTO conversations (id, channel, external_id, thread, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel, external_id, thread) DO UPDATE SET channel = EXCLUDED.channel
       RETURNING *`,
      [randomUUID(), channel, externalId, thread, new Date(this.clock.now())],
    );
    return toConversation(rows[0]!);
  }

  async find(channel: string, externalId: string, thread = ''): Promise<Conversation | undefined> {
    const { rows } = await this.db.query<ConversationRow>(
      'SELECT * FROM conversations WHERE channel = $1 AND external_id = $2 AND thread = $3',
      [channel, externalId, thread],
    );
    return rows[0] && toConversation(rows[0]);
  }

  /**
   * Where a person last wrote from (optionally on one channel): the conversation to send them
   * something proactive in.
   */
  async latestFor(personId: string, channel?: string): Promise<Conversation | undefined> {
    const { rows } = await this.db.query<ConversationRow>(
      `SELECT c.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.person_id = $1 AND m.direction = 'in' AND ($2::text IS NULL OR c.channel = $2)
       ORDER BY m.seq DESC LIMIT 1`,
      [personId, channel ?? null],
    );
    return rows[0] && toConversation(rows[0]);
  }

  async findById(id: string): Promise<Conversation | undefined> {
    const { rows } = await this.db.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    return rows[0] && toConversation(rows[0]);
  }
}
