import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { Redactor } from '../../core/redact.js';
import type { Database } from './database.js';

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

interface AuditRow {
  seq: number;
  at: Date;
  actor: string | null;
  action: string;
  conversation_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
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

  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const { rows } = await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const prev = rows[0];
      const record = {
        seq: (prev?.seq ?? 0) + 1,
        at: new Date(this.clock.now()).toISOString(),
        actor: entry.actor,
        action: entry.action,
        conversationId: entry.conversationId ?? null,
        data: this.redactor.value(entry.data) as Record<string, unknown>,
        prevHash: prev?.hash ?? GENESIS,
      };
      const hash = hashRecord(record);
      await tx.query(
        `INSERT INTO audit_log (seq, at, actor, action, conversation_id, data, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [record.seq, record.at, record.actor, record.action, record.conversationId, record.data, record.prevHash, hash],
      );
      return { ...record, hash };
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
        if (hashRecord(content) !== hash) return broken(count, record.seq, 'its content does not match its hash');
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
