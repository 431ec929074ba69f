import type { Clock } from '../../core/clock.js';
import type { Role } from '../../core/roles.js';
import type { Database } from './database.js';

export interface PairingRequest {
  code: string;
  channel: string;
  externalId: string;
  personId: string;
  status: 'pending' | 'approved' | 'expired';
  createdAt: number;
  expiresAt: number;
}

interface Row {
  code: string;
  channel: string;
  external_id: string;
  person_id: string;
  status: PairingRequest['status'];
  created_at: Date;
  expires_at: Date;
}

const toRequest = (r: Row): PairingRequest => ({
  code: r.code,
  channel: r.channel,
  externalId: r.external_id,
  personId: r.person_id,
  status: r.status,
  createdAt: r.created_at.getTime(),
  expiresAt: r.expires_at.getTime(),
});

export class PairingRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Marks every pending request past its expiry as expired. */
  async expireOld(): Promise<void> {
    await this.db.query(`UPDATE pairing_requests SET status = 'expired' WHERE status = 'pending' AND expires_at <= $1`, [
      new Date(this.clock.now()),
    ]);
  }

  async findPending(channel: string, externalId: string): Promise<PairingRequest | undefined> {
    await this.expireOld();
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM pairing_requests WHERE channel = $1 AND external_id = $2 AND status = 'pending'`,
      [channel, externalId],
    );
    return rows[0] && toRequest(rows[0]);
  }

  async findByCode(code: string): Promise<PairingRequest | undefined> {
    await this.expireOld();
    const { rows } = await this.db.query<Row>('SELECT * FROM pairing_requests WHERE code = $1', [code]);
    return rows[0] && toRequest(rows[0]);
  }

  async countPending(channel: string): Promise<number> {
    await this.expireOld();
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pairing_requests WHERE channel = $1 AND status = 'pending'`,
      [channel],
    );
    return rows[0]?.n ?? 0;
  }

  /** Creates a request unless one is pending for this identity (then returns that one). */
  async create(input: { code: string; channel: string; externalId: string; personId: string; ttlMs: number }): Promise<PairingRequest> {
    const now = this.clock.now();
    const { rows } = await this.db.query<Row>(
      `INSERT INTO pairing_requests (code, channel, external_id, person_id, status, created_at, expires_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6)
       ON CONFLICT (channel, external_id) WHERE status = 'pending' DO NOTHING RETURNING *`,
      [input.code, input.channel, input.externalId, input.personId, new Date(now), new Date(now + input.ttlMs)],
    );
    if (rows[0]) return toRequest(rows[0]);
    return (await this.findPending(input.channel, input.externalId))!;
  }

  /** Approves a pending, unexpired request once; undefined when there is no such request. */
  async approve(code: string, role: Role, approvedBy: string | null): Promise<PairingRequest | undefined> {
    const now = new Date(this.clock.now());
    const { rows } = await this.db.query<Row>(
      `UPDATE pairing_requests SET status = 'approved', approved_role = $2, approved_by = $3, approved_at = $4
       WHERE code = $1 AND status = 'pending' AND expires_at > $4 RETURNING *`,
      [code, role, approvedBy, now],
    );
    return rows[0] && toRequest(rows[0]);
  }
}
