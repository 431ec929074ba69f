import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { Database } from './database.js';

/**
 * pending → verified (the TXT token is on every authoritative name server) → active (every record is) |
 * failed (not seen in time, or the watch was stopped) | replaced (the domain was mapped again).
 */
export type DomainMappingState = 'pending' | 'verified' | 'active' | 'failed' | 'replaced';
export const OPEN_MAPPING_STATES: readonly DomainMappingState[] = ['pending', 'verified'];

/** One record a mapping wants on the name servers. `name` is the full name. */
export interface MappedRecord {
  type: 'A' | 'AAAA' | 'CNAME' | 'TXT';
  name: string;
  content: string;
}

/** What one name server answered for one wanted record: its values, or why there were none. */
export interface ServerAnswer {
  /** How the server is named in replies: `ns1.example.net (192.0.2.1)` or `127.0.0.1:5353`. */
  server: string;
  values: string[];
  /** `no such name`, `no record of this type`, `timed out`, `refused`…; absent when it answered values. */
  problem?: string;
}

/** One check of every wanted record on every server, as stored with the mapping. */
export interface DomainCheckSummary {
  at: number;
  /** Servers that answered every wanted record with its value. */
  seenOn: number;
  servers: string[];
  records: (MappedRecord & { answers: ServerAnswer[] })[];
  /** Why no server could be asked (the zone's name servers unknown, none resolvable). */
  problem?: string;
}

export interface DomainMapping {
  id: string;
  domain: string;
  app: string;
  env: string;
  dnsProvider: string;
  zoneId: string;
  zoneName: string;
  records: MappedRecord[];
  token: string;
  state: DomainMappingState;
  reason: string | null;
  lastCheck: DomainCheckSummary | null;
  checks: number;
  watchJobId: string | null;
  watchUntil: number;
  notified: DomainMappingState | null;
  requestedBy: string;
  conversationId: string | null;
  idempotencyKey: string;
  createdAt: number;
  updatedAt: number;
  verifiedAt: number | null;
  activeAt: number | null;
  endedAt: number | null;
}

export type NewDomainMapping = Pick<
  DomainMapping,
  'domain' | 'app' | 'env' | 'dnsProvider' | 'zoneId' | 'zoneName' | 'records' | 'token' | 'watchUntil' | 'requestedBy' | 'conversationId' | 'idempotencyKey'
>;

interface Row {
  id: string;
  domain: string;
  app: string;
  env: string;
  dns_provider: string;
  zone_id: string;
  zone_name: string;
  records: MappedRecord[];
  token: string;
  state: DomainMappingState;
  reason: string | null;
  last_check: DomainCheckSummary | null;
  checks: number;
  watch_job_id: string | null;
  watch_until: Date;
  notified: DomainMappingState | null;
  requested_by: string;
  conversation_id: string | null;
  idempotency_key: string;
  created_at: Date;
  updated_at: Date;
  verified_at: Date | null;
  active_at: Date | null;
  ended_at: Date | null;
}

const toMapping = (r: Row): DomainMapping => ({
  id: r.id,
  domain: r.domain,
  app: r.app,
  env: r.env,
  dnsProvider: r.dns_provider,
  zoneId: r.zone_id,
  zoneName: r.zone_name,
  records: r.records,
  token: r.token,
  state: r.state,
  reason: r.reason,
  lastCheck: r.last_check,
  checks: r.checks,
  watchJobId: r.watch_job_id,
  watchUntil: r.watch_until.getTime(),
  notified: r.notified,
  requestedBy: r.requested_by,
  conversationId: r.conversation_id,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at.getTime(),
  updatedAt: r.updated_at.getTime(),
  verifiedAt: r.verified_at?.getTime() ?? null,
  activeAt: r.active_at?.getTime() ?? null,
  endedAt: r.ended_at?.getTime() ?? null,
});

/**
 * Domain mappings (tools/domains): which app and environment a domain points at, the records and TXT
 * token written for it, and what the name servers answered at the last check. State changes are
 * conditional updates, so the watch job, `domain.verify` and a restart never move a mapping backwards.
 */
export class DomainMappingRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Stores a new mapping; the same idempotency key twice returns the first one (`created: false`). */
  async create(mapping: NewDomainMapping): Promise<{ mapping: DomainMapping; created: boolean }> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Row>(
      `INSERT INTO domain_mappings (id, domain, app, env, dns_provider, zone_id, zone_name, records, token, state, watch_until,
         requested_by, conversation_id, idempotency_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12, $13, $14, $14)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      [
        randomUUID(),
        mapping.domain,
        mapping.app,
        mapping.env,
        mapping.dnsProvider,
        mapping.zoneId,
        mapping.zoneName,
        JSON.stringify(mapping.records),
        mapping.token,
        new Date(mapping.watchUntil),
        mapping.requestedBy,
        mapping.conversationId,
        mapping.idempotencyKey,
        now,
      ],
    );
    if (rows[0]) return { mapping: toMapping(rows[0]), created: true };
    const existing = await this.db.query<Row>('SELECT * FROM domain_mappings WHERE idempotency_key = $1', [mapping.idempotencyKey]);
    return { mapping: toMapping(existing.rows[0]!), created: false };
  }

  async get(id: string): Promise<DomainMapping | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM domain_mappings WHERE id = $1', [id]);
    return rows[0] ? toMapping(rows[0]) : undefined;
  }

  /** The domain's mapping: its newest row. */
  async latestFor(domain: string): Promise<DomainMapping | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM domain_mappings WHERE domain = $1 ORDER BY created_at DESC, id LIMIT 1', [domain]);
    return rows[0] ? toMapping(rows[0]) : undefined;
  }

  /** Every domain's newest mapping, newest first. */
  async list(limit = 100): Promise<DomainMapping[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM (SELECT DISTINCT ON (domain) * FROM domain_mappings ORDER BY domain, created_at DESC, id) latest
       ORDER BY created_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toMapping);
  }

  /** Mappings still being watched for (pending or verified), oldest first. */
  async open(): Promise<DomainMapping[]> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM domain_mappings WHERE state IN ('pending', 'verified') ORDER BY created_at`);
    return rows.map(toMapping);
  }

  /** Mappings that ended (active or failed) whose outcome was not told yet. */
  async untold(): Promise<DomainMapping[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM domain_mappings WHERE state IN ('active', 'failed') AND notified IS DISTINCT FROM state ORDER BY created_at`,
    );
    return rows.map(toMapping);
  }

  async setWatchJob(id: string, jobId: string): Promise<void> {
    await this.db.query('UPDATE domain_mappings SET watch_job_id = $2, updated_at = $3 WHERE id = $1', [id, jobId, new Date(this.clock.now())]);
  }

  /**
   * Stores a check and the state it leads to, only from `from` states (a replaced or ended mapping is
   * not moved by a late check). Returns the mapping as it is now, or undefined when it was in no `from` state.
   */
  async recordCheck(id: string, check: DomainCheckSummary, to: DomainMappingState, from: readonly DomainMappingState[]): Promise<DomainMapping | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Row>(
      `UPDATE domain_mappings SET last_check = $2, checks = checks + 1, state = $3, updated_at = $4,
         verified_at = CASE WHEN $3 IN ('verified', 'active') THEN COALESCE(verified_at, $4) ELSE verified_at END,
         active_at = CASE WHEN $3 = 'active' THEN COALESCE(active_at, $4) ELSE active_at END,
         ended_at = CASE WHEN $3 IN ('pending', 'verified') THEN NULL ELSE COALESCE(ended_at, $4) END,
         reason = CASE WHEN $3 IN ('failed', 'replaced') THEN reason ELSE NULL END
       WHERE id = $1 AND state = ANY($5) RETURNING *`,
      [id, JSON.stringify(check), to, now, [...from]],
    );
    return rows[0] ? toMapping(rows[0]) : undefined;
  }

  /** Ends an open mapping as failed with a reason a person can read; undefined when it was not open. */
  async fail(id: string, reason: string): Promise<DomainMapping | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Row>(
      `UPDATE domain_mappings SET state = 'failed', reason = $2, ended_at = $3, updated_at = $3
       WHERE id = $1 AND state IN ('pending', 'verified') RETURNING *`,
      [id, reason, now],
    );
    return rows[0] ? toMapping(rows[0]) : undefined;
  }

  /** The domain's other mappings that were not over yet become `replaced`; returns them (their watches stop). */
  async replaceOthers(domain: string, keepId: string, reason: string): Promise<DomainMapping[]> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Row>(
      `UPDATE domain_mappings SET state = 'replaced', reason = $3, ended_at = COALESCE(ended_at, $4), updated_at = $4
       WHERE domain = $1 AND id <> $2 AND state IN ('pending', 'verified', 'active') RETURNING *`,
      [domain, keepId, reason, now],
    );
    return rows.map(toMapping);
  }

  /** Marks `state` told; false when it was already (so it is told once). */
  async markTold(id: string, state: DomainMappingState): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE domain_mappings SET notified = $2 WHERE id = $1 AND state = $2 AND notified IS DISTINCT FROM $2',
      [id, state],
    );
    return (rowCount ?? 0) > 0;
  }
}
