import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { Redactor } from '../../core/redact.js';
import type { Database } from './database.js';
import { GroupCommit } from './group-commit.js';

export interface AuditEntry {
  /** Who did it: a person id, `system`, or `channel:userId` for someone not yet known. */
  actor: string | null;
  /** What happened, e.g. `action.requested`, `confirmation.wrong`, `action.executed`. */
  action: string;
  conversationId?: string | null;
  data: Record<string, unknown>;
}

export interface AuditRecord extends Required<AuditEntry> {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  /** The first record whose hash or link does not hold. */
  brokenAt?: number;
  reason?: string;
}

const GENESIS = '0'.repeat(64);
/** Serialises appends so every record links to the one before it. */
const AUDIT_LOCK_KEY = 0x5b0a0d17;
/** Records written in one transaction at most. */
const MAX_GROUP = 200;

interface AuditRow {
  seq: number;
  at: Date;
  actor: string | null;
  action: string;
  conversation_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  /** The `data.erased` record that redacted this one's data (see `redact`), or null. */
  redacted_by: number | null;
}

/**
 * The append-only, hash-chained audit log. Each record's hash covers its content and the previous
 * record's hash, so changing or removing any record breaks every hash after it.
 */
export class AuditLog {
  private readonly redactor: Redactor;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    secrets: Iterable<string> = [],
  ) {
    this.redactor = new Redactor(secrets);
  }

  /**
   * Appends one record; resolves once it is committed. Appends are group-committed: those made while
   * a write is in flight go together in the next transaction (one lock, one read of the last hash, one
   * multi-row insert), chained in the order they were made. The global chain needs one writer at a
   * time; taking the lock once per group instead of once per record is what lets turns of different
   * conversations stop queueing behind each other (bench:telegram: 3 locks per turn became a fraction).
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return this.appends.add(entry);
  }

  private readonly appends = new GroupCommit<AuditEntry, AuditRecord>((entries) => this.writeGroup(entries), MAX_GROUP);

  private async writeGroup(group: AuditEntry[]): Promise<AuditRecord[]> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const { rows } = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      let prev = { seq: Number(rows[0]?.seq ?? 0), hash: rows[0]?.hash ?? GENESIS };
      const chained: AuditRecord[] = [];
      for (const entry of group) {
        const record = {
          seq: prev.seq + 1,
          at: new Date(this.clock.now()).toISOString(),
          actor: entry.actor,
          action: entry.action,
          conversationId: entry.conversationId ?? null,
          data: this.redactor.value(entry.data) as Record<string, unknown>,
          prevHash: prev.hash,
        };
        const hash = hashRecord(record);
        chained.push({ ...record, hash });
        prev = { seq: record.seq, hash };
      }
      // One statement for the group: unnest of parallel arrays keeps it a single round trip.
      await tx.query(
        `INSERT INTO audit_log (seq, at, actor, action, conversation_id, data, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[], $7::text[], $8::text[])`,
        [
          chained.map((r) => r.seq),
          chained.map((r) => r.at),
          chained.map((r) => r.actor),
          chained.map((r) => r.action),
          chained.map((r) => r.conversationId),
          chained.map((r) => JSON.stringify(r.data)),
          chained.map((r) => r.prevHash),
          chained.map((r) => r.hash),
        ],
      );
      return chained;
    });
  }

  /**
   * Erasure (tools/crm): every record whose data or actor matches one of `patterns` (PostgreSQL regular
   * expressions, case-insensitive)
   * has its data replaced by `{"erased": true}` (and such an actor by `erased`), and `entry` is appended
   * with the list of those records' seqs (`data.redacted`), in one transaction. `verify` accepts a
   * redacted record when a later record lists it; its links are still checked, and the listing record's
   * own hash covers the list, so redaction cannot be used to hide a change. `entry` must hold no personal data.
   */
  async redact(patterns: readonly string[], entry: AuditEntry): Promise<{ record: AuditRecord; redacted: number[] }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const { rows: hits } = patterns.length
        ? await tx.query<{ seq: number }>(
            `SELECT seq FROM audit_log WHERE redacted_by IS NULL AND (data::text ~* ANY($1::text[]) OR actor ~* ANY($1::text[])) ORDER BY seq`,
            [patterns],
          )
        : { rows: [] };
      const redacted = hits.map((h) => h.seq);
      const { rows } = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const prev = rows[0];
      const record = {
        seq: (prev?.seq ?? 0) + 1,
        at: new Date(this.clock.now()).toISOString(),
        actor: entry.actor,
        action: entry.action,
        conversationId: entry.conversationId ?? null,
        data: { ...(this.redactor.value(entry.data) as Record<string, unknown>), redacted },
        prevHash: prev?.hash ?? GENESIS,
      };
      const hash = hashRecord(record);
      await tx.query(
        `INSERT INTO audit_log (seq, at, actor, action, conversation_id, data, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [record.seq, record.at, record.actor, record.action, record.conversationId, record.data, record.prevHash, hash],
      );
      if (redacted.length) {
        await tx.query(
          `UPDATE audit_log SET data = '{"erased": true}'::jsonb, redacted_by = $2,
             actor = CASE WHEN actor ~* ANY($3::text[]) THEN 'erased' ELSE actor END
           WHERE seq = ANY($1::bigint[])`,
          [redacted, record.seq, patterns],
        );
      }
      return { record: { ...record, hash }, redacted };
    });
  }

  /** The last `limit` records, oldest first. */
  async tail(limit = 20): Promise<AuditRecord[]> {
    const { rows } = await this.db.query<AuditRow>(
      'SELECT * FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1) t ORDER BY seq',
      [limit],
    );
    return rows.map(toRecord);
  }

  async forConversation(conversationId: string): Promise<AuditRecord[]> {
    const { rows } = await this.db.query<AuditRow>('SELECT * FROM audit_log WHERE conversation_id = $1 ORDER BY seq', [
      conversationId,
    ]);
    return rows.map(toRecord);
  }

  /** Recomputes every hash and link, in pages, from the first record. */
  async verify(): Promise<AuditVerification> {
    // Which records each erasure says it redacted (its own hash, checked below, covers that list).
    const { rows: erasures } = await this.db.query<{ seq: number; redacted: number[] | null }>(
      `SELECT seq, data->'redacted' AS redacted FROM audit_log WHERE action = 'data.erased'`,
    );
    const redactedBy = new Map<number, number>();
    for (const e of erasures) for (const seq of e.redacted ?? []) redactedBy.set(seq, e.seq);
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let count = 0;
    for (;;) {
      const { rows } = await this.db.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 500', [
        expectedSeq,
      ]);
      for (const row of rows) {
        const record = toRecord(row);
        if (record.seq !== expectedSeq) return broken(count, record.seq, `record ${expectedSeq} is missing`);
        if (record.prevHash !== prevHash) return broken(count, record.seq, 'it does not link to the record before it');
        const { hash, ...content } = record;
        if ((row.redacted_by ?? null) !== null) {
          if (redactedBy.get(record.seq) !== row.redacted_by) return broken(count, record.seq, 'it was redacted without an erasure record listing it');
        } else if (hashRecord(content) !== hash) return broken(count, record.seq, 'its content does not match its hash');
        prevHash = hash;
        expectedSeq++;
        count++;
      }
      if (rows.length < 500) return { ok: true, records: count };
    }
  }
}

function broken(records: number, brokenAt: number, reason: string): AuditVerification {
  return { ok: false, records, brokenAt, reason: `record ${brokenAt}: ${reason}` };
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    conversationId: row.conversation_id,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** JSON with object keys sorted at every level, so the hash survives a round trip through jsonb. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
