import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Role } from '../../core/roles.js';
import type { Database, Queryable } from './database.js';

export interface Person {
  id: string;
  displayName: string | null;
  role: Role;
  timezone: string | null;
  preferredChannel: string | null;
  createdAt: number;
}

export interface Identity {
  channel: string;
  externalId: string;
  displayName: string | null;
}

export interface PersonWithIdentities extends Person {
  identities: Identity[];
}

export interface PersonRow {
  id: string;
  display_name: string | null;
  role: Role;
  timezone: string | null;
  preferred_channel: string | null;
  created_at: Date;
}

export const toPerson = (row: PersonRow): Person => ({
  id: row.id,
  displayName: row.display_name,
  role: row.role,
  timezone: row.timezone,
  preferredChannel: row.preferred_channel,
  createdAt: row.created_at.getTime(),
});

/** People, the identities they have on each channel, and their roles. */
export class PeopleRepo {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async findByIdentity(channel: string, externalId: string, q: Queryable = this.db): Promise<Person | undefined> {
    const { rows } = await q.query<PersonRow>(
      `SELECT p.* FROM people p JOIN identities i ON i.person_id = p.id WHERE i.channel = $1 AND i.external_id = $2`,
      [channel, externalId],
    );
    return rows[0] && toPerson(rows[0]);
  }

  async findById(id: string): Promise<Person | undefined> {
    const { rows } = await this.db.query<PersonRow>('SELECT * FROM people WHERE id = $1', [id]);
    return rows[0] && toPerson(rows[0]);
  }

  /**
   * The person behind a channel identity, created with `defaultRole` on first sight.
   * Safe when two messages from a new person arrive at once: one insert wins, both get the same person.
   */
  async resolve(channel: string, externalId: string, displayName: string | undefined, defaultRole: Role): Promise<Person> {
    const existing = await this.findByIdentity(channel, externalId);
    if (existing) {
      // Granted a role before they first wrote: learn their name now.
      if (!existing.displayName && displayName) {
        await this.setDisplayName(existing.id, displayName);
        return { ...existing, displayName };
      }
      return existing;
    }
    return this.db.transaction(async (tx) => {
      const now = new Date(this.clock.now());
      const id = randomUUID();
      await tx.query(
        `INSERT INTO people (id, display_name, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
        [id, displayName ?? null, defaultRole, now],
      );
      const inserted = await tx.query(
        `INSERT INTO identities (channel, external_id, person_id, display_name, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, external_id) DO NOTHING`,
        [channel, externalId, id, displayName ?? null, now],
      );
      if (inserted.rowCount === 0) await tx.query('DELETE FROM people WHERE id = $1', [id]);
      const person = await this.findByIdentity(channel, externalId, tx);
      if (!person) throw new Error(`identity ${channel}:${externalId} vanished while being created`);
      return person;
    });
  }

  /** Gives the person behind `channel:externalId` a role, creating the person if needed. */
  async grant(channel: string, externalId: string, role: Role): Promise<Person> {
    const person = await this.resolve(channel, externalId, undefined, role);
    if (person.role === role) return person;
    const { rows } = await this.db.query<PersonRow>(
      'UPDATE people SET role = $2, updated_at = $3 WHERE id = $1 RETURNING *',
      [person.id, role, new Date(this.clock.now())],
    );
    return toPerson(rows[0]!);
  }

  /**
   * People whose display name is `name`, or starts with it as a first name ("Priya" finds
   * "Priya Shah"), ignoring case. Strangers (role unknown) are left out.
   */
  async findByName(name: string): Promise<Person[]> {
    const trimmed = name.trim();
    if (!trimmed) return [];
    const { rows } = await this.db.query<PersonRow>(
      `SELECT * FROM people WHERE role <> 'unknown' AND (lower(display_name) = lower($1) OR lower(display_name) LIKE lower($2))
       ORDER BY created_at LIMIT 5`,
      [trimmed, `${trimmed.replace(/[%_\\]/g, (c) => `\\${c}`)} %`],
    );
    return rows.map(toPerson);
  }

  /**
   * Team members (not strangers, not clients) whose first name is one of the words of `text`: who a
   * message may be naming ("remind Bob and Priya to…"). One indexed query whatever the number of
   * people (migration 14), instead of reading everyone on every turn.
   */
  async staffNamedIn(text: string): Promise<Person[]> {
    const words = [...new Set(text.toLowerCase().match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [])].slice(0, 64);
    if (words.length === 0) return [];
    const { rows } = await this.db.query<PersonRow>(
      `SELECT * FROM people
       WHERE lower(split_part(display_name, ' ', 1)) = ANY($1::text[]) AND role NOT IN ('unknown', 'client')
       ORDER BY created_at LIMIT 100`,
      [words],
    );
    return rows.map(toPerson);
  }

  async setDisplayName(id: string, displayName: string): Promise<void> {
    await this.db.query('UPDATE people SET display_name = $2, updated_at = $3 WHERE id = $1', [id, displayName, new Date(this.clock.now())]);
  }

  /**
   * Makes `secondary` an identity of the person behind `primary` (created as `unknown` if new). If
   * `secondary` already belonged to someone else, that person is merged in: their messages, tasks,
   * confirmations and other identities move over, and the primary person's role is kept.
   */
  async link(primary: { channel: string; externalId: string }, secondary: { channel: string; externalId: string }): Promise<PersonWithIdentities> {
    const target = await this.resolve(primary.channel, primary.externalId, undefined, 'unknown');
    await this.db.transaction(async (tx) => {
      const other = await this.findByIdentity(secondary.channel, secondary.externalId, tx);
      const now = new Date(this.clock.now());
      if (!other) {
        await tx.query(
          `INSERT INTO identities (channel, external_id, person_id, created_at) VALUES ($1, $2, $3, $4)`,
          [secondary.channel, secondary.externalId, target.id, now],
        );
        return;
      }
      if (other.id === target.id) return;
      const moves: [string, string][] = [
        ['messages', 'person_id'],
        ['tasks', 'assignee_id'],
        ['tasks', 'created_by'],
        ['tasks', 'completed_by'],
        ['tasks', 'deleted_by'],
        ['confirmations', 'requester_id'],
        ['confirmations', 'confirmed_by'],
        ['tool_runs', 'actor_id'],
        ['pairing_requests', 'person_id'],
        ['pairing_requests', 'approved_by'],
        ['notification_subscriptions', 'created_by'],
        ['identities', 'person_id'],
      ];
      for (const [table, column] of moves) await tx.query(`UPDATE ${table} SET ${column} = $1 WHERE ${column} = $2`, [target.id, other.id]);
      await tx.query(
        `UPDATE people SET display_name = COALESCE(display_name, $2), timezone = COALESCE(timezone, $3), updated_at = $4 WHERE id = $1`,
        [target.id, other.displayName, other.timezone, now],
      );
      await tx.query('DELETE FROM people WHERE id = $1', [other.id]);
    });
    const linked = (await this.list()).find((p) => p.id === target.id);
    return linked!;
  }

  /** Where proactive messages (reminders) go first: one of the person's channels. */
  async setPreferredChannel(personId: string, channel: string | null): Promise<void> {
    await this.db.query('UPDATE people SET preferred_channel = $2, updated_at = $3 WHERE id = $1', [personId, channel, new Date(this.clock.now())]);
  }

  async identitiesOf(personId: string): Promise<Identity[]> {
    const { rows } = await this.db.query<{ channel: string; external_id: string; display_name: string | null }>(
      'SELECT channel, external_id, display_name FROM identities WHERE person_id = $1 ORDER BY created_at',
      [personId],
    );
    return rows.map((r) => ({ channel: r.channel, externalId: r.external_id, displayName: r.display_name }));
  }

  /**
   * The people with one of `roles` (the owners and admins to tell about a failed delivery or a client's
   * hand-off), at most `limit`: one indexed query, not a read of everyone (bench:scale found it).
   */
  async withRoles(roles: readonly Role[], limit = 50): Promise<Person[]> {
    const { rows } = await this.db.query<PersonRow>(
      `SELECT p.* FROM people p JOIN roles r ON r.name = p.role WHERE p.role = ANY($1::text[]) ORDER BY r.rank, p.created_at, p.id LIMIT $2`,
      [roles, limit],
    );
    return rows.map(toPerson);
  }

  async list(): Promise<PersonWithIdentities[]> {
    const { rows } = await this.db.query<PersonRow & { identities: Identity[] | null }>(
      `SELECT p.*, (
         SELECT json_agg(json_build_object('channel', i.channel, 'externalId', i.external_id, 'displayName', i.display_name)
                         ORDER BY i.channel, i.external_id)
         FROM identities i WHERE i.person_id = p.id
       ) AS identities
       FROM people p JOIN roles r ON r.name = p.role
       ORDER BY r.rank, p.created_at, p.id`,
    );
    return rows.map((row) => ({ ...toPerson(row), identities: row.identities ?? [] }));
  }
}
