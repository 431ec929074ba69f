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
  {
    version: 2,
    name: 'confirmations, tool runs, pairing requests, tasks',
    sql: `
      -- A risky action waiting for its typed phrase. Durable: a restart between request and
      -- confirmation loses nothing. The stored params (and their hash) are what runs.
      CREATE TABLE confirmations (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations (id),
        requester_id uuid NOT NULL REFERENCES people (id),
        action text NOT NULL,
        params jsonb NOT NULL,
        params_hash text NOT NULL,
        risk text NOT NULL CHECK (risk IN ('risky', 'critical')),
        phrase text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'consumed', 'cancelled', 'expired', 'superseded')),
        wrong_attempts integer NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        confirmed_by uuid REFERENCES people (id),
        confirmed_at timestamptz,
        -- The inbound message that confirmed it: a replay of that same message is recognised.
        confirmed_by_message uuid,
        consumed_at timestamptz,
        closed_reason text
      );
      CREATE INDEX confirmations_open ON confirmations (conversation_id) WHERE status IN ('pending', 'confirmed');

      -- One row per executed action, keyed by its idempotency key: a retried job never acts twice.
      CREATE TABLE tool_runs (
        idempotency_key text PRIMARY KEY,
        action text NOT NULL,
        params jsonb NOT NULL,
        actor_id uuid REFERENCES people (id),
        conversation_id uuid,
        confirmation_id uuid REFERENCES confirmations (id),
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        result jsonb,
        error text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz
      );

      CREATE TABLE pairing_requests (
        code text PRIMARY KEY,
        channel text NOT NULL,
        external_id text NOT NULL,
        person_id uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'expired')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        approved_by uuid REFERENCES people (id),
        approved_role text REFERENCES roles (name),
        approved_at timestamptz
      );
      CREATE UNIQUE INDEX pairing_one_pending ON pairing_requests (channel, external_id) WHERE status = 'pending';

      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        -- The short number people type ("done with task 12").
        number integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        title text NOT NULL,
        due_at timestamptz,
        assignee_id uuid REFERENCES people (id),
        created_by uuid NOT NULL REFERENCES people (id),
        conversation_id uuid REFERENCES conversations (id),
        crm_contact_id uuid,
        status text NOT NULL CHECK (status IN ('open', 'done', 'deleted')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        completed_at timestamptz,
        completed_by uuid REFERENCES people (id),
        deleted_at timestamptz,
        deleted_by uuid REFERENCES people (id),
        -- Set once, atomically, when the reminder is delivered: it fires once across instances and restarts.
        reminded_at timestamptz
      );
      CREATE INDEX tasks_assignee_open ON tasks (assignee_id) WHERE status = 'open';
      CREATE INDEX tasks_due_unreminded ON tasks (due_at) WHERE status = 'open' AND reminded_at IS NULL AND due_at IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'notification subscriptions and deliveries',
    sql: `
      -- A chat that asked for notifications ("notify me here when a production deploy fails").
      CREATE TABLE notification_subscriptions (
        conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
        events text[] NOT NULL,
        created_by uuid REFERENCES people (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      -- One row per (event, chat): an event reaches each subscribed chat once, whatever the number
      -- of instances; held-back and failed deliveries stay on record.
      CREATE TABLE notification_deliveries (
        event_id text NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        message_id uuid REFERENCES messages (id),
        status text NOT NULL CHECK (status IN ('delivering', 'sent', 'failed', 'rate_limited')),
        error text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, conversation_id)
      );
    `,
  },
  {
    version: 4,
    name: 'transcripts of voice notes',
    sql: `
      -- What a voice note said, as the transcriber heard it: machine-made and untrusted (it never confirms).
      ALTER TABLE messages ADD COLUMN transcript text;
      ALTER TABLE messages ADD COLUMN transcript_meta jsonb;
    `,
  },
  {
    version: 5,
    name: 'delivery outbox: attempts, next attempt, claim owner, unknown outcomes',
    sql: `
      -- Outbound rows are the outbox (bot/outbox): pending -> sending -> sent | failed | unknown.
      -- 'sending' carries a lease (next_attempt_at); a lease that runs out means the platform may or may not
      -- have accepted the message, so the row becomes 'unknown' and is never sent blindly again.
      ALTER TABLE messages ADD COLUMN attempts integer NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN next_attempt_at timestamptz;
      ALTER TABLE messages ADD COLUMN claimed_by text;
      CREATE INDEX messages_outbox ON messages (conversation_id, seq) WHERE direction = 'out' AND status IN ('pending', 'sending');

      ALTER TABLE notification_deliveries DROP CONSTRAINT IF EXISTS notification_deliveries_status_check;
      ALTER TABLE notification_deliveries ADD CONSTRAINT notification_deliveries_status_check
        CHECK (status IN ('delivering', 'sent', 'failed', 'rate_limited', 'unknown'));
    `,
  },
  {
    version: 6,
    name: 'jobs (builds, deploys, rollbacks): records, locks that name their holder, bounded logs',
    sql: `
      -- tools/jobs: queued -> running -> succeeded | failed | cancelled | interrupted, in PostgreSQL whether the
      -- work runs in-process or on BullMQ workers. A running job holds a lease its worker keeps extending;
      -- a lease that runs out means the worker died, and the job is marked instead of being run again.
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        params jsonb NOT NULL,
        result jsonb,
        error jsonb,
        -- A person id, or 'cli' / 'system': text, so no foreign key.
        requested_by text NOT NULL,
        conversation_id text,
        idempotency_key text NOT NULL UNIQUE,
        lock_key text,
        lock_label text,
        steps jsonb NOT NULL DEFAULT '[]',
        worker_id text,
        lease_until timestamptz,
        cancel_requested_at timestamptz,
        cancel_requested_by text,
        log_lines integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        ended_at timestamptz
      );
      CREATE INDEX jobs_created ON jobs (created_at DESC);
      CREATE INDEX jobs_active ON jobs (status, created_at) WHERE status IN ('queued', 'running');
      CREATE INDEX jobs_lock_key ON jobs (lock_key, created_at) WHERE lock_key IS NOT NULL;

      -- One job per lock key (e.g. deploy:soarix-web:production). Alive while its job is queued, or running
      -- with a lease in the future; when it dies it passes to the oldest job queued behind it.
      CREATE TABLE job_locks (
        lock_key text PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        requested_by text NOT NULL,
        label text,
        since timestamptz NOT NULL
      );

      -- The last lines of each job's log (bounded per job by the runner).
      CREATE TABLE job_logs (
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        n integer NOT NULL,
        at timestamptz NOT NULL,
        line text NOT NULL,
        PRIMARY KEY (job_id, n)
      );
    `,
  },
  {
    version: 7,
    name: 'delivery outbox: a claimed row is not on the wire until the send starts',
    sql: `
      -- A row claimed ('sending') whose process died before it called the platform was never sent: its
      -- lease running out puts it back to 'pending'. Only a row whose send had started (on_wire_at set
      -- just before the platform call) becomes 'unknown' when its lease runs out.
      ALTER TABLE messages ADD COLUMN on_wire_at timestamptz;
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
