import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Conversation } from './conversation-repo.js';
import type { Database } from './database.js';
import { GroupCommit } from './group-commit.js';
import { toPerson, type Person, type PersonRow } from './people-repo.js';
import { INSERT_CHECKPOINT, ON_CHECKPOINT_CONFLICT, type CheckpointWrite } from './thread-checkpoint-saver.js';

export type MessageDirection = 'in' | 'out';
export type InboundStatus = 'received' | 'answered' | 'failed' | 'rate_limited';
/**
 * `pending`: waiting for the outbox (at `nextAttemptAt`, or now); `sending`: an attempt is under way
 * (its lease ends at `nextAttemptAt`); `unknown`: the platform may or may not have it (a timeout after
 * the request was written, or a lease that ran out), never sent again blindly.
 */
export type OutboundStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

export interface StoredMessage {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  platformMessageId: string | null;
  personId: string | null;
  kind: 'message' | 'reply' | 'notification';
  text: string;
  inReplyTo: string | null;
  status: InboundStatus | OutboundStatus;
  payload: Record<string, unknown>;
  error: string | null;
  /** Outbound: delivery attempts made so far. */
  attempts: number;
  /** Outbound: when the next attempt is due (`pending`), or when the running attempt's lease ends (`sending`). */
  nextAttemptAt: number | null;
  createdAt: number;
}

/** Who takes an outbound row for an attempt, and until when (the attempt's lease). */
export interface OutboundClaim {
  owner: string;
  leaseUntil: number;
}

/** An outbound row taken for one attempt (`sending`, on the wire), with what its send needs. */
export interface TakenOutbound {
  message: StoredMessage;
  conversation: Conversation;
  /** Whether more rows of the conversation were pending when this one was taken. */
  more: boolean;
  /** When the conversation's last inbound message arrived (WhatsApp's 24-hour window). */
  lastInboundAt?: number;
}

export interface NewReply {
  text: string;
  kind: 'reply' | 'notification';
  payload?: Record<string, unknown>;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  direction: MessageDirection;
  platform_message_id: string | null;
  person_id: string | null;
  kind: StoredMessage['kind'];
  text: string;
  in_reply_to: string | null;
  status: StoredMessage['status'];
  payload: Record<string, unknown>;
  error: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
}

const toMessage = (row: MessageRow): StoredMessage => ({
  id: row.id,
  conversationId: row.conversation_id,
  direction: row.direction,
  platformMessageId: row.platform_message_id,
  personId: row.person_id,
  kind: row.kind,
  text: row.text,
  inReplyTo: row.in_reply_to,
  status: row.status,
  payload: row.payload,
  error: row.error,
  attempts: row.attempts ?? 0,
  nextAttemptAt: row.next_attempt_at ? row.next_attempt_at.getTime() : null,
  createdAt: row.created_at.getTime(),
});

/** SQL ranking a delivery status: statuses only move forward. */
const RANK = (expression: string) =>
  `(CASE ${expression} WHEN 'failed' THEN 4 WHEN 'read' THEN 3 WHEN 'delivered' THEN 2 WHEN 'sent' THEN 1 ELSE 0 END)`;

const answerStatements = new Map<string, string>();

/**
 * The text of MessageRepo's answer statement for one shape: with or without the conversation's
 * checkpoint, with or without the outbox's take of the first reply. One text per shape, because
 * PostgreSQL keeps a generic plan per prepared text only while no parameter value makes a plan of its
 * own look cheaper: a `$n IS NOT NULL` switch inside one text did, whenever shapes were mixed.
 *
 * One statement is one transaction: the mark, the replies and the checkpoint land together or not at
 * all, in one round trip; a message another turn answered gets none of them. Replies are inserted in
 * their order, so their seq (delivery order) follows it. The take follows takeNextOutbound's order rule,
 * read in the same snapshot: only when nothing older is pending or sending in the conversation's lane.
 */
function answerStatement(shape: { take: boolean; checkpoint: boolean }): string {
  const key = `${shape.take}:${shape.checkpoint}`;
  const cached = answerStatements.get(key);
  if (cached) return cached;
  // $1 inbound id, $2 now, $3 status, $4 replies; then the checkpoint's 8, then the claim's owner and lease.
  const owner = `$${shape.checkpoint ? 13 : 5}`;
  const lease = `$${shape.checkpoint ? 14 : 6}`;
  const taken = (then: string, otherwise = 'NULL') => `CASE WHEN t.taken THEN ${then} ELSE ${otherwise} END`;
  const text = `WITH marked AS (
      UPDATE messages SET status = $3, updated_at = $2 WHERE id = $1 AND status NOT IN ('answered') RETURNING id, conversation_id
    )${
      shape.take
        ? `, lane AS (
      SELECT NOT EXISTS (
        SELECT 1 FROM messages o, marked WHERE o.conversation_id = marked.conversation_id AND o.direction = 'out' AND o.status IN ('pending', 'sending')
      ) AS free
    )`
        : ''
    }, inserted AS (
      INSERT INTO messages (id, conversation_id, direction, person_id, kind, text, in_reply_to, status, payload, created_at, updated_at${
        shape.take ? ', attempts, claimed_by, next_attempt_at, on_wire_at' : ''
      })
      SELECT r.id, marked.conversation_id, 'out', NULL, r.kind, r.text, marked.id, ${shape.take ? taken("'sending'", "'pending'") : "'pending'"}, r.payload, $2, $2${
        shape.take ? `, ${taken('1', '0')}, ${taken(owner)}, ${taken(`${lease}::timestamptz`)}, ${taken('$2::timestamptz')}` : ''
      }
      FROM marked, jsonb_to_recordset($4::jsonb) AS r(id uuid, kind text, text text, payload jsonb, ord int)${
        shape.take ? ', lane, LATERAL (SELECT lane.free AND r.ord = 1 AS taken) t' : ''
      }
      ORDER BY r.ord
      RETURNING *
    )${
      shape.checkpoint
        ? `, saved AS (
      ${INSERT_CHECKPOINT}
      SELECT $5, $6, $7, $8, $9, $10, $11, $12::jsonb, now() FROM marked
      ${ON_CHECKPOINT_CONFLICT}
    )`
        : ''
    }
    SELECT marked.id AS marked_id, inserted.*${
      shape.take ? ', (SELECT c.last_message_at FROM conversations c WHERE c.id = marked.conversation_id) AS c_last_message_at' : ''
    }
    FROM marked LEFT JOIN inserted ON true`;
  answerStatements.set(key, text);
  return text;
}

/** Messages in and out. An inbound message is stored once per (conversation, platform message id). */
export class MessageRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores an inbound message unless it is already stored. Returns the stored row and whether this
   * call created it; a platform retry gets the original row back.
   */
  async recordInbound(input: {
    conversationId: string;
    platformMessageId: string;
    personId: string;
    text: string;
    payload: Record<string, unknown>;
    /** `rate_limited`: stored for the record but not handled. */
    status?: 'received' | 'rate_limited';
  }): Promise<{ message: StoredMessage; created: boolean }> {
    const now = new Date(this.clock.now());
    // The conversation's last_message_at moves in the same statement, only when the message is new.
    const inserted = await this.db.query<MessageRow>(
      `WITH inserted AS (
         INSERT INTO messages (id, conversation_id, direction, platform_message_id, person_id, kind, text, status, payload, created_at, updated_at)
         VALUES ($1, $2, 'in', $3, $4, 'message', $5, $8, $6, $7, $7)
         ON CONFLICT (conversation_id, platform_message_id) WHERE direction = 'in' DO NOTHING
         RETURNING *
       ), touched AS (
         UPDATE conversations SET last_message_at = $7 WHERE id = $2 AND EXISTS (SELECT 1 FROM inserted)
       )
       SELECT * FROM inserted`,
      [randomUUID(), input.conversationId, input.platformMessageId, input.personId, input.text, input.payload, now, input.status ?? 'received'],
    );
    if (inserted.rows[0]) return { message: toMessage(inserted.rows[0]), created: true };
    return { message: await this.inboundIn(input.conversationId, input.platformMessageId), created: false };
  }

  /** The inbound message stored for a platform message id in a conversation (known to exist). */
  private async inboundIn(conversationId: string, platformMessageId: string): Promise<StoredMessage> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE conversation_id = $1 AND platform_message_id = $2 AND direction = 'in'`,
      [conversationId, platformMessageId],
    );
    return toMessage(rows[0]!);
  }

  /**
   * recordInbound for a sender known by their identity on the channel, with the person read in the same
   * statement (one round trip less on every turn: issue 13). `undefined` when nobody has that identity
   * yet: the caller creates the person (PeopleRepo.resolve) and calls recordInbound.
   */
  async recordInboundFromIdentity(
    identity: { channel: string; externalId: string },
    input: Omit<Parameters<MessageRepo['recordInbound']>[0], 'personId'>,
  ): Promise<{ person: Person; message: StoredMessage; created: boolean } | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Partial<MessageRow> & { who_id: string; who_display_name: string | null; who_role: PersonRow['role']; who_timezone: string | null; who_preferred_channel: string | null; who_created_at: Date }>(
      `WITH p AS (
         SELECT p.* FROM people p JOIN identities i ON i.person_id = p.id WHERE i.channel = $8 AND i.external_id = $9
       ), inserted AS (
         INSERT INTO messages (id, conversation_id, direction, platform_message_id, person_id, kind, text, status, payload, created_at, updated_at)
         SELECT $1, $2, 'in', $3, p.id, 'message', $4, $7, $5, $6, $6 FROM p
         ON CONFLICT (conversation_id, platform_message_id) WHERE direction = 'in' DO NOTHING
         RETURNING *
       ), touched AS (
         UPDATE conversations SET last_message_at = $6 WHERE id = $2 AND EXISTS (SELECT 1 FROM inserted)
       )
       SELECT p.id AS who_id, p.display_name AS who_display_name, p.role AS who_role, p.timezone AS who_timezone,
              p.preferred_channel AS who_preferred_channel, p.created_at AS who_created_at, inserted.*
       FROM p LEFT JOIN inserted ON true`,
      [randomUUID(), input.conversationId, input.platformMessageId, input.text, input.payload, now, input.status ?? 'received', identity.channel, identity.externalId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const person = toPerson({
      id: row.who_id,
      display_name: row.who_display_name,
      role: row.who_role,
      timezone: row.who_timezone,
      preferred_channel: row.who_preferred_channel,
      created_at: row.who_created_at,
    });
    if (row.id) return { person, message: toMessage(row as MessageRow), created: true };
    // Stored before (a platform's retry): the stored one, as recordInbound answers.
    return { person, message: await this.inboundIn(input.conversationId, input.platformMessageId), created: false };
  }

  /**
   * Stores the replies to an inbound message and marks it answered, in one transaction: a crash
   * leaves either the message unanswered with no replies, or answered with all of them. `checkpoint`
   * (the agent graph's, kept back by ThreadCheckpointSaver) is stored in the same transaction.
   */
  async answer(
    inbound: StoredMessage,
    replies: NewReply[],
    status: 'answered' | 'rate_limited' = 'answered',
    checkpoint?: CheckpointWrite,
  ): Promise<StoredMessage[]> {
    return (await this.storeAnswer(inbound, replies, status, checkpoint)).replies;
  }

  /**
   * `answer`, and in the same statement the outbox's take of the first reply (what takeNextOutbound
   * would do next: `sending`, one attempt, leased to `claim.owner`, on the wire now), when nothing older
   * waits in the conversation's lane. One statement fewer per turn. `taken` is absent when something
   * older waits (or there is no reply): then the replies are `pending`, for the outbox's next take.
   *
   * The caller must hand a taken row to its send with nothing but in-memory work in between (Outbox.deliverTaken),
   * as after takeNextOutbound: a process that dies meanwhile leaves the row `unknown`, never sent twice.
   */
  async answerAndTake(
    inbound: StoredMessage,
    conversation: Conversation,
    replies: NewReply[],
    checkpoint: CheckpointWrite | undefined,
    claim: OutboundClaim,
  ): Promise<{ replies: StoredMessage[]; taken?: TakenOutbound }> {
    const { replies: stored, lastInboundAt } = await this.storeAnswer(inbound, replies, 'answered', checkpoint, claim);
    const first = stored[0];
    if (first?.status !== 'sending') return { replies: stored };
    return {
      replies: stored,
      taken: { message: first, conversation, more: stored.length > 1, ...(lastInboundAt !== undefined ? { lastInboundAt } : {}) },
    };
  }

  private async storeAnswer(
    inbound: StoredMessage,
    replies: NewReply[],
    status: 'answered' | 'rate_limited',
    checkpoint?: CheckpointWrite,
    claim?: OutboundClaim,
  ): Promise<{ replies: StoredMessage[]; lastInboundAt?: number }> {
    const now = new Date(this.clock.now());
    const shape = { take: claim !== undefined, checkpoint: checkpoint !== undefined };
    const { rows } = await this.db.query<Partial<MessageRow> & { marked_id: string; seq: string | null; c_last_message_at?: Date | null }>(answerStatement(shape), [
      inbound.id,
      now,
      status,
      // As one JSON document, not arrays: PostgreSQL estimates unnest() of an array parameter from its
      // length, so every call got a plan of its own (0.7 ms of planning per turn, pg_stat_statements with
      // track_planning); a record set's estimate does not depend on the value, so the plan is reused.
      JSON.stringify(replies.map((r, i) => ({ id: randomUUID(), kind: r.kind, text: r.text, payload: r.payload ?? {}, ord: i + 1 }))),
      ...(checkpoint
        ? [
            checkpoint.threadId,
            checkpoint.namespace,
            checkpoint.checkpointId,
            checkpoint.parentCheckpointId ?? null,
            checkpoint.type ?? null,
            checkpoint.checkpoint,
            checkpoint.metadata,
            JSON.stringify(checkpoint.writes ?? []),
          ]
        : []),
      ...(claim ? [claim.owner, new Date(claim.leaseUntil)] : []),
    ]);
    if (rows.length === 0) throw new Error(`message ${inbound.id} was answered by another turn`);
    const lastMessageAt = rows[0]!.c_last_message_at ?? null;
    return {
      replies: rows
        .filter((row): row is MessageRow & { marked_id: string; seq: string } => row.id != null)
        .sort((a, b) => Number(a.seq) - Number(b.seq))
        .map(toMessage),
      // recordInbound moves last_message_at with every new inbound message, and nothing else moves it.
      ...(lastMessageAt ? { lastInboundAt: lastMessageAt.getTime() } : {}),
    };
  }

  /** Stores a proactive message (reminder, job result) to be delivered. */
  async recordNotification(conversationId: string, reply: NewReply): Promise<StoredMessage> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<MessageRow>(
      `INSERT INTO messages (id, conversation_id, direction, kind, text, status, payload, created_at, updated_at)
       VALUES ($1, $2, 'out', $3, $4, 'pending', $5, $6, $6) RETURNING *`,
      [randomUUID(), conversationId, reply.kind, reply.text, reply.payload ?? {}, now],
    );
    return toMessage(rows[0]!);
  }

  /** Stores what a voice note said, marked machine-made and untrusted. */
  async recordTranscript(inboundId: string, transcript: string, meta: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE messages SET transcript = $2, transcript_meta = $3, updated_at = $4 WHERE id = $1 AND direction = 'in'`, [
      inboundId,
      transcript,
      { ...meta, machineMade: true, untrusted: true },
      new Date(this.clock.now()),
    ]);
  }

  async transcriptOf(inboundId: string): Promise<{ transcript: string; meta: Record<string, unknown> } | undefined> {
    const { rows } = await this.db.query<{ transcript: string | null; transcript_meta: Record<string, unknown> | null }>(
      'SELECT transcript, transcript_meta FROM messages WHERE id = $1',
      [inboundId],
    );
    const row = rows[0];
    return row?.transcript ? { transcript: row.transcript, meta: row.transcript_meta ?? {} } : undefined;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE messages SET status = 'failed', error = $2, updated_at = $3 WHERE id = $1`, [
      id,
      error,
      new Date(this.clock.now()),
    ]);
  }

  /**
   * Marks an outbound message delivered (with the platform's id for it). Group-committed: the marks of
   * deliveries that finish while one is being written go together in one statement (bench:telegram at
   * 32 connections: one statement per turn became a fraction of one).
   */
  markSent(id: string, platformMessageId?: string): Promise<void> {
    return this.sentMarks.add({ id, platformMessageId: platformMessageId ?? null });
  }

  private readonly sentMarks = new GroupCommit<{ id: string; platformMessageId: string | null }>(async (marks) => {
    await this.db.query(
      `UPDATE messages m SET status = 'sent', platform_message_id = COALESCE(v.platform_message_id, m.platform_message_id), error = NULL, updated_at = $3
       FROM unnest($1::uuid[], $2::text[]) AS v(id, platform_message_id) WHERE m.id = v.id`,
      [marks.map((mark) => mark.id), marks.map((mark) => mark.platformMessageId), new Date(this.clock.now())],
    );
    return marks.map(() => undefined);
  });

  /** When the last message from the other side arrived in a conversation (WhatsApp's 24-hour window). */
  async lastInboundAt(channel: string, conversationExternalId: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ at: Date }>(
      `SELECT max(m.created_at) AS at FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = $1 AND c.external_id = $2 AND m.direction = 'in'`,
      [channel, conversationExternalId],
    );
    return rows[0]?.at?.getTime() ?? undefined;
  }

  /**
   * Records what the platform says happened to a message we sent (WhatsApp: sent, delivered, read,
   * failed). Statuses only move forward (sent < delivered < read; failed is final), so a late
   * "delivered" never overwrites "read". Returns false when no sent message has that platform id.
   */
  async recordDeliveryStatus(channel: string, platformMessageId: string, status: string, detail?: Record<string, unknown>): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE messages m SET
         payload = CASE WHEN ${RANK('$3::jsonb->>\'status\'')} > ${RANK("m.payload->'deliveryStatus'->>'status'")}
                        THEN jsonb_set(m.payload, '{deliveryStatus}', $3::jsonb) ELSE m.payload END,
         updated_at = $4,
         status = CASE WHEN $5 THEN 'failed' ELSE m.status END
       FROM conversations c
       WHERE c.id = m.conversation_id AND c.channel = $1 AND m.platform_message_id = $2 AND m.direction = 'out'`,
      [channel, platformMessageId, JSON.stringify({ status, ...(detail ?? {}), at: new Date(this.clock.now()).toISOString() }), new Date(this.clock.now()), status === 'failed'],
    );
    return (rowCount ?? 0) > 0;
  }

  /** An inbound message by the platform's id on a channel (WhatsApp's wamid is unique per channel). */
  async findInbound(channel: string, platformMessageId: string): Promise<StoredMessage | undefined> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = $1 AND m.platform_message_id = $2 AND m.direction = 'in' ORDER BY m.seq LIMIT 1`,
      [channel, platformMessageId],
    );
    return rows[0] && toMessage(rows[0]);
  }

  async findById(id: string): Promise<StoredMessage | undefined> {
    const { rows } = await this.db.query<MessageRow>(`SELECT * FROM messages WHERE id = $1`, [id]);
    return rows[0] && toMessage(rows[0]);
  }

  // --- the outbox (bot/outbox) ---

  /**
   * Claims the oldest outbound message of a conversation that is still to be delivered, if it is due:
   * `pending` -> `sending`, one more attempt, a lease until `leaseUntil`. Nothing is claimed while an
   * older message of the conversation is still pending or being sent, so replies leave in order
   * whichever instance delivers them; one conditional UPDATE, so two instances never claim the same row.
   */
  async claimNextOutbound(conversationId: string, owner: string, leaseUntil: number): Promise<StoredMessage | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<MessageRow>(
      `UPDATE messages m SET status = 'sending', attempts = m.attempts + 1, claimed_by = $2, next_attempt_at = $4, on_wire_at = NULL, updated_at = $3
       WHERE m.id = (SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'out' AND status IN ('pending', 'sending') ORDER BY seq LIMIT 1)
         AND m.status = 'pending' AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= $3)
       RETURNING m.*`,
      [conversationId, owner, now, new Date(leaseUntil)],
    );
    return rows[0] && toMessage(rows[0]);
  }

  /**
   * The outbox's one statement per attempt: claims the conversation's next due row AND marks it on the
   * wire (the outbox calls the platform right after, with nothing but in-memory work between), and
   * returns the conversation to address it to, when its person last wrote (`lastInboundAt`, for the
   * channels with a reply window), and whether more rows wait behind it. Replaces
   * claimNextOutbound + conversations.findById + markOnWire + lastInboundAt (four round trips) on the hot path.
   */
  async takeNextOutbound(
    conversationId: string,
    owner: string,
    leaseUntil: number,
  ): Promise<TakenOutbound | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<
      MessageRow & { c_channel: string; c_external_id: string; c_thread: string; c_created_at: Date; c_last_message_at: Date | null; more: boolean }
    >(
      `UPDATE messages m SET status = 'sending', attempts = m.attempts + 1, claimed_by = $2, next_attempt_at = $4, on_wire_at = $3, updated_at = $3
       FROM conversations c
       WHERE m.id = (SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'out' AND status IN ('pending', 'sending') ORDER BY seq LIMIT 1)
         AND m.status = 'pending' AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= $3) AND c.id = m.conversation_id
       RETURNING m.*, c.channel AS c_channel, c.external_id AS c_external_id, c.thread AS c_thread, c.created_at AS c_created_at,
         c.last_message_at AS c_last_message_at,
         EXISTS (SELECT 1 FROM messages o WHERE o.conversation_id = $1 AND o.direction = 'out' AND o.status = 'pending' AND o.id <> m.id) AS more`,
      [conversationId, owner, now, new Date(leaseUntil)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      message: toMessage(row),
      conversation: { id: row.conversation_id, channel: row.c_channel, externalId: row.c_external_id, thread: row.c_thread, createdAt: row.c_created_at.getTime() },
      more: row.more,
      // recordInbound moves last_message_at with every new inbound message, and nothing else moves it.
      ...(row.c_last_message_at ? { lastInboundAt: row.c_last_message_at.getTime() } : {}),
    };
  }

  /**
   * Marks a claimed row as handed to the platform, just before the call. False when this owner no
   * longer holds the claim (its lease ran out and another instance took the row): then do not send.
   */
  async markOnWire(id: string, owner: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE messages SET on_wire_at = $3 WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, owner, new Date(this.clock.now())],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Gives a claim back untried (a store error before the send): `pending` again, the attempt not counted. */
  async releaseOutbound(id: string, owner: string): Promise<void> {
    await this.db.query(
      `UPDATE messages SET status = 'pending', attempts = GREATEST(attempts - 1, 0), next_attempt_at = NULL, on_wire_at = NULL, updated_at = $3
       WHERE id = $1 AND status = 'sending' AND claimed_by = $2 AND on_wire_at IS NULL`,
      [id, owner, new Date(this.clock.now())],
    );
  }

  /** A retryable failure: back to `pending`, due at `nextAttemptAt`, with the error on record. */
  async requeueOutbound(id: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE messages SET status = 'pending', next_attempt_at = $2, error = $3, on_wire_at = NULL, updated_at = $4 WHERE id = $1 AND status = 'sending'`,
      [id, new Date(nextAttemptAt), error, new Date(this.clock.now())],
    );
  }

  /** The platform may or may not have the message: recorded, and never sent again blindly. */
  async markUnknown(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE messages SET status = 'unknown', error = $2, updated_at = $3 WHERE id = $1 AND status IN ('pending', 'sending')`, [
      id,
      error,
      new Date(this.clock.now()),
    ]);
  }

  /** Conversations with an outbound message due now (the outbox's poll). */
  async conversationsWithDueOutbound(limit = 200): Promise<string[]> {
    const { rows } = await this.db.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM messages WHERE direction = 'out' AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
       GROUP BY conversation_id ORDER BY min(seq) LIMIT $2`,
      [new Date(this.clock.now()), limit],
    );
    return rows.map((r) => r.conversation_id);
  }

  /**
   * Attempts whose lease ran out (the process delivering them died, or hung past every timeout).
   * A row that never reached the platform call (no `on_wire_at`) was not sent: back to `pending`,
   * the attempt not counted. A row whose send had started may or may not have been accepted, so it
   * becomes `unknown` and is never sent blindly again. Returns the `unknown` ones.
   */
  async expireSendingLeases(): Promise<StoredMessage[]> {
    const now = new Date(this.clock.now());
    await this.db.query(
      `UPDATE messages SET status = 'pending', attempts = GREATEST(attempts - 1, 0), next_attempt_at = NULL, updated_at = $1
       WHERE direction = 'out' AND status = 'sending' AND next_attempt_at < $1 AND on_wire_at IS NULL`,
      [now],
    );
    const { rows } = await this.db.query<MessageRow>(
      `UPDATE messages SET status = 'unknown', error = COALESCE(error || '; ', '') || 'the delivering process stopped mid-send: outcome unknown', updated_at = $1
       WHERE direction = 'out' AND status = 'sending' AND next_attempt_at < $1 AND on_wire_at IS NOT NULL RETURNING *`,
      [now],
    );
    return rows.map(toMessage);
  }

  async findOutbound(id: string): Promise<StoredMessage | undefined> {
    const { rows } = await this.db.query<MessageRow>(`SELECT * FROM messages WHERE id = $1 AND direction = 'out'`, [id]);
    return rows[0] && toMessage(rows[0]);
  }

  async repliesTo(inboundId: string): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE in_reply_to = $1 AND direction = 'out' ORDER BY seq`,
      [inboundId],
    );
    return rows.map(toMessage);
  }

  /** The latest `limit` messages of a conversation, oldest first. */
  async history(conversationId: string, limit = 50): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT * FROM (
         SELECT * FROM messages WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
       ) latest ORDER BY seq`,
      [conversationId, limit],
    );
    return rows.map(toMessage);
  }

  /** Inbound messages still waiting for an answer since before `before` (crash recovery). */
  async unanswered(before: number, limit = 100): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE direction = 'in' AND status = 'received' AND created_at < $1
       ORDER BY seq LIMIT $2`,
      [new Date(before), limit],
    );
    return rows.map(toMessage);
  }

  /** Outbound messages still waiting for the outbox, stored before `before`. */
  async undelivered(before: number, limit = 100): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE direction = 'out' AND status = 'pending' AND created_at < $1 ORDER BY seq LIMIT $2`,
      [new Date(before), limit],
    );
    return rows.map(toMessage);
  }

  async count(conversationId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1',
      [conversationId],
    );
    return rows[0]?.n ?? 0;
  }
}
