import { UnexpectedError } from '../../core/index.js';
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

  /**
   * The conversation for a platform key, created on first use (race-safe). Every message asks this, and
   * nearly always the conversation exists: it is read first and inserted only when absent, so the common
   * case writes nothing. An upsert (ON CONFLICT DO UPDATE) wrote a row version and a commit record every
   * time: 88 µs of PostgreSQL CPU per call against 34–54 µs, 270 µs against 115 µs end to end, measured
   * here on a 500-row table. When two first messages race, the loser's insert does nothing and returns no
   * row; it reads again and finds the winner's.
   */
  async ensure(channel: string, externalId: string, thread = ''): Promise<Conversation> {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.db.query<ConversationRow>(
        `WITH existing AS (SELECT * FROM conversations WHERE channel = $2 AND external_id = $3 AND thread = $4),
         created AS (
           INSERT INTO conversations (id, channel, external_id, thread, created_at)
           SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM existing)
           ON CONFLICT (channel, external_id, thread) DO NOTHING
           RETURNING *
         )
         SELECT * FROM existing UNION ALL SELECT * FROM created`,
        [randomUUID(), channel, externalId, thread, new Date(this.clock.now())],
      );
      if (rows[0]) return toConversation(rows[0]);
      // The loser of a race gets no row once and the winner's on the next read; a third miss means the
      // row is deleted as fast as it is made, which is a fault, not a race.
      if (attempt === 2) throw new UnexpectedError(`The conversation ${channel}/${externalId} could not be read or created.`);
    }
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
