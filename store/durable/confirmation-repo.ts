import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Database, Queryable } from './database.js';

export type ConfirmationStatus = 'pending' | 'confirmed' | 'consumed' | 'cancelled' | 'expired' | 'superseded';

export interface Confirmation {
  id: string;
  conversationId: string;
  requesterId: string;
  action: string;
  params: Record<string, unknown>;
  paramsHash: string;
  risk: 'risky' | 'critical';
  phrase: string;
  status: ConfirmationStatus;
  wrongAttempts: number;
  expiresAt: number;
  createdAt: number;
  confirmedBy: string | null;
  confirmedAt: number | null;
  confirmedByMessage: string | null;
  consumedAt: number | null;
  closedReason: string | null;
}

interface Row {
  id: string;
  conversation_id: string;
  requester_id: string;
  action: string;
  params: Record<string, unknown>;
  params_hash: string;
  risk: 'risky' | 'critical';
  phrase: string;
  status: ConfirmationStatus;
  wrong_attempts: number;
  expires_at: Date;
  created_at: Date;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  confirmed_by_message: string | null;
  consumed_at: Date | null;
  closed_reason: string | null;
}

const toConfirmation = (r: Row): Confirmation => ({
  id: r.id,
  conversationId: r.conversation_id,
  requesterId: r.requester_id,
  action: r.action,
  params: r.params,
  paramsHash: r.params_hash,
  risk: r.risk,
  phrase: r.phrase,
  status: r.status,
  wrongAttempts: r.wrong_attempts,
  expiresAt: r.expires_at.getTime(),
  createdAt: r.created_at.getTime(),
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at?.getTime() ?? null,
  confirmedByMessage: r.confirmed_by_message,
  consumedAt: r.consumed_at?.getTime() ?? null,
  closedReason: r.closed_reason,
});

export interface NewConfirmation {
  conversationId: string;
  requesterId: string;
  action: string;
  params: Record<string, unknown>;
  paramsHash: string;
  risk: 'risky' | 'critical';
  phrase: string;
  ttlMs: number;
}

/**
 * Pending confirmations: durable, with their expiry, and with every state change done by one
 * conditional UPDATE, so that two messages (or two instances) can never both confirm or both consume one.
 */
export class ConfirmationRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async create(input: NewConfirmation): Promise<Confirmation> {
    const now = this.clock.now();
    const { rows } = await this.db.query<Row>(
      `INSERT INTO confirmations (id, conversation_id, requester_id, action, params, params_hash, risk, phrase, status, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING *`,
      [randomUUID(), input.conversationId, input.requesterId, input.action, input.params, input.paramsHash, input.risk, input.phrase, new Date(now + input.ttlMs), new Date(now)],
    );
    return toConfirmation(rows[0]!);
  }

  async findById(id: string): Promise<Confirmation | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM confirmations WHERE id = $1', [id]);
    return rows[0] && toConfirmation(rows[0]);
  }

  /** The confirmation still waiting for its phrase in a conversation, if any. */
  async findPending(conversationId: string): Promise<Confirmation | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM confirmations WHERE conversation_id = $1 AND status = 'pending' ORDER BY created_at DESC LIMIT 1`,
      [conversationId],
    );
    return rows[0] && toConfirmation(rows[0]);
  }

  /**
   * Marks a pending, unexpired confirmation confirmed by `personId`. Undefined if it was not pending or
   * had expired, unless this very message confirmed it before: a turn replayed after its answer could
   * not be stored (a platform's retry, the sweeper) gets the record again, and the executor then
   * answers with the first outcome instead of acting twice or calling the confirmation lost.
   */
  async confirm(id: string, personId: string, messageId: string): Promise<Confirmation | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Row>(
      `WITH flipped AS (
         UPDATE confirmations SET status = 'confirmed', confirmed_by = $2, confirmed_at = $3, confirmed_by_message = $4
         WHERE id = $1 AND status = 'pending' AND expires_at > $3 RETURNING *
       )
       SELECT * FROM flipped
       UNION ALL
       SELECT * FROM confirmations
       WHERE id = $1 AND confirmed_by = $2 AND confirmed_by_message = $4 AND status IN ('confirmed', 'consumed')
         AND NOT EXISTS (SELECT 1 FROM flipped)`,
      [id, personId, now, messageId],
    );
    return rows[0] && toConfirmation(rows[0]);
  }

  /** Single use: the first caller gets the record and flips it to consumed; every later caller gets nothing. */
  async consume(id: string, q: Queryable = this.db): Promise<Confirmation | undefined> {
    const { rows } = await q.query<Row>(
      `UPDATE confirmations SET status = 'consumed', consumed_at = $2 WHERE id = $1 AND status = 'confirmed' RETURNING *`,
      [id, new Date(this.clock.now())],
    );
    return rows[0] && toConfirmation(rows[0]);
  }

  async recordWrongAttempt(id: string): Promise<number> {
    const { rows } = await this.db.query<{ wrong_attempts: number }>(
      `UPDATE confirmations SET wrong_attempts = wrong_attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING wrong_attempts`,
      [id],
    );
    return rows[0]?.wrong_attempts ?? 0;
  }

  /** Closes a pending confirmation (cancelled, expired, superseded). False when it was no longer pending. */
  async close(id: string, status: 'cancelled' | 'expired' | 'superseded', reason: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE confirmations SET status = $2, closed_reason = $3 WHERE id = $1 AND status = 'pending'`,
      [id, status, reason],
    );
    return (rowCount ?? 0) > 0;
  }
}
