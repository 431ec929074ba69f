import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { Database } from './database.js';

export interface SandboxDnsZone {
  id: string;
  /** The zone's apex, lower case, no trailing dot. */
  name: string;
  /** The SOA serial: raised by every change to the zone's records. */
  serial: number;
  createdAt: number;
}

export interface SandboxDnsRecord {
  id: string;
  zoneId: string;
  type: string;
  /** Full name, lower case, no trailing dot. */
  name: string;
  content: string;
  ttl: number;
  priority: number | null;
}

export type NewSandboxDnsRecord = Omit<SandboxDnsRecord, 'id' | 'zoneId'>;

interface ZoneRow {
  id: string;
  name: string;
  serial: number;
  created_at: Date;
}

interface RecordRow {
  id: string;
  created_at: Date;
  zone_id: string;
  type: string;
  name: string;
  content: string;
  ttl: number;
  priority: number | null;
}

const toZone = (r: ZoneRow): SandboxDnsZone => ({ id: r.id, name: r.name, serial: r.serial, createdAt: r.created_at.getTime() });
const toRecord = (r: RecordRow): SandboxDnsRecord => ({
  id: r.id,
  zoneId: r.zone_id,
  type: r.type,
  name: r.name,
  content: r.content,
  ttl: r.ttl,
  priority: r.priority,
});

/**
 * The sandbox DNS provider's zones and records (migration 9). The sandbox provider writes here and the
 * sandbox name server reads here, so what a chat adds is what a real DNS query answers.
 */
export class SandboxDnsRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async findZone(name: string): Promise<SandboxDnsZone | undefined> {
    const { rows } = await this.db.query<ZoneRow>('SELECT * FROM sandbox_dns_zones WHERE name = $1', [name.toLowerCase()]);
    return rows[0] && toZone(rows[0]);
  }

  async zoneById(id: string): Promise<SandboxDnsZone | undefined> {
    const { rows } = await this.db.query<ZoneRow>('SELECT * FROM sandbox_dns_zones WHERE id = $1', [id]);
    return rows[0] && toZone(rows[0]);
  }

  /**
   * Everything the name server needs to answer for `name`, in one query: the zone it falls in (the
   * longest apex that is `name` or a parent of it), the records at `name`, the records of the wildcard
   * `*.<parent>` beside it, and whether any name lies below `name` (then it exists with no data).
   */
  async lookup(name: string): Promise<{ zone: SandboxDnsZone; records: SandboxDnsRecord[]; wildcard: SandboxDnsRecord[]; below: boolean } | undefined> {
    const lower = name.toLowerCase();
    const labels = lower.split('.');
    const candidates = labels.map((_, i) => labels.slice(i).join('.'));
    const wildcard = labels.length > 1 ? `*.${labels.slice(1).join('.')}` : null;
    const { rows } = await this.db.query<ZoneRow & { records: RecordRow[] | null; below: boolean }>(
      `SELECT z.*,
         (SELECT json_agg(r ORDER BY r.created_at, r.id) FROM sandbox_dns_records r WHERE r.zone_id = z.id AND (r.name = $2 OR r.name = $3)) AS records,
         EXISTS (SELECT 1 FROM sandbox_dns_records r WHERE r.zone_id = z.id AND right(r.name, $4) = $5) AS below
       FROM sandbox_dns_zones z WHERE z.name = ANY($1::text[]) ORDER BY length(z.name) DESC LIMIT 1`,
      [candidates, lower, wildcard, lower.length + 1, `.${lower}`],
    );
    const row = rows[0];
    if (!row) return undefined;
    const all = (row.records ?? []).map((r) => toRecord({ ...r, created_at: new Date(r.created_at) }));
    return {
      zone: toZone({ ...row, created_at: new Date(row.created_at) }),
      records: all.filter((r) => r.name === lower),
      wildcard: all.filter((r) => r.name === wildcard),
      below: row.below,
    };
  }

  /** The zone, created when it does not exist yet (two callers at once get the same zone). */
  async ensureZone(name: string): Promise<SandboxDnsZone> {
    const { rows } = await this.db.query<ZoneRow>(
      `INSERT INTO sandbox_dns_zones (id, name, serial, created_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING *`,
      [randomUUID(), name.toLowerCase(), new Date(this.clock.now())],
    );
    return toZone(rows[0]!);
  }

  async listRecords(zoneId: string, filter: { type?: string; name?: string } = {}): Promise<SandboxDnsRecord[]> {
    const { rows } = await this.db.query<RecordRow>(
      `SELECT * FROM sandbox_dns_records WHERE zone_id = $1 AND ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR name = $3)
       ORDER BY name, type, created_at, id`,
      [zoneId, filter.type ?? null, filter.name?.toLowerCase() ?? null],
    );
    return rows.map(toRecord);
  }

  async findRecord(zoneId: string, id: string): Promise<SandboxDnsRecord | undefined> {
    const { rows } = await this.db.query<RecordRow>('SELECT * FROM sandbox_dns_records WHERE zone_id = $1 AND id = $2', [zoneId, id]);
    return rows[0] && toRecord(rows[0]);
  }

  async createRecord(zoneId: string, record: NewSandboxDnsRecord): Promise<SandboxDnsRecord> {
    return this.db.transaction(async (tx) => {
      const now = new Date(this.clock.now());
      const { rows } = await tx.query<RecordRow>(
        `INSERT INTO sandbox_dns_records (id, zone_id, type, name, content, ttl, priority, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING *`,
        [randomUUID(), zoneId, record.type, record.name.toLowerCase(), record.content, record.ttl, record.priority, now],
      );
      await tx.query('UPDATE sandbox_dns_zones SET serial = serial + 1 WHERE id = $1', [zoneId]);
      return toRecord(rows[0]!);
    });
  }

  /** Replaces a record's data; undefined when it is not (or no longer) in the zone. */
  async updateRecord(zoneId: string, id: string, record: NewSandboxDnsRecord): Promise<SandboxDnsRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<RecordRow>(
        `UPDATE sandbox_dns_records SET type = $3, name = $4, content = $5, ttl = $6, priority = $7, updated_at = $8
         WHERE zone_id = $1 AND id = $2 RETURNING *`,
        [zoneId, id, record.type, record.name.toLowerCase(), record.content, record.ttl, record.priority, new Date(this.clock.now())],
      );
      if (rows[0]) await tx.query('UPDATE sandbox_dns_zones SET serial = serial + 1 WHERE id = $1', [zoneId]);
      return rows[0] && toRecord(rows[0]);
    });
  }

  /** Removes a record; false when it was not there. */
  async deleteRecord(zoneId: string, id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query('DELETE FROM sandbox_dns_records WHERE zone_id = $1 AND id = $2', [zoneId, id]);
      if (rowCount) await tx.query('UPDATE sandbox_dns_zones SET serial = serial + 1 WHERE id = $1', [zoneId]);
      return Boolean(rowCount);
    });
  }
}
