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
  {
    version: 8,
    name: 'registered domains: what the agency bought, through which registrar; the sandbox registrar\'s account',
    sql: `
      -- tools/domains (domain.register): one row per domain bought, written after the registrar confirmed it.
      -- For the sandbox registrar these rows are its whole account. The idempotency key is the confirmation's
      -- (confirmation:<id>): a retried execution finds its row and buys nothing again.
      CREATE TABLE registered_domains (
        domain text PRIMARY KEY,
        registrar text NOT NULL,
        years integer NOT NULL CHECK (years BETWEEN 1 AND 10),
        cost_cents integer NOT NULL CHECK (cost_cents >= 0),
        renewal_cents integer NOT NULL CHECK (renewal_cents >= 0),
        currency text NOT NULL,
        premium boolean NOT NULL DEFAULT false,
        order_id text,
        idempotency_key text NOT NULL UNIQUE,
        registered_by text,
        conversation_id text,
        registered_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX registered_domains_registrar ON registered_domains (registrar, registered_at DESC);
    `,
  },
  {
    version: 9,
    name: 'sandbox DNS: zones and records the sandbox provider holds and its name server answers from',
    sql: `
      -- The sandbox DNS provider's zones (created on first use) and their records. The sandbox name server
      -- (tools/domains/dns/sandbox-name-server.ts) answers queries from these rows; \`serial\` is the SOA
      -- serial, raised by every change so a secondary could tell the zone moved.
      CREATE TABLE sandbox_dns_zones (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        serial integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE sandbox_dns_records (
        id uuid PRIMARY KEY,
        zone_id uuid NOT NULL REFERENCES sandbox_dns_zones (id) ON DELETE CASCADE,
        type text NOT NULL,
        -- Full name, lower case, no trailing dot: www.example.com, or example.com at the apex.
        name text NOT NULL,
        content text NOT NULL,
        ttl integer NOT NULL,
        priority integer,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX sandbox_dns_records_name ON sandbox_dns_records (name, type);
      CREATE INDEX sandbox_dns_records_zone ON sandbox_dns_records (zone_id);
    `,
  },
  {
    version: 10,
    name: 'domain mappings: a domain connected to an app, its records, its TXT token and what the name servers answer',
    sql: `
      -- tools/domains (domain.map, domain.verify, the domain.watch job): pending -> verified (the TXT token is
      -- seen on every authoritative name server) -> active (every record is) | failed (not seen in time) |
      -- replaced (the domain was mapped again). The newest row of a domain is its mapping.
      CREATE TABLE domain_mappings (
        id uuid PRIMARY KEY,
        domain text NOT NULL,
        app text NOT NULL,
        env text NOT NULL,
        dns_provider text NOT NULL,
        zone_id text NOT NULL,
        zone_name text NOT NULL,
        -- [{type, name, content}]: what the app's deployment needs, plus the TXT ownership token record.
        records jsonb NOT NULL,
        token text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'verified', 'active', 'failed', 'replaced')),
        reason text,
        -- The last check: when, "seen on N of M", and per record and server what was answered.
        last_check jsonb,
        checks integer NOT NULL DEFAULT 0,
        watch_job_id uuid,
        watch_until timestamptz NOT NULL,
        -- The state last told to the requester and subscribed chats (told once per state).
        notified text,
        -- A person id, or 'cli' / 'system': text, so no foreign key.
        requested_by text NOT NULL,
        conversation_id text,
        idempotency_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        verified_at timestamptz,
        active_at timestamptz,
        ended_at timestamptz
      );
      CREATE INDEX domain_mappings_domain ON domain_mappings (domain, created_at DESC);
      CREATE INDEX domain_mappings_open ON domain_mappings (created_at) WHERE state IN ('pending', 'verified');
    `,
  },
  {
    version: 11,
    name: 'CRM: contacts, companies, deals on a pipeline, notes, activities, tags, their links; accent- and typo-tolerant search',
    sql: `
      -- Search folds accents and case (unaccent) and tolerates small typos (pg_trgm). Both ship with
      -- PostgreSQL's contrib and with PGlite (loaded in open-embedded.ts); both are trusted extensions.
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE EXTENSION IF NOT EXISTS unaccent;
      -- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes it safe to
      -- declare IMMUTABLE, which generated columns and indexes need.
      CREATE FUNCTION crm_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $fold$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $fold$;

      CREATE TABLE crm_companies (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        doc text GENERATED ALWAYS AS (crm_fold(name)) STORED
      );
      CREATE INDEX crm_companies_doc ON crm_companies USING gin (doc gin_trgm_ops);

      CREATE TABLE crm_contacts (
        id uuid PRIMARY KEY,
        -- The short number people type ("merge contacts 3 and 7").
        number integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        name text NOT NULL,
        company_id uuid REFERENCES crm_companies (id) ON DELETE SET NULL,
        email text,
        -- E.164 (+14155550100), normalised with libphonenumber-js: one number, one spelling.
        phone text,
        need text,
        source text,
        -- The person this contact is when they also talk to the bot (a WhatsApp client).
        person_id uuid REFERENCES people (id) ON DELETE SET NULL,
        created_by text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        doc text GENERATED ALWAYS AS (crm_fold(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(need, ''))) STORED,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', crm_fold(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(need, '')))) STORED
      );
      CREATE INDEX crm_contacts_email ON crm_contacts (lower(email));
      CREATE INDEX crm_contacts_phone ON crm_contacts (phone);
      CREATE INDEX crm_contacts_company ON crm_contacts (company_id);
      CREATE INDEX crm_contacts_doc ON crm_contacts USING gin (doc gin_trgm_ops);
      CREATE INDEX crm_contacts_search ON crm_contacts USING gin (search);

      -- The channel identities (WhatsApp number, Telegram id, e-mail) a contact is known by.
      CREATE TABLE crm_contact_identities (
        channel text NOT NULL,
        external_id text NOT NULL,
        contact_id uuid NOT NULL REFERENCES crm_contacts (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (channel, external_id)
      );
      CREATE INDEX crm_contact_identities_contact ON crm_contact_identities (contact_id);

      -- Conversations a contact took part in (a client's WhatsApp chat that produced the lead).
      CREATE TABLE crm_contact_conversations (
        contact_id uuid NOT NULL REFERENCES crm_contacts (id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (contact_id, conversation_id)
      );

      -- Stages are the configured pipeline's (CRM_PIPELINE), so no CHECK here.
      CREATE TABLE crm_deals (
        id uuid PRIMARY KEY,
        number integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        title text NOT NULL,
        company_id uuid REFERENCES crm_companies (id) ON DELETE SET NULL,
        contact_id uuid REFERENCES crm_contacts (id) ON DELETE SET NULL,
        stage text NOT NULL,
        amount numeric(14, 2),
        currency text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        doc text GENERATED ALWAYS AS (crm_fold(title)) STORED,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', crm_fold(title))) STORED
      );
      CREATE INDEX crm_deals_company ON crm_deals (company_id);
      CREATE INDEX crm_deals_contact ON crm_deals (contact_id);
      CREATE INDEX crm_deals_doc ON crm_deals USING gin (doc gin_trgm_ops);

      CREATE TABLE crm_notes (
        id uuid PRIMARY KEY,
        contact_id uuid REFERENCES crm_contacts (id) ON DELETE CASCADE,
        company_id uuid REFERENCES crm_companies (id) ON DELETE CASCADE,
        deal_id uuid REFERENCES crm_deals (id) ON DELETE CASCADE,
        body text NOT NULL,
        author_id text,
        created_at timestamptz NOT NULL,
        doc text GENERATED ALWAYS AS (crm_fold(body)) STORED,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', crm_fold(body))) STORED
      );
      CREATE INDEX crm_notes_contact ON crm_notes (contact_id);
      CREATE INDEX crm_notes_search ON crm_notes USING gin (search);
      CREATE INDEX crm_notes_doc ON crm_notes USING gin (doc gin_trgm_ops);

      CREATE TABLE crm_activities (
        id uuid PRIMARY KEY,
        contact_id uuid REFERENCES crm_contacts (id) ON DELETE CASCADE,
        deal_id uuid REFERENCES crm_deals (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('call', 'message', 'meeting')),
        summary text NOT NULL,
        conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
        author_id text,
        at timestamptz NOT NULL
      );
      CREATE INDEX crm_activities_contact ON crm_activities (contact_id, at);

      -- Tags on contacts, companies and deals ("vip", "referral").
      CREATE TABLE crm_tags (
        record_kind text NOT NULL CHECK (record_kind IN ('contact', 'company', 'deal')),
        record_id uuid NOT NULL,
        tag text NOT NULL,
        PRIMARY KEY (record_kind, record_id, tag)
      );

      -- A task about a contact (tasks.crm_contact_id has existed since version 2, without a key).
      CREATE INDEX tasks_crm_contact ON tasks (crm_contact_id) WHERE crm_contact_id IS NOT NULL;

      -- Erasure keeps the audit chain verifiable: a record whose data held erased personal data has its
      -- data replaced and names the later erasure record that did it (whose own data lists the seqs it
      -- redacted); verify checks that pair and the links instead of the redacted record's content.
      ALTER TABLE audit_log ADD COLUMN redacted_by bigint;
    `,
  },
  {
    version: 12,
    name: 'client conversations: hand-off to a person, the notices the team replies to, client-visible tasks',
    sql: `
      -- A client conversation handed to the team: the bot stays quiet in it while it is open
      -- (bot/client/). One open hand-off per conversation at most.
      CREATE TABLE handoffs (
        id uuid PRIMARY KEY,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('asked_for_person', 'not_helped')),
        summary text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        closed_by uuid REFERENCES people (id) ON DELETE SET NULL
      );
      CREATE UNIQUE INDEX handoffs_one_open ON handoffs (conversation_id) WHERE status = 'open';
      -- The messages that told the team: a Slack thread reply or a Telegram reply to one of them is
      -- relayed to the client (matched by the notice's platform message id once it is sent).
      CREATE TABLE handoff_notices (
        handoff_id uuid NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        PRIMARY KEY (handoff_id, message_id)
      );
      CREATE INDEX handoff_notices_message ON handoff_notices (message_id);
      -- Per client conversation: turns in a row the bot could not help with (two → hand-off), and the
      -- details of a lead still waiting for the client's name.
      CREATE TABLE client_conversations (
        conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
        misses integer NOT NULL DEFAULT 0,
        pending_lead jsonb,
        updated_at timestamptz NOT NULL
      );
      -- Tasks a client may see in their project's status (open tasks about an app of theirs).
      ALTER TABLE tasks ADD COLUMN client_visible boolean NOT NULL DEFAULT false;
      ALTER TABLE tasks ADD COLUMN app text;
    `,
  },
  {
    version: 13,
    name: 'records found by description: open tasks by title words, by creator and by age; people by name',
    sql: `
      -- tools/resolve reads "bob's task about calling acme" as bounded queries: every title word by its
      -- English stem (the same expression as TaskRepo.findOpenMatching), whose task it is, the newest first.
      CREATE INDEX tasks_open_title_words ON tasks USING gin (to_tsvector('english', title)) WHERE status = 'open';
      CREATE INDEX tasks_open_creator ON tasks (created_by, created_at DESC) WHERE status = 'open';
      CREATE INDEX tasks_open_created ON tasks (created_at DESC) WHERE status = 'open';
      -- "bob's", "for bob": PeopleRepo.findByName compares lower(display_name), exactly or as a prefix.
      CREATE INDEX people_name_lower ON people (lower(display_name) text_pattern_ops) WHERE role <> 'unknown';
    `,
  },
  {
    version: 14,
    name: 'people by first name: who a message names, found without reading everyone',
    sql: `
      CREATE INDEX people_first_name ON people (lower(split_part(display_name, ' ', 1)));
    `,
  },
  {
    version: 15,
    name: "the agent's latest checkpoint per conversation, one row each (store/durable/thread-checkpoint-saver.ts)",
    sql: `
      CREATE SCHEMA IF NOT EXISTS langgraph;
      CREATE TABLE langgraph.thread_checkpoints (
        thread_id text NOT NULL,
        checkpoint_ns text NOT NULL DEFAULT '',
        checkpoint_id text NOT NULL,
        parent_checkpoint_id text,
        type text NOT NULL,
        checkpoint text NOT NULL,
        metadata text NOT NULL,
        -- Pending writes of this checkpoint's run: [{taskId, index, channel, type, value}].
        writes jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns)
      );
    `,
  },
  {
    version: 16,
    name: 'messages by person (their latest conversation) and people by role, without reading everyone',
    sql: `
      CREATE INDEX messages_person_latest ON messages (person_id, seq DESC) WHERE direction = 'in';
      CREATE INDEX people_role ON people (role);
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
