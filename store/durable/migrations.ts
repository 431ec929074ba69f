import type { Database } from './database.js';

/**
 * Versioned schema migrations, applied in order, each in its own transaction, once.
 * Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'people, identities, roles, conversations, messages, audit log',
    sql: `
      CREATE TABLE roles (
        name text PRIMARY KEY,
        rank integer NOT NULL UNIQUE
      );
      INSERT INTO roles (name, rank) VALUES
        ('owner', 0), ('admin', 1), ('developer', 2), ('sales', 3), ('client', 4), ('unknown', 5);

      CREATE TABLE people (
        id uuid PRIMARY KEY,
        display_name text,
        role text NOT NULL DEFAULT 'unknown' REFERENCES roles (name),
        timezone text,
        preferred_channel text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      -- One person can be reached on several channels (Slack, Telegram, WhatsApp, web chat).
      CREATE TABLE identities (
        channel text NOT NULL,
        external_id text NOT NULL,
        person_id uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        display_name text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (channel, external_id)
      );
      CREATE INDEX identities_person ON identities (person_id);

      CREATE TABLE conversations (
        id uuid PRIMARY KEY,
        channel text NOT NULL,
        external_id text NOT NULL,
        thread text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        last_message_at timestamptz,
        UNIQUE (channel, external_id, thread)
      );

      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        -- Insertion order: history reads back in the order messages were stored.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        conversation_id uuid NOT NULL REFERENCES conversations (id),
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        -- inbound: the platform's message id (de-duplication key); outbound: the id the platform gave on send
        platform_message_id text,
        person_id uuid REFERENCES people (id),
        kind text NOT NULL CHECK (kind IN ('message', 'reply', 'notification')),
        text text NOT NULL,
        in_reply_to uuid REFERENCES messages (id),
        -- inbound: received | answered | failed; outbound: pending | sent | failed
        status text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        error text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX messages_inbound_once ON messages (conversation_id, platform_message_id) WHERE direction = 'in';
      CREATE INDEX messages_conversation_seq ON messages (conversation_id, seq);
      CREATE INDEX messages_unanswered ON messages (status) WHERE direction = 'in' AND status = 'received';

      -- Append-only; each record carries the hash of the one before it.
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text,
        action text NOT NULL,
        conversation_id uuid,
        data jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
    `,
  },
];

/** Serialises migrations across instances that start at the same time. */
const MIGRATION_LOCK_KEY = 0x5b0a7d;

/** Applies every pending migration; returns the versions applied now. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}
